"""Problems at a place: errors and report lines (l10n/errors.py)."""

from __future__ import annotations

from pathlib import Path

from l10n.errors import ConfigError, ContentError, EngineError, L10nError, Problem, safe, where


def test_a_long_message_is_cut_to_one_short_line():
    exc = ContentError("x" * 5000, "a.md", 1)
    assert len(exc.message) == 400 and exc.message.endswith("…")


def test_safe_shows_terminal_escapes_and_bidi_overrides_as_text():
    assert safe("a\x1b[2Jb\u202ec") == "a\\x1b[2Jb\\u202ec"
    assert safe("one\ttwo\nthree") == "one\\x09two\\x0athree"
    assert safe("one\ttwo\nthree", lines=True) == "one\ttwo\nthree"  # text shown as it is laid out
    assert safe("café ✓") == "café ✓"


def test_where_names_a_place_as_path_and_line():
    assert where("content/a.md", 12) == "content/a.md:12"
    assert where(Path("content/a.md")) == "content/a.md"
    assert where(None, 3) == "<input>:3"
    assert where("bell\x07.md") == "bell\\x07.md"


def test_problems_and_errors_read_the_same_way():
    problem = Problem("content/a.md", 4, "bad \x1b value", "warning")
    assert problem.format() == "content/a.md:4: warning: bad \\x1b value"
    assert problem.to_dict() == {"path": "content/a.md", "line": 4, "severity": "warning", "message": "bad \x1b value"}
    exc = ContentError("cannot parse", Path("content/a.md"), 4)
    assert str(exc) == exc.format() == "content/a.md:4: cannot parse"
    assert exc.problem() == Problem("content/a.md", 4, "cannot parse")
    assert exc.problem("a.md") == Problem("a.md", 4, "cannot parse")
    assert str(L10nError("no place")) == "no place"


def test_an_error_message_is_one_line_and_configuration_errors_exit_2():
    exc = L10nError("first\r\nsecond", hint="try this")
    assert exc.message == "first\\r\\nsecond" and "\n" not in str(exc) and exc.hint == "try this"
    assert (L10nError.exit_code, ContentError.exit_code, EngineError.exit_code, ConfigError.exit_code) == (1, 1, 1, 2)
    assert all(issubclass(cls, L10nError) for cls in (ContentError, EngineError, ConfigError))

"""Hostile input: a one-line error naming the file (and line), the other files still
done, no crash, no hang, bounded memory (times and memory: benchmarks/bench_hostile.py)."""

from __future__ import annotations

import pytest
from helpers import invoke, write
from hostile_inputs import I18N_BOMB, cases

from l10n import limits, markdown
from l10n.errors import ContentError

GOOD = "---\ntitle: Good\n---\n\nA good page.\n"
#: What each case must give: an error containing this, or None (translated).
EXPECTED = {
    "yaml-alias-bomb": "YAML aliases (*name) expand this to more than 100,000 values",
    "toml-nested-600": "TOML front matter nested too deeply to read",
    "json-nested-1000": "nested too deeply to read",
    "yaml-nested-3000": "invalid YAML front matter: exceeded maximum nesting depth",
}


@pytest.mark.parametrize("name", sorted(cases()))
def test_each_hostile_file_is_one_line_and_the_rest_is_done(runner, site, name):
    write(site / "content" / "good.md", GOOD)
    write(site / "content" / f"{name}.md", cases()[name])
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert (site / "content" / "good.es.md").is_file()
    expected = EXPECTED.get(name)
    if expected is None:
        assert result.exit_code == 0, result.output
        assert (site / "content" / f"{name}.es.md").is_file()
        return
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if f"{name}.md" in line]
    assert len(lines) == 1 and expected in lines[0] and len(lines[0]) < 500, lines


def test_files_too_big_binary_after_8kb_or_utf16(tmp_path):
    big = b"word " * (limits.MAX_BYTES // 5 + 1)
    with pytest.raises(ContentError, match="file of 4.0 MB: l10n reads content files up to 4 MB"):
        markdown.decode(big, "big.md")
    late_nul = b"text\n" * 3000 + b"\x00more\n"
    with pytest.raises(ContentError, match="a NUL byte") as err:
        markdown.decode(late_nul, "nul.md")
    assert err.value.line == 3001
    with pytest.raises(ContentError, match="UTF-16 text; save the file as UTF-8"):
        markdown.decode("---\ntitle: Hola\n---\n\nTexto.\n".encode("utf-16"), "utf16.md")
    with pytest.raises(ContentError, match="UTF-16 text"):
        markdown.decode("Texto sin BOM.\n".encode("utf-16-le"), "utf16le.md")


def test_a_ui_table_alias_bomb_is_refused(runner, site):
    write(site / "i18n" / "en.yaml", I18N_BOMB)
    result = invoke(runner, "catalog", "extract")
    assert result.exit_code != 0
    assert "i18n/en.yaml" in result.output and "YAML aliases (*name) expand this" in result.output
    assert not (site / "locales" / "messages.pot").exists() or (site / "locales" / "messages.pot").stat().st_size < 10_000


def test_file_names_that_would_act_on_the_terminal_are_shown_escaped(runner, site):
    for name in ("clear\x1b[2J\x1b[Hscreen.md", "bidi\u202etxt.md", "bell\x07.md"):
        write(site / "content" / name, GOOD)
    for args in (["translate", "--to", "es", "--engine", "pseudo"], ["status", "--to", "es"], ["detect"],
                 ["check", "--to", "es"]):
        output = invoke(runner, *args).output
        assert "\x1b" not in output and "\u202e" not in output and "\x07" not in output, args
    assert "clear\\x1b[2J\\x1b[Hscreen" in invoke(runner, "status", "--to", "es").output


def test_a_fifo_where_a_page_or_a_catalog_should_be_hangs_no_command(site):
    """A FIFO (or a device) in place of a translation, a source or an exchange file is
    named and left alone; the other files are done, and no command waits on it."""
    import os
    import subprocess
    import sys

    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\nengine = "pseudo"\n', encoding="utf-8")
    (site / "content" / "a.md").write_text("# A page\n\nFirst words here.\n", encoding="utf-8")
    (site / "content" / "b.md").write_text("# Another page\n\nMore words here.\n", encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "l10n", *args], cwd=site, capture_output=True, text=True,
                              timeout=30)

    assert run("translate").returncode == 0
    (site / "content" / "a.es.md").unlink()
    os.mkfifo(site / "content" / "a.es.md")
    os.mkfifo(site / "es.xlf")
    for args in (["status"], ["check", "--no-catalogs"], ["translate"], ["export", "-o", "x.xlf"],
                 ["import", "es.xlf"], ["build"]):
        result = run(*args)  # a hang fails here with TimeoutExpired
        said = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in said, (args, said)
        assert "not a regular file (a FIFO" in said, (args, said)
    assert (site / "content" / "b.es.md").is_file() and not (site / "content" / "a.es.md").is_file()
    assert os.path.exists(site / "content" / "a.es.md")  # still the FIFO: nothing written through it
    assert run("translate", "--force").returncode == 0  # this file wins: a page replaces the FIFO
    assert (site / "content" / "a.es.md").is_file()

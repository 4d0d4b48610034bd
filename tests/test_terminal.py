"""What the commands print on a terminal: the status table fitted to its width (l10n/terminal.py)."""

from __future__ import annotations

from types import SimpleNamespace

import click

from l10n import terminal
from l10n.cli import cli

LANGS = "de,es,fr,it,ja,ko,nl,pl,pt-br,ru,zh-hant"


def test_eleven_languages_fit_the_terminal(runner, site, monkeypatch):
    folder = site / "content" / "a-rather-long-section-name" / "with-a-subsection"
    folder.mkdir(parents=True)
    (folder / "an-article-with-a-long-file-name.md").write_text("---\ntitle: A title\n---\n\nSome text here.\n")
    (site / "content" / "short.md").write_text("---\ntitle: Short\n---\n\nMore text.\n")
    assert runner.invoke(cli, ["translate", "--to", "de,es,fr", "--engine", "pseudo", "--from", "en"]).exit_code == 0
    (site / "content" / "short.ja.md").write_text("---\ntitle: 短い\n---\n\n人が書いた。\n")
    for width in (80, 60):
        monkeypatch.setenv("COLUMNS", str(width))
        result = runner.invoke(cli, ["status", "--to", LANGS])
        assert result.exit_code == 0, result.output
        table = [click.unstyle(line) for line in result.stdout.splitlines()]
        assert all(len(line) <= width for line in table), "\n".join(table)
        assert "(miss missing, edit edited" in result.stdout and table[-1].endswith("rev reviewed)")
        # every language is in some band, each band under its own header
        headers = [line.split()[2:] for line in table if line.startswith("ARTICLE")]
        assert [lang for band in headers for lang in band] == LANGS.split(",")
        assert any(line.startswith("…") for line in table)  # the long path, shortened from the left
        cells = " ".join(line for line in table if line.startswith("content/short.md"))
        assert cells.split()[2:5] == ["mach", "mach", "mach"] and "human" in cells and "miss" in cells
    monkeypatch.setenv("COLUMNS", "250")
    wide = [click.unstyle(line) for line in runner.invoke(cli, ["status", "--to", LANGS]).stdout.splitlines()]
    assert wide[0].split() == ["ARTICLE", "WORDS", *LANGS.split(",")] and "machine" in wide[1]


def test_style_adds_ansi_codes_only_when_asked():
    assert terminal.style("plain") == "plain"
    assert terminal.style("x", fg="red", bold=True) == "\x1b[31;1mx\x1b[0m"
    assert terminal.style("x", fg="no-such-colour") == "x"
    assert terminal.style("x", dim=True) == "\x1b[2mx\x1b[0m"


def test_the_table_shows_file_names_escaped_and_a_dash_where_a_language_has_no_cell():
    report = SimpleNamespace(targets=["es", "fr"],
                             rows=[("content/\x1b[2Jpost.md", 120, {"es": SimpleNamespace(status="machine")})])
    lines = terminal.status_table(report, 100)
    assert "\x1b[2J" not in "".join(lines)
    assert [click.unstyle(line).split() for line in lines] == [["ARTICLE", "WORDS", "es", "fr"],
                                                                ["content/\\x1b[2Jpost.md", "120", "machine", "-"]]
    assert terminal.style("machine", fg="cyan") in lines[1]  # each status in its colour


def test_a_finding_is_one_line_red_for_an_error_and_yellow_for_a_warning():
    error = SimpleNamespace(severity="error", message="lost `code`", check="markup")
    assert terminal.finding_line(error) == terminal.style("error: lost `code` [markup]", fg="red")
    warning = SimpleNamespace(severity="warning", message="bell\x07", check="length")
    assert terminal.finding_line(warning) == terminal.style("warning: bell\\x07 [length]", fg="yellow")


def test_lines_longer_than_the_terminal_go_on_indented():
    line = "content/post.ru.md: untranslated: made by copy:copy/1, still in the source language"
    lines = terminal.fitted(line, 60)
    assert len(lines) == 2 and all(len(x) <= 60 for x in lines) and lines[1].startswith("    ")
    assert " ".join(x.strip() for x in lines) == line
    assert terminal.fitted("short", 80) == ["short"]

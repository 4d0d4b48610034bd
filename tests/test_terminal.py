"""What the commands print on a terminal: the status table fitted to its width (l10n/terminal.py)."""

from __future__ import annotations

import click

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

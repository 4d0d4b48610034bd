"""The review workflow: status, check, review, approval and --merge, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n import catalogs, checks, markdown
from l10n.cli import cli
from l10n.commands.status import run_status

ARTICLE = """\
---
title: "Getting started"
lang: en
translations: [en]
---

Install the package with pip and run it once.

## Configure

Set the targets in `l10n.toml` and read the [manual](https://example.org/manual).

Run it again: nothing changes the second time.
"""


@pytest.fixture
def blog(site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    (site / "content" / "other.md").write_text(ARTICLE.replace("Getting started", "Another page"), encoding="utf-8")
    return site


def invoke(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def cells(site) -> dict[str, dict]:
    report = run_status()
    return {c.target: c for c in report.cells()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- status ------------------------------------------------------------------


def test_status_missing_then_machine_with_words(runner, blog):
    result = invoke(runner, "status", "--check")
    assert result.exit_code == 3, result.output
    assert "missing" in result.output
    assert invoke(runner, "translate").exit_code == 0
    result = invoke(runner, "status", "--json", "--check")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["translations"]["es"]["status"] for a in data["articles"]] == ["machine", "machine"]
    words = data["articles"][0]["words"]
    assert words == markdown_words(blog / "content" / "other.md")
    assert data["totals"]["es"] == {"machine": {"articles": 2, "words": 2 * words}}


def markdown_words(path: Path) -> int:
    from l10n.detect import article_words

    return article_words(markdown.parse(path.read_text(encoding="utf-8")))


def test_status_stale_names_the_changed_segments(runner, blog):
    invoke(runner, "translate")
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    cell = cells(blog)["content/post.es.md"]
    assert cell.status == "stale"
    assert cell.changed == [13]  # the line of the changed paragraph, and only it
    assert "1 segment changed (line 13)" in cell.detail
    result = invoke(runner, "status", "--check")
    assert result.exit_code == 3 and "content/post.es.md: stale: source changed: 1 segment changed (line 13)" in result.output
    assert cells(blog)["content/other.es.md"].status == "machine"


def test_status_edited_untranslated_reviewed(runner, blog):
    invoke(runner, "translate", "content/post.md")
    invoke(runner, "translate", "--engine", "copy", "content/other.md")
    found = cells(blog)
    assert found["content/other.es.md"].status == "untranslated"
    edit(blog / "content" / "post.es.md", "⟦", "⟦Editado ")
    assert cells(blog)["content/post.es.md"].status == "edited"
    # a change to lang/translations alone is not an edit
    assert invoke(runner, "review", "--approve", "content/post.md").exit_code == 0
    assert cells(blog)["content/post.es.md"].status == "reviewed"


def test_status_answers_from_hashes_without_parsing(runner, blog, monkeypatch):
    invoke(runner, "translate")

    def refuse(*args, **kwargs):
        raise AssertionError("status parsed a file that provenance vouches for")

    monkeypatch.setattr(markdown, "parse", refuse)
    assert {c.status for c in run_status().cells()} == {"machine"}


def test_status_a_file_a_person_wrote_and_bad_input(runner, blog):
    (blog / "content" / "post.es.md").write_text(ARTICLE.replace("lang: en", "lang: es").replace("Install", "Instale"),
                                                 encoding="utf-8")
    (blog / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    result = invoke(runner, "status")
    assert result.exit_code == 1
    assert "content/broken.md:" in result.output and "error" in result.output
    found = cells(blog)
    # still mostly the source's words: a person has not translated it yet
    assert found["content/post.es.md"].status == "untranslated"
    assert found["content/other.es.md"].status == "missing"


# -- check -------------------------------------------------------------------


def pair(source: str, target: str, **ctx) -> list[checks.Finding]:
    options = markdown.Options(terms=tuple(ctx.get("terms", ())))
    src, tgt = markdown.parse(source, "s.md", options), markdown.parse(target, "t.md", options)
    context = checks.Context("en", "es", tuple(ctx.get("terms", ())), ctx.get("glossary", {}))
    return checks.examine(src, tgt, context, "t.md").all()


def found(findings) -> set[tuple[str, str]]:
    return {(f.check, f.severity) for f in findings}


def test_checks_each_find_what_they_name():
    ok = pair("Read the [guide](/guide) in `docs/` now.\n", "Lea la [guía](/guide) en `docs/` ahora.\n")
    assert ok == []
    assert found(pair("Read the [guide](/guide).\n", "Lea la [guía](/guia).\n")) == {("markup", "error")}
    assert found(pair("Run `make`.\n", "Ejecute `hacer`.\n")) == {("markup", "error")}
    assert found(pair('A {{< ref "a.md" >}} b.\n', 'Una {{< ref "b.md" >}} b.\n')) == {("markup", "error")}
    assert found(pair("A <kbd>Ctrl</kbd> key.\n", "Una tecla Ctrl.\n")) == {("markup", "error")}
    assert found(pair("Costs 1,000 dollars.\n", "Cuesta 1.000 dólares.\n")) == set()
    assert found(pair("Costs 25 dollars.\n", "Cuesta 52 dólares.\n")) == {("numbers", "warning")}
    assert found(pair("This is a rather long sentence about something.\n", "Sí.\n")) == {("length", "warning")}
    assert found(pair("Use Hugo to build it.\n", "Use Jugo para construirlo.\n", terms=["Hugo"])) == {("do-not-translate", "warning")}
    glossary = {"pull request": "solicitud de cambios"}
    assert found(pair("Open a pull request here.\n", "Abra un pull request aquí.\n", glossary=glossary)) == {("glossary", "warning")}
    assert found(pair("Open a pull request here.\n", "Abra una solicitud de cambios aquí.\n", glossary=glossary)) == set()
    assert found(pair("Is it done?\n", "¿Está hecho\n")) == {("punctuation", "warning")}
    assert found(pair("First paragraph here.\n\nSecond one.\n", "Primer párrafo aquí.\n")) == {("structure", "error")}
    same = pair("One two three four five six.\n\nSeven eight nine ten eleven twelve.\n\nAnother paragraph of prose here.\n",
                "Uno dos tres cuatro cinco seis.\n\nSiete ocho nueve diez once doce.\n\nAnother paragraph of prose here.\n")
    assert found(same) == {("untranslated", "warning")} and same[0].line == 5
    whole = pair("One two three four five six.\n", "One two three four five six.\n")
    assert [(f.check, f.line, f.message) for f in whole] == [("untranslated", 1, "100% of the prose is the same as the source")]


def test_check_command_lines_and_exit(runner, blog):
    invoke(runner, "translate")
    assert invoke(runner, "check").exit_code == 0
    edit(blog / "content" / "post.es.md", "(https://example.org/manual)", "(https://example.org/manual-es)")
    result = invoke(runner, "check")
    assert result.exit_code == 3
    assert "content/post.es.md:11: error: link target changed" in result.output
    data = json.loads(invoke(runner, "check", "--json").stdout)
    assert data["errors"] == 1 and data["findings"][0]["path"] == "content/post.es.md" and data["findings"][0]["line"] == 11


def test_check_catalog_placeholders(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgctxt "n"\nmsgid "{{ .Count }} minutes"\nmsgstr "minutos"\n\n'
                  'msgctxt "m"\nmsgid "Hello %s"\nmsgstr "Hola %s"\n', encoding="utf-8")
    findings = catalogs.check_catalog(po, "messages.po")
    assert [(f.line, f.check, f.severity) for f in findings] == [(6, "placeholders", "error")]
    assert "lost {{ .Count }}" in findings[0].message
    # the same check is a Babel checker: Catalog.check() (and pybabel) run it
    problems = [(m.lineno, str(e)) for m, errors in catalogs.read_catalog(po).check() for e in errors]
    assert problems == [(6, "placeholders differ: lost {{ .Count }}")]


# -- review and approval -----------------------------------------------------


def test_review_side_by_side_marks_changed_segments(runner, blog):
    invoke(runner, "translate")
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    result = invoke(runner, "review", "content/post.md")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    marked = [i for i, line in enumerate(lines) if "SOURCE CHANGED" in line]
    assert len(marked) == 1 and "line 13/13  paragraph" in lines[marked[0]]
    assert "Run it a third time:" in lines[marked[0] + 1] and "|" in lines[marked[0] + 1] and "⟦" in lines[marked[0] + 1]
    assert "title" in result.output and "Getting started" in result.output


def test_review_html_is_escaped_and_self_contained(runner, blog):
    hostile = ARTICLE.replace('"Getting started"', '"<script>alert(1)</script>"') + (
        "\nA <script>alert(2)</script> and <img src=x onerror=alert(3)> in prose.\n\nAnd <iframe src=\"https://evil.example\"></iframe> inline.\n")
    (blog / "content" / "post.md").write_text(hostile, encoding="utf-8")
    invoke(runner, "translate")
    out = blog / "report.html"
    result = invoke(runner, "review", "--html", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;iframe" in page
    assert "default-src 'none'" in page  # nothing loads even if escaping failed
    assert "src=" not in lowered.replace("src=&quot;", "").replace("src=x", "")
    assert 'href="' not in page and "<link" not in lowered


def test_approve_refuses_errors_and_stale_unless_forced(runner, blog):
    invoke(runner, "translate")
    edit(blog / "content" / "post.es.md", "`l10n.toml`", "`l10n.tomlx`")
    edit(blog / "content" / "other.md", "Run it again:", "Run once more:")
    result = invoke(runner, "review", "--approve")
    assert result.exit_code == 3
    assert "content/post.es.md: not approved: 1 error" in result.output
    assert "content/other.es.md: not approved: source changed" in result.output
    assert {c.status for c in cells(blog).values()} == {"edited", "stale"}
    assert invoke(runner, "review", "--approve", "--force").exit_code == 0
    assert {c.status for c in cells(blog).values()} == {"reviewed"}


def test_reviewed_translation_kept_by_translate_whatever_the_engine(runner, blog):
    invoke(runner, "translate")
    assert invoke(runner, "review", "--approve").exit_code == 0
    before = (blog / "content" / "post.es.md").read_bytes()
    result = invoke(runner, "translate", "--engine", "copy")
    assert result.exit_code == 0 and "updated" not in result.output
    assert (blog / "content" / "post.es.md").read_bytes() == before
    assert invoke(runner, "translate", "--engine", "copy", "--force").exit_code == 0
    assert (blog / "content" / "post.es.md").read_bytes() != before
    assert cells(blog)["content/post.es.md"].status == "untranslated"


def test_merge_keeps_the_persons_segments(runner, blog):
    invoke(runner, "translate", "content/post.md")
    target = blog / "content" / "post.es.md"
    text = target.read_text(encoding="utf-8")
    paragraphs = [line for line in text.splitlines() if line.startswith("⟦")]
    first, last = paragraphs[0], paragraphs[-1]
    text = text.replace(first, "Instale el paquete con pip y ejecútelo una vez.").replace(last, "Ejecútelo otra vez: nada cambia.")
    target.write_text(text, encoding="utf-8")
    assert invoke(runner, "review", "--approve", "content/post.md").exit_code == 0
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    # without --merge a reviewed translation is kept, and said so
    result = invoke(runner, "translate", "content/post.md")
    assert "content/post.es.md: skipped: reviewed: its source changed (--merge" in result.output
    assert target.read_text(encoding="utf-8") == text
    result = invoke(runner, "translate", "--merge", "content/post.md")
    assert result.exit_code == 0 and "content/post.es.md: updated" in result.output
    merged = target.read_text(encoding="utf-8")
    assert "Instale el paquete con pip y ejecútelo una vez." in merged  # the person's, unchanged source
    assert "Ejecútelo otra vez" not in merged and "⟦Ŕûûñ îîţ àà ţĥîîŕđ ţîîɱéé" in merged  # changed: translated again
    cell = cells(blog)["content/post.es.md"]
    assert cell.status == "machine" and "kept from a person" in cell.detail
    review = invoke(runner, "review", "content/post.md").output
    assert "before the source changed: Ejecútelo otra vez: nada cambia." in review
    assert "machine" in review


def test_merge_refused_when_segments_no_longer_line_up(runner, blog):
    invoke(runner, "translate", "content/post.md")
    target = blog / "content" / "post.es.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nUn párrafo añadido.\n", encoding="utf-8")
    edit(blog / "content" / "post.md", "Run it again:", "Run it a third time:")
    before = target.read_bytes()
    result = invoke(runner, "translate", "--merge", "content/post.md")
    assert "skipped: edited: its source changed, and its segments no longer line up" in result.output
    assert target.read_bytes() == before
    assert invoke(runner, "status", "--check").exit_code == 3


def test_targets_come_from_the_hugo_config_without_l10n_toml(runner, site):
    (site / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
                                    '[languages.de]\nweight = 3\n', encoding="utf-8")
    (site / "content" / "post.md").write_text(ARTICLE, encoding="utf-8")
    assert invoke(runner, "translate", "--to", "fr").exit_code == 0
    data = json.loads(invoke(runner, "status", "--json").stdout)
    assert sorted(data["targets"]) == ["de", "fr"]
    assert {lang: cell["status"] for lang, cell in data["articles"][0]["translations"].items()} == {"fr": "machine", "de": "missing"}
    assert json.loads(invoke(runner, "status", "--json", "--to", "fr").stdout)["targets"] == ["fr"]


# -- found by review: each a way a person's work could be lost ------------------

PERSONS = """\
---
title: Instalar
slug: instalar
---

Primer párrafo de la página.

```sh
# instalar el paquete
pip install l10n
```

Segundo párrafo de la página.
"""
SOURCE = """\
---
title: Install
slug: installing
---

First paragraph of the page.

```sh
# install the package
pip install l10n
```

Second paragraph of the page.
"""


@pytest.fixture
def approved(runner, blog):
    (blog / "content" / "other.md").unlink()
    (blog / "content" / "post.md").write_text(SOURCE, encoding="utf-8")
    (blog / "content" / "post.es.md").write_text(PERSONS, encoding="utf-8")
    assert invoke(runner, "review", "--approve").exit_code == 0
    return blog


def test_merge_keeps_text_outside_segments_and_stays_a_persons_work(runner, approved):
    source, target = approved / "content" / "post.md", approved / "content" / "post.es.md"
    edit(source, "Second paragraph", "The second paragraph")
    assert invoke(runner, "translate", "--merge").exit_code == 0
    merged = target.read_text(encoding="utf-8")
    assert "slug: instalar" in merged and "# instalar el paquete" in merged and "Primer párrafo" in merged
    assert "title: Instalar" in merged and "Segundo" not in merged
    # a merged file is a person's work: a plain run, another engine, even another source change keep it
    for args in (("translate",), ("translate", "--engine", "copy"), ("build",)):
        invoke(runner, *args)
        assert target.read_text(encoding="utf-8") == merged, args
    edit(source, "First paragraph", "The first paragraph")
    result = invoke(runner, "translate")
    assert "skipped: edited" in result.output and target.read_text(encoding="utf-8") == merged


def test_a_persons_update_of_a_stale_translation_is_approved_and_kept(runner, approved):
    source, target = approved / "content" / "post.md", approved / "content" / "post.es.md"
    edit(source, "Second paragraph", "The second paragraph")
    edit(target, "Segundo párrafo de la página.", "El segundo párrafo de la página.")
    cell = cells(approved)["content/post.es.md"]
    assert cell.status == "stale" and "approve it" in cell.detail
    # --merge keeps the person's new text rather than translating that segment again
    before = target.read_text(encoding="utf-8")
    assert invoke(runner, "translate", "--merge").exit_code == 0
    assert "El segundo párrafo de la página." in target.read_text(encoding="utf-8")
    target.write_text(before, encoding="utf-8")
    result = invoke(runner, "review", "--approve")
    assert result.exit_code == 0, result.output
    assert cells(approved)["content/post.es.md"].status == "reviewed"


def test_naming_one_translation_means_that_language_only(runner, blog):
    (blog / "l10n.toml").write_text('source = "en"\ntargets = ["es", "fr"]\n', encoding="utf-8")
    invoke(runner, "translate")
    result = invoke(runner, "review", "--approve", "content/post.es.md")
    assert result.output.splitlines() == ["content/post.es.md: approved"]
    statuses = {c.target: c.status for c in run_status().cells()}
    assert statuses["content/post.es.md"] == "reviewed" and statuses["content/post.fr.md"] == "machine"
    assert [c.target for c in run_status(["content/post.fr.md"]).cells()] == ["content/post.fr.md"]


def test_reference_links_are_compared_by_label(runner, blog):
    (blog / "content" / "post.md").write_text(
        "Read [the manual][] and [the guide] and [that][The Guide], ![a logo][].\n\n"
        "[the manual]: https://example.org/m\n[the guide]: https://example.org/g\n[a logo]: /logo.png\n", encoding="utf-8")
    invoke(runner, "translate", "content/post.md")
    assert invoke(runner, "check", "content/post.md").exit_code == 0
    edit(blog / "content" / "post.es.md", "][the guide]", "][the manual]")
    result = invoke(runner, "check", "content/post.md")
    assert result.exit_code == 3 and "link target changed: '[the guide]' became '[the manual]'" in result.output


def test_review_in_a_terminal_shows_control_characters_escaped(runner, blog):
    edit(blog / "content" / "post.md", "Install the package", "Install \x1b]0;owned\x07 the \x1b[2J package")
    invoke(runner, "translate")
    output = invoke(runner, "review", "content/post.md").output
    assert "\x1b]0" not in output and "\x1b[2J" not in output and "\\x1b]0;owned\\x07" in output

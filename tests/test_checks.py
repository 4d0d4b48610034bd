"""The checks of one pair of segments."""

from __future__ import annotations

from helpers import edit, invoke

from l10n import checks, markdown


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


def test_checks_of_other_packages_run_with_the_rest(runner, blog):
    """Checks register through the l10n.checks entry point, as engines do; the tests
    register one (hostile_engines.check_shouting) in conftest."""
    assert set(checks.BUILTIN) <= set(checks.registered()) and "shouting" in checks.registered()
    assert found(pair("A calm sentence about the weather.\n", "UNA FRASE TRANQUILA SOBRE EL TIEMPO.\n")) == {
        ("shouting", "warning")}
    invoke(runner, "translate")
    edit(blog / "content" / "post.es.md", "⟦ÎÎñšţààļļ ţĥéé þààçķààĝéé ŵîîţĥ þîîþ ààñđ ŕûûñ îîţ ööñçéé.·⟧", "INSTALL THE PACKAGE WITH PIP.")
    assert "warning: the translation shouts (all capitals) [shouting]" in invoke(runner, "check", "--to", "es").output


def test_an_entity_lost_or_added_is_an_error():
    lost = pair("Ten&nbsp;km &mdash; far.\n", "Diez km — lejos.\n")
    assert found(lost) == {("markup", "error")}
    assert {f.message for f in lost} >= {"entity lost: '&nbsp;'", "entity lost: '&mdash;'"}
    assert pair("Ten&nbsp;km &mdash; far.\n", "Diez&nbsp;km &mdash; lejos.\n") == []


def test_shortcode_parameters_that_read_as_prose_are_named_once_with_the_setting(runner, site):
    body = '{{< details summary="Technical information" >}}Inner text here.{{< /details >}}\n'
    (site / "content" / "a.md").write_text('---\ntitle: A\n---\n\n{{< notice kind="Read this before you start" >}}\n\n' + body)
    (site / "content" / "b.md").write_text('---\ntitle: B\n---\n\n{{< notice kind="Read this before you start" id="my-id" >}}\n')
    invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    out = invoke(runner, "check", "--to", "es").output
    # summary is translated by default; kind is no setting's: said once for both files
    assert out.count("[params]") == 1 and "{{< notice >}} parameter kind reads as prose" in out
    assert '[shortcodes.notice] translate = ["kind"]' in out and "my-id" not in out
    (site / "l10n.toml").write_text('[shortcodes.notice]\ntranslate = ["kind"]\n')
    invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert "[params]" not in invoke(runner, "check", "--to", "es").output
    assert "Technical information" not in (site / "content" / "a.es.md").read_text()


def test_what_reads_as_prose():
    assert checks.reads_as_prose("Technical information")
    assert not any(checks.reads_as_prose(v) for v in ("images/cat.png", "my_id", "https://a.b/c d", "warning", "col-md-6 text-center"))


def test_a_link_to_a_heading_whose_id_changed_is_an_error():
    source = "## Scene\n\nSee [the scene](#scene), [nothing](#nowhere) and <a href=\"#scene\">it</a>.\n"
    broken = pair(source, "## Escena\n\nVea [la escena](#scene), [nada](#nowhere) y <a href=\"#scene\">eso</a>.\n")
    assert [(f.check, f.line, f.severity) for f in broken] == [("anchors", 3, "error")]  # once; #nowhere never worked
    assert "link to #scene points to no heading of this page" in broken[0].message
    assert pair(source, "## Escena {#scene}\n\nVea [la escena](#scene), [nada](#nowhere) y <a href=\"#scene\">eso</a>.\n") == []
    in_code = "## Scene\n\n```md\n[x](#scene)\n```\n"
    assert pair(in_code, in_code.replace("## Scene", "## Escena")) == []


def test_a_missing_list_item_is_one_finding_not_a_cascade():
    """A person's translation that lacks one list item: that item is missing, and
    everything after it is still paired with its own source."""
    source = ("## Tools\n\n- [Plausible](https://plausible.io/) counts visits.\n- [Counter](https://counter.dev/) too.\n"
              "- [GoatCounter](https://www.goatcounter.com/) as well.\n\nThe end of the page, [here](/end).\n\n"
              "## Next\n\nMore words after it.\n")
    target = ("## Herramientas\n\n- [Plausible](https://plausible.io/) cuenta visitas.\n"
              "- [GoatCounter](https://www.goatcounter.com/) también.\n\nEl final de la página, [aquí](/end).\n\n"
              "## Siguiente\n\nMás palabras después.\n")
    findings = pair(source, target)
    assert [(f.check, f.severity) for f in findings if f.severity == "error"] == [("structure", "error")]
    assert "paragraph of source line 4 has no translation" in [f.message for f in findings][0] or any(
        "source line 4" in f.message for f in findings)


def test_a_translated_title_attribute_is_no_html_change():
    assert pair('Text with <abbr title="HyperText Markup">HTML</abbr> in it.\n',
                'Texto con <abbr title="Lenguaje de marcado">HTML</abbr> dentro.\n') == []


def test_markup_added_to_a_front_matter_value_is_an_error():
    source = '---\ntitle: "Hello <em>there</em>"\ndescription: a < b\n---\n\nText.\n'
    kept = '---\ntitle: "Hola <em>allí</em>"\ndescription: a < b\n---\n\nTexto.\n'
    assert [f for f in pair(source, kept) if f.check == "markup"] == []
    hostile = ('---\ntitle: "Hola <em>allí</em> <script>x</script>"\ndescription: "a < b {{< param secret >}}'
               ' {{ .Site.Params.token }}"\n---\n\nTexto.\n')
    findings = [(f.line, f.severity, f.message) for f in pair(source, hostile) if f.check == "markup"]
    assert findings == [
        (2, "error", "HTML tag added to a front-matter value: <script"),
        (2, "error", "HTML tag added to a front-matter value: </script"),
        (3, "error", "shortcode added to a front-matter value: {{<"),
        (3, "error", "template syntax added to a front-matter value: {{"),
    ]
    toml = pair('+++\ntitle = "Hello"\n+++\n\nText.\n', '+++\ntitle = "Hola <!-- x -->"\n+++\n\nTexto.\n')
    assert [(f.check, f.message) for f in toml] == [("markup", "HTML added to a front-matter value: <!")]

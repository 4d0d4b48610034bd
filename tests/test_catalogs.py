"""Catalogs for UI strings: extract, update, translate, compile, export; checked by GNU gettext
(what the catalog command reports: test_command_catalog.py)."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from conftest import MAINROAD, need
from helpers import catalog as run

from l10n import catalogs, langs, tables

LANGS = sorted(p.stem for p in MAINROAD.glob("*.yaml") if p.stem != "en")


def msgfmt_check(path: Path) -> None:
    need("msgfmt")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_extract_reads_ids_as_contexts_and_texts_as_msgids(runner, mainroad):
    assert run(runner, "extract").exit_code == 0
    template = catalogs.read_catalog(mainroad / "locales" / "messages.pot")
    read_more = template.get("Read more…", context="read_more")
    assert read_more is not None and read_more.locations == [("i18n/en.yaml", 2)]
    assert template.get("Menu", context="menu_label") and template.get("Menu", context="sidemenu_title")
    assert len([m for m in template if m.id]) == 24
    msgfmt_check(mainroad / "locales" / "messages.pot")


def test_full_cycle_passes_gettext_and_changes_nothing_when_rerun(runner, mainroad):
    for args in (["extract"], ["update"], ["translate", "--engine", "pseudo"], ["compile", "--use-fuzzy"], ["export", "--use-fuzzy"]):
        assert run(runner, *args).exit_code == 0, args
    for lang in ("es", "ru"):
        po = mainroad / "locales" / lang / "LC_MESSAGES" / "messages.po"
        msgfmt_check(po)
        catalog = catalogs.read_catalog(po)
        assert all(m.fuzzy for m in catalog if m.id)
        message = catalog.get("About {{ .Name }}", context="authorbox_name")
        assert message.string.endswith("{{ .Name }}") and "⟦" in message.string
        footer = catalog.get(tables.read_table(mainroad / "i18n" / "en.yaml").get("footer_credits").text, context="footer_credits")
        assert footer.string.count('<a href="https://gohugo.io/" rel="nofollow noopener" target="_blank">') == 1
        translation = gettext.translation("messages", str(mainroad / "locales"), [lang])
        assert translation.pgettext("read_more", "Read more…").startswith("⟦")
    exported = tables.read_table(mainroad / "i18n" / "ru.yaml")
    assert [e.id for e in exported.entries] == [e.id for e in tables.read_table(mainroad / "i18n" / "en.yaml").entries]
    before = snapshot(mainroad)
    for args in (["extract"], ["update"], ["translate", "--engine", "pseudo"], ["compile", "--use-fuzzy"], ["export", "--use-fuzzy"]):
        assert run(runner, *args).exit_code == 0
    assert snapshot(mainroad) == before


def test_mainroad_tables_round_trip(runner, mainroad):
    for lang in LANGS:
        shutil.copy(MAINROAD / f"{lang}.yaml", mainroad / "i18n" / f"{lang}.yaml")
    run(runner, "extract")
    assert run(runner, "update", "--to", ",".join(LANGS)).exit_code == 0
    assert run(runner, "export").exit_code == 0
    for lang in LANGS:
        original = tables.read_table(MAINROAD / f"{lang}.yaml")
        exported = tables.read_table(mainroad / "i18n" / f"{lang}.yaml")
        assert [(e.id, e.text) for e in exported.entries] == [(e.id, e.text) for e in original.entries], lang
        msgfmt_check(mainroad / "locales" / langs.to_gettext(lang) / "LC_MESSAGES" / "messages.po")


def test_copy_engine_round_trip_gives_the_source_texts(runner, mainroad):
    run(runner, "extract")
    run(runner, "update", "--to", "de")
    assert run(runner, "translate", "--to", "de", "--engine", "copy").exit_code == 0
    assert run(runner, "export", "--use-fuzzy").exit_code == 0
    source = tables.read_table(mainroad / "i18n" / "en.yaml")
    exported = tables.read_table(mainroad / "i18n" / "de.yaml")
    assert [(e.id, e.text) for e in exported.entries] == [(e.id, e.text) for e in source.entries]


def test_plural_forms_follow_each_language(runner, tmp_path, monkeypatch):
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "en.toml").write_text(
        '[reading_time]\none = "One minute to read"\nother = "{{ .Count }} minutes to read"\n\n[title]\nother = "Title"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    run(runner, "extract")
    run(runner, "update", "--to", "ru,ja,es")
    assert run(runner, "translate", "--to", "ru,ja,es", "--engine", "pseudo").exit_code == 0
    for lang in ("ru", "ja", "es"):
        # the installed Babel's CLDR data says how many forms (Babel 2.19 gives Spanish a third, "many")
        forms = get_plural(lang).num_plurals
        po = tmp_path / "locales" / lang / "LC_MESSAGES" / "messages.po"
        msgfmt_check(po)
        catalog = catalogs.read_catalog(po)
        assert catalog.num_plurals == forms
        message = catalog.get(("One minute to read", "{{ .Count }} minutes to read"), context="reading_time")
        assert len(message.string) == forms and all(message.string)
    assert get_plural("ja").num_plurals == 1 and get_plural("ru").num_plurals >= 3
    run(runner, "export", "--use-fuzzy")
    ru = tables.read_table(tmp_path / "i18n" / "ru.toml")
    assert set(ru.get("reading_time").text) == set(langs.plural_categories("ru")) >= {"one", "few", "many"}
    assert ru.style == "nested" and (tmp_path / "i18n" / "ru.toml").read_text().startswith("[reading_time]\none = ")


def test_placeholders_survive_a_hostile_engine(runner, mainroad):
    (mainroad / "i18n" / "en.yaml").write_text(
        '- id: greeting\n  translation: "Hello %(name)s, you have %d <b>new</b> {count} messages in {{ .Site.Title }}"\n',
        encoding="utf-8",
    )
    run(runner, "extract")
    run(runner, "update", "--to", "es")
    for _ in range(3):  # the hostile engine behaves differently on different texts: try a few
        run(runner, "translate", "--to", "es", "--engine", "hostile")
    po = mainroad / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    text = catalogs.read_catalog(po).get(
        "Hello %(name)s, you have %d <b>new</b> {count} messages in {{ .Site.Title }}", context="greeting"
    ).string
    for placeholder in ("%(name)s", "%d", "<b>", "</b>", "{count}", "{{ .Site.Title }}"):
        assert text.count(placeholder) == 1, (placeholder, text)


def test_hugo_templates_through_a_mapping_file(runner, mainroad):
    layouts = mainroad / "layouts" / "partials"
    layouts.mkdir(parents=True)
    (layouts / "post.html").write_text(
        '<a>{{ i18n "read_more" }}</a>\n<p>{{ T "only_in_templates" }}</p>\n{{ "piped_id" | i18n }}\n', encoding="utf-8"
    )
    (mainroad / "babel.cfg").write_text("[hugo: layouts/**.html]\n", encoding="utf-8")
    assert run(runner, "extract").exit_code == 0
    template = catalogs.read_catalog(mainroad / "locales" / "messages.pot")
    assert ("layouts/partials/post.html", 1) in template.get("Read more…", context="read_more").locations
    assert template.get("only_in_templates", context="only_in_templates") is not None
    assert template.get("piped_id", context="piped_id") is not None


def test_changed_source_text_makes_the_translation_fuzzy(runner, mainroad):
    run(runner, "extract")
    run(runner, "update", "--to", "es")
    po = mainroad / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    catalog = catalogs.read_catalog(po)
    catalog.get("Menu", context="menu_label").string = "Menú"
    po.write_bytes(catalogs.render(catalog))
    table = mainroad / "i18n" / "en.yaml"
    table.write_text(table.read_text().replace('translation: "Menu"\n\n- id: sidemenu', 'translation: "Main menu"\n\n- id: sidemenu', 1))
    run(runner, "extract")
    run(runner, "update", "--to", "es")
    message = catalogs.read_catalog(po).get("Main menu", context="menu_label")
    assert message.fuzzy and message.string == "Menú"


@pytest.mark.parametrize(
    "setup, args, message",
    [
        (lambda p: (p / "i18n" / "en.yaml").write_text("- id: x\n  translation: [unclosed\n"), ["extract"], "i18n/en.yaml:3: invalid YAML"),
        (lambda p: (p / "i18n" / "en.yaml").rename(p / "i18n" / "en.toml") or (p / "i18n" / "en.toml").write_text('x = "unclosed\n'),
         ["extract"], "invalid TOML"),
        (None, ["update", "--to", "xx-invalid"], "unknown language code"),
    ],
)
def test_bad_input_is_one_clear_line(runner, mainroad, setup, args, message):
    if setup:
        setup(mainroad)
    result = run(runner, *args)
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output


def test_malformed_po_is_located_and_never_half_written(runner, mainroad):
    run(runner, "extract")
    run(runner, "update", "--to", "es")
    po = mainroad / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    broken = po.read_text().replace('msgctxt "menu_label"', 'msgctxt "menu_label"\nmsgid_garbage "x"', 1)
    po.write_text(broken)
    result = run(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 1
    assert "locales/es/LC_MESSAGES/messages.po:" in result.output
    assert po.read_text() == broken


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

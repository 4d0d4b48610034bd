"""``l10n catalog``: what each step reports: --check findings, tables a person changed, catalogs that fail (l10n/commands/catalog.py)."""

from __future__ import annotations

from helpers import catalog as run
from helpers import invoke

from l10n import catalogs, tables


def test_check_codes(runner, mainroad):
    run(runner, "extract")
    assert run(runner, "update", "--check").exit_code == 3  # no catalogs yet
    run(runner, "update")
    assert run(runner, "extract", "--check").exit_code == 0
    assert run(runner, "update", "--check").exit_code == 3  # everything untranslated
    assert run(runner, "translate", "--engine", "copy").exit_code == 0
    assert run(runner, "compile", "--check").exit_code == 3  # fuzzy
    (mainroad / "i18n" / "en.yaml").write_text((mainroad / "i18n" / "en.yaml").read_text() + '\n- id: new\n  translation: "New"\n')
    assert run(runner, "extract", "--check").exit_code == 3


def test_compile_fails_on_format_errors_with_file_and_line(runner, mainroad):
    (mainroad / "i18n" / "en.yaml").write_text('- id: count\n  translation: "%(count)d items"\n')
    run(runner, "extract")
    run(runner, "update", "--to", "es")
    po = mainroad / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text().rstrip("\n") + "\n"
    assert text.endswith('msgstr ""\n')
    po.write_text(text[: -len('""\n')] + '"%(cuenta)d elementos"\n')  # a placeholder the source does not have
    result = run(runner, "compile")
    assert result.exit_code == 1
    line = po.read_text().splitlines().index('msgid "%(count)d items"') + 1  # Babel names the msgid's line
    assert f"l10n: error: locales/es/LC_MESSAGES/messages.po:{line}: placeholders differ: lost %(count)d; added %(cuenta)d" in result.output
    assert "unknown named placeholder 'cuenta'" in result.output  # Babel's own python_format checker
    assert not po.with_suffix(".mo").exists()


def test_export_keeps_a_table_a_person_changed(runner, mainroad):
    for args in (["extract"], ["update"], ["translate", "--engine", "pseudo"], ["export", "--use-fuzzy"]):
        assert run(runner, *args).exit_code == 0, args
    table = mainroad / "i18n" / "es.yaml"
    edited = table.read_text(encoding="utf-8").replace(
        tables.read_table(table).get("read_more").text, "Leer más, por favor")
    table.write_text(edited, encoding="utf-8")
    result = run(runner, "export", "--use-fuzzy")
    assert result.exit_code == 3
    assert "i18n/es.yaml: kept: its string 'read_more' was changed by a person" in result.output
    assert "locales/es/LC_MESSAGES/messages.po" in result.output and "--force" in result.output
    assert table.read_text(encoding="utf-8") == edited
    assert run(runner, "export", "--use-fuzzy", "--force").exit_code == 0
    assert "Leer más, por favor" not in table.read_text(encoding="utf-8")


def test_a_broken_catalog_is_one_line_and_the_others_are_compiled(runner, mainroad):
    for args in (["extract"], ["update"], ["translate", "--engine", "pseudo"]):
        assert run(runner, *args).exit_code == 0, args
    es = mainroad / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    es.write_text(es.read_text(encoding="utf-8").replace("charset=utf-8", "charset=KLINGON"), encoding="utf-8")
    result = run(runner, "compile", "--use-fuzzy")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "locales/es/LC_MESSAGES/messages.po:" in result.output and "unknown charset" in result.output
    assert (mainroad / "locales" / "ru" / "LC_MESSAGES" / "messages.mo").is_file()
    es.write_text(es.read_text(encoding="utf-8").replace("charset=KLINGON", "charset=utf-8")
                  + '\nmsgid "Unterminated"\nmsgstr "Sin cerrar\n', encoding="utf-8")
    result = run(runner, "compile", "--use-fuzzy")
    assert result.exit_code == 1 and "end-of-line within string" in result.output


def test_a_ui_string_translated_many_times_its_length_is_left_untranslated(runner, mainroad):
    for args in (["extract"], ["update", "--to", "es"]):
        assert run(runner, *args).exit_code == 0, args
    result = run(runner, "translate", "--to", "es", "--engine", "growing")
    assert result.exit_code == 0
    assert ("locales/es/LC_MESSAGES/messages.po: warning: the engine's translation of a text of 10 characters has "
            "10,000, more than l10n takes (3 times the text plus 40: 70); 'Read more…' is left untranslated") in result.output
    catalog = catalogs.read_catalog(mainroad / "locales" / "es" / "LC_MESSAGES" / "messages.po")
    refused = catalog.get("Read more…", context="read_more")
    assert refused.string == "" and not refused.fuzzy
    menu = catalog.get("Menu", context="menu_label")
    assert menu.string == "MENU" and menu.fuzzy  # the others are filled


def test_an_export_after_a_build_blames_nobody_for_the_builds_own_strings(runner, tmp_path, monkeypatch):
    """l10n build publishes the catalogs' machine drafts (fuzzy); a plain catalog export
    then is no conflict with a person: those strings are l10n's own."""
    from conftest import copy_example_site

    site = copy_example_site(tmp_path / "site")
    monkeypatch.chdir(site)
    assert invoke(runner, "build").exit_code in (0, 3)
    result = invoke(runner, "catalog", "export", "--format", "hugo")
    assert result.exit_code == 0, result.output
    assert "changed by a person" not in result.output

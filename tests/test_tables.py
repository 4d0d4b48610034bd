"""Hugo's UI-string tables (go-i18n), read and written in each format and shape (l10n/tables.py)."""

from __future__ import annotations

import pytest
from helpers import write

from l10n import tables
from l10n.errors import ContentError

MINUTES = {"one": "One minute", "other": "{{ .Count }} minutes"}
#: One table in each format, each in another of the shapes Hugo reads, and its "minutes".
SHAPES = {
    "yaml": ("list", '- id: read_more\n  translation: "Read more"\n  description: a link\n\n'
                     '- id: minutes\n  translation:\n    one: "One minute"\n    other: "{{ .Count }} minutes"\n', MINUTES),
    "toml": ("nested", '[read_more]\nother = "Read more"\n\n[minutes]\none = "One minute"\nother = "{{ .Count }} minutes"\n',
             MINUTES),
    "json": ("map", '{"read_more": {"translation": "Read more"}, "minutes": {"translation": "{{ .Count }} minutes"}}\n',
             "{{ .Count }} minutes"),
}


@pytest.mark.parametrize("fmt", sorted(SHAPES))
def test_each_format_and_shape_is_read(tmp_path, fmt):
    style, text, minutes = SHAPES[fmt]
    table = tables.read_table(write(tmp_path / "i18n" / f"en.{fmt}", text))
    assert (table.format, table.style) == (fmt, style)
    assert table.get("read_more").text == "Read more" and table.get("nope") is None
    assert table.get("minutes").text == minutes


def test_entries_know_their_line_and_description(tmp_path):
    table = tables.read_table(write(tmp_path / "en.yaml", SHAPES["yaml"][1]))
    assert [(e.id, e.line) for e in table.entries] == [("read_more", 1), ("minutes", 5)]
    assert table.get("read_more").description == "a link"


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_a_written_table_keeps_the_sources_format_and_shape_and_reads_back(tmp_path, fmt):
    source = tables.read_table(write(tmp_path / "i18n" / f"en.{fmt}", SHAPES[fmt][1]))
    texts = [("read_more", "Leer más"), ("minutes", {"one": "Un minuto", "other": "{{ .Count }} minutos"})]
    target = tmp_path / "i18n" / f"es.{fmt}"
    assert tables.write_table(target, source, texts, tmp_path)
    back = tables.read_table(target)
    assert (back.format, back.style) == (source.format, source.style)
    assert [(e.id, e.text) for e in back.entries] == texts
    assert tables.same_strings(target, texts) and not tables.same_strings(target, texts[:1])
    assert not tables.write_table(target, source, texts, tmp_path)  # the same bytes: not written again


def test_the_table_of_a_language_is_found_in_any_format_and_spelling(tmp_path):
    assert tables.find_table(tmp_path, "pt-br") is None
    path = write(tmp_path / "i18n" / "pt_BR.toml", 'read_more = "Leia mais"\n')
    assert tables.find_table(tmp_path, "pt-br") == path


@pytest.mark.parametrize("name, text, message", [
    ("en.yaml", "- translation: x\n", "entry 1 has no id"),
    ("en.toml", '[minutes]\nsome = "x"\n', "plural forms must be among zero, one, two, few, many, other"),
    ("en.json", '"just a string"\n', "not a go-i18n table"),
    ("en.json", '{"a": \n', "invalid JSON"),
])
def test_what_is_not_a_table_is_an_error_naming_the_file(tmp_path, name, text, message):
    with pytest.raises(ContentError, match=message) as err:
        tables.read_table(write(tmp_path / name, text))
    assert err.value.path == str(tmp_path / name)

"""``--merge``: a person's translation whose source changed keeps its unchanged segments (l10n/merge.py)."""

from __future__ import annotations

from helpers import cells, edit, invoke


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
    assert ": 1 segment, " in cell.detail, cell.detail  # one remade: "1 segment", never "1 segments"
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

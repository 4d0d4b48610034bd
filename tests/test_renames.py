"""Orphans and renames: a translation whose source is gone is reported, one whose source was renamed follows it."""

from __future__ import annotations

from helpers import invoke, records, translate, write

from l10n.commands.status import run_status


def test_a_renamed_articles_translations_follow_it_and_a_deleted_ones_are_orphans(runner, site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    write(site / "content" / "lisbon.md", "---\ntitle: Lisbon\ntranslations: [en]\n---\n\nA week in Lisbon.\n")
    write(site / "content" / "porto.md", "---\ntitle: Porto\n---\n\nA day in Porto.\n")
    assert translate(runner).exit_code == 0
    edit_by_hand = (site / "content" / "lisbon.es.md").read_text(encoding="utf-8").replace("⟧", "⟧ (revisado)", 1)
    (site / "content" / "lisbon.es.md").write_text(edit_by_hand, encoding="utf-8")
    assert invoke(runner, "review", "--approve").exit_code == 0
    # a person renames the article (git mv), and deletes another
    (site / "content" / "lisbon.md").rename(site / "content" / "a-week-in-lisbon.md")
    (site / "content" / "porto.md").unlink()
    result = invoke(runner, "status", "--check")
    assert result.exit_code == 3, result.output
    assert "its source was renamed to content/a-week-in-lisbon.md" in result.output.replace("\n", " ") or \
        "orphan" in result.output
    statuses = {c.target: c.status for c in run_status().cells()}
    assert statuses == {"content/lisbon.es.md": "orphan", "content/porto.es.md": "orphan",
                        "content/a-week-in-lisbon.es.md": "missing"}
    result = translate(runner)
    assert result.exit_code == 0, result.output
    assert "content/a-week-in-lisbon.es.md: renamed" in result.output
    moved = site / "content" / "a-week-in-lisbon.es.md"
    assert "(revisado)" in moved.read_text(encoding="utf-8")  # the person's words, as they were
    assert not (site / "content" / "lisbon.es.md").exists()
    statuses = {c.target: c.status for c in run_status().cells()}
    assert statuses["content/a-week-in-lisbon.es.md"] == "reviewed"
    assert statuses["content/porto.es.md"] == "orphan"  # deleted, not renamed: said, never guessed
    (site / "content" / "porto.es.md").unlink()
    translate(runner)
    assert sorted(records(site)["targets"]) == ["content/a-week-in-lisbon.es.md"]
    assert sorted(records(site)["sources"]) == ["content/a-week-in-lisbon.md"]
    assert sorted(p.name for p in (site / ".l10n" / "state" / "content").iterdir()) == ["a-week-in-lisbon.md.jsonl"]

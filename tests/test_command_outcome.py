"""What a translate run did, file by file, and its report (l10n/commands/outcome.py)."""

from __future__ import annotations

from l10n.commands.outcome import Outcome, TranslateReport


def test_a_file_that_failed_is_counted_failed_only():
    report = TranslateReport(outcomes=[Outcome("content/a.es.md", "unchanged"), Outcome("content/a.es.md", "failed"),
                                       Outcome("content/b.es.md", "unchanged")])
    assert report.counts() == {"unchanged": 1, "failed": 1}


def test_an_outcome_reads_as_its_place_and_what_happened():
    assert Outcome("content/a.es.md", "created").format() == "content/a.es.md: created"
    assert Outcome("content/a.md", "failed", reason="invalid YAML", line=3).format() == "content/a.md:3: failed: invalid YAML"


def test_the_summary_counts_translations_then_skipped_articles_then_lists():
    report = TranslateReport(outcomes=[
        Outcome("a.es.md", "created"), Outcome("b.es.md", "created"), Outcome("c.es.md", "unchanged"),
        Outcome("a.md", "updated", role="list"), Outcome("d.md", "skipped", role="article")])
    assert report.summary() == "2 created, 1 unchanged; 1 article skipped; translations lists updated in 1 file"
    report.dry_run = True
    assert report.summary().endswith("; translations lists to update in 1 file")
    assert TranslateReport().summary() == "nothing to do"


def test_the_json_report_leaves_out_empty_fields():
    report = TranslateReport(outcomes=[Outcome("a.es.md", "created", lang="es")], engine="pseudo", targets=["es"],
                             seconds=1.23456, memory_hits=2)
    data = report.to_dict()
    assert data["files"] == [{"path": "a.es.md", "action": "created", "lang": "es", "role": "translation"}]
    assert data["seconds"] == 1.235 and data["counts"] == {"created": 1}
    assert data["memory"] == {"hits": 2, "misses": 0} and "usage" not in data

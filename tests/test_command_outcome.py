"""What a translate run did, file by file, and its report (l10n/commands/outcome.py)."""

from __future__ import annotations

from l10n.commands.outcome import Outcome, TranslateReport


def test_a_file_that_failed_is_counted_failed_only():
    report = TranslateReport(outcomes=[Outcome("content/a.es.md", "unchanged"), Outcome("content/a.es.md", "failed"),
                                       Outcome("content/b.es.md", "unchanged")])
    assert report.counts() == {"unchanged": 1, "failed": 1}

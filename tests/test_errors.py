"""Problems at a place: errors and report lines (l10n/errors.py)."""

from __future__ import annotations

from l10n.errors import ContentError


def test_a_long_message_is_cut_to_one_short_line():
    exc = ContentError("x" * 5000, "a.md", 1)
    assert len(exc.message) == 400 and exc.message.endswith("…")

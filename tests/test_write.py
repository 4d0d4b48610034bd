"""Atomic writes and links."""

from __future__ import annotations

import os

from helpers import write


def test_writing_through_a_link_keeps_the_link(tmp_path):
    from l10n.write import write_atomic

    real = write(tmp_path / "real.md", "old")
    os.symlink(real, tmp_path / "link.md")
    assert write_atomic(tmp_path / "link.md", b"new")
    assert os.path.islink(tmp_path / "link.md") and real.read_text() == "new"

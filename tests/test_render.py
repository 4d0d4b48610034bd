"""Putting translations back: escaping, spacing, emphasis."""

from __future__ import annotations

import pytest
from helpers import assert_same_structure, translate_text

from l10n import engines
from l10n.engines.basic import PseudoEngine


@pytest.mark.parametrize(
    "text",
    [
        "1. Step one:\n\n   ```yaml\n   key: value {{%\n   param version %}}\n   other: thing\n   ```\n\n2. Step two.\n",
        "Wow\\![link](http://x.org) now.\n",
        "Clone <{{% param github_repo %}}>.\n",
    ],
)
def test_markup_cases(text):
    out, _ = translate_text(text, PseudoEngine())
    assert_same_structure(text, out)


def test_engine_dropping_spaces_does_not_fuse_code_spans():
    text = "Use `a` `b` now.\n"
    out, _ = translate_text(text, engines.load("spaceless"))
    assert_same_structure(text, out)

"""Language codes: how each tool spells them (l10n/langs.py)."""

from __future__ import annotations

import pytest

from l10n import langs


@pytest.mark.parametrize(
    "code, babel, argos, base",
    [("pt-br", "pt_BR", "pb", "pt"), ("zh-hant", "zh_Hant", "zt", "zh"), ("zh-cn", "zh_Hans_CN", "zh", "zh"), ("en-US", "en_US", "en", "en")],
)
def test_language_code_spellings(code, babel, argos, base):
    assert langs.to_babel(code) == babel
    assert langs.to_argos(code) == argos
    assert langs.base(code) == base
    assert langs.from_argos(argos) == (langs.normalize(code) if argos in ("pb", "zt") else argos)

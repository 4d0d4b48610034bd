"""Language codes: how each tool spells them (l10n/langs.py)."""

from __future__ import annotations

import pytest

from l10n import langs
from l10n.errors import ConfigError


@pytest.mark.parametrize(
    "code, gettext, argos, base",
    [("pt-br", "pt_BR", "pb", "pt"), ("zh-hant", "zh_Hant", "zt", "zh"), ("zh-cn", "zh_CN", "zh", "zh"), ("en-US", "en_US", "en", "en")],
)
def test_language_code_spellings(code, gettext, argos, base):
    assert langs.to_gettext(code) == gettext
    assert langs.from_babel(gettext) == langs.normalize(code)
    assert langs.to_argos(code) == argos
    assert langs.base(code) == base


def test_unknown_codes_get_the_nearest_known_ones():
    # a language's own English name is that language alone ("danish" is near "spanish")
    assert langs.suggest("spanish") == ["es"] and langs.suggest("Portuguese") == ["pt"]
    assert "de" in langs.suggest("germna")  # a misspelt name
    assert langs.suggest("ess")[:1] == ["es"]  # a misspelt code
    for code in ("xx", "un", "mu"):  # never "no linguistic content", "undetermined", "multiple"
        assert not {"zxx", "und", "mul", "mis"} & set(langs.suggest(code)), code
    with pytest.raises(ConfigError, match="unknown language code 'spanish'; did you mean es\\?"):
        langs.validate("spanish")
    assert langs.validate("pt_BR") == "pt-br"

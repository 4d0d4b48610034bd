"""Language codes: the one place that knows how they are spelled.

Front matter and file names use Hugo's spelling (``en``, ``pt-br``,
``zh-hant``); Babel locales use ``pt_BR``. Every module asks here.
"""

from __future__ import annotations

import functools
import re

from .errors import ConfigError

_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@functools.lru_cache(maxsize=512)
def is_code(text: str) -> bool:
    """Whether ``text`` names a language Babel knows (``es``, ``pt-br``, ``zh-Hant``)."""
    if not _SHAPE.match(text):
        return False
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(text.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def normalize(code: str) -> str:
    """Hugo's spelling of a language code: lower case, hyphens (``pt-br``)."""
    return code.strip().replace("_", "-").lower()


def validate(code: str, what: str = "language") -> str:
    """A normalized code, or a ConfigError naming the bad one and the nearest good ones."""
    norm = normalize(code)
    if not norm or not is_code(norm):
        near = suggest(code)
        raise ConfigError(f"unknown {what} code {code!r}" + (f"; did you mean {' or '.join(near)}?" if near else ""))
    return norm


def suggest(text: str, count: int = 3) -> list[str]:
    """Known codes near ``text``: by English name (``spanish`` -> ``es``), then by spelling."""
    import difflib

    from babel import Locale

    special = {"zxx", "und", "mul", "mis"}  # "no linguistic content" and the like: never what a person meant
    names = {code.lower().replace("_", "-"): name.lower() for code, name in Locale("en").languages.items()
             if code not in special}
    wanted = text.strip().lower()
    by_name = {name: code for code, name in names.items() if "-" not in code}
    if wanted in by_name:  # the language's own name: that one alone
        return [by_name[wanted]]
    found = [by_name[n] for n in difflib.get_close_matches(wanted, list(by_name), n=count, cutoff=0.75)]
    if not found:  # a misspelt code: the closest, then those that start alike, two letters first
        code = normalize(wanted)
        scored = [(difflib.SequenceMatcher(None, code, c).ratio(), c) for c in names if "-" not in c]
        scored = [(r, c) for r, c in scored if r >= 0.6]
        found = [c for _r, c in sorted(scored, key=lambda rc: (-rc[0], rc[1][:1] != code[:1], len(rc[1]) != 2, rc[1]))]
    return list(dict.fromkeys(found))[:count]


def ordered(languages: set[str] | list[str], source: str) -> list[str]:
    """The stable order of a ``translations`` list: the source first, then by code."""
    rest = sorted(set(languages) - {source})
    return [source, *rest]


# --------------------------------------------------------------------------
# Other spellings: Babel locales, langdetect, Argos Translate

#: Argos Translate's own codes for languages with a region or script.
_ARGOS = {"pb": "pt-br", "zt": "zh-hant"}
_TO_ARGOS = {v: k for k, v in _ARGOS.items()}
#: Codes that name one language (Norwegian: the macrolanguage and Bokmål).
_SAME = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "tl": "fil"}


def base(code: str) -> str:
    """The language without region or script: ``pt-br`` -> ``pt``; ``nb`` -> ``no``."""
    primary = normalize(code).split("-", 1)[0]
    return _SAME.get(primary, primary)


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two codes name the same language (``pt`` and ``pt-br`` do)."""
    return bool(a) and bool(b) and base(a) == base(b)


def from_langdetect(code: str) -> str:
    """langdetect's ``zh-cn``/``zh-tw`` and the rest, in Hugo's spelling."""
    return normalize(code)


def from_babel(locale: str) -> str:
    """A Babel locale identifier in Hugo's spelling: ``pt_BR`` -> ``pt-br``."""
    return normalize(locale)


def to_argos(code: str) -> str:
    """Argos Translate's code: ``pt-br`` -> ``pb``, ``zh-hant`` -> ``zt``, else the base."""
    norm = normalize(code)
    if norm in _TO_ARGOS:
        return _TO_ARGOS[norm]
    if norm in ("zh-tw", "zh-hk", "zh-mo"):
        return "zt"
    return base(norm) if base(norm) != "no" else "nb"


def to_gettext(code: str) -> str:
    """The locale name of a gettext catalog folder: ``pt-br`` -> ``pt_BR``,
    ``zh-hant`` -> ``zh_Hant``, ``es`` -> ``es``."""
    parts = normalize(code).split("-")
    out = [parts[0]]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "_".join(out)


def plural_categories(code: str, count: int | None = None, expr: str | None = None) -> list[str]:
    """The CLDR category (one, few, many, other...) of each gettext plural form,
    found by evaluating a Plural-Forms expression on sample numbers: a
    catalog's own (``count``, ``expr``), else the locale's in the installed Babel."""
    import gettext

    from babel import Locale
    from babel.messages.plurals import get_plural

    locale = Locale.parse(to_gettext(code))
    if count is None or expr is None:
        rule = get_plural(locale)
        count, expr = rule.num_plurals, rule.plural_expr
    if count == 1:
        return ["other"]
    choose = gettext.c2py(expr)
    seen: list[dict[str, int]] = [{} for _ in range(count)]
    for n in range(300):
        category = locale.plural_form(n)
        form = choose(n)
        if 0 <= form < count:
            seen[form][category] = seen[form].get(category, 0) + 1
    return [max(c, key=lambda k: c[k]) if c else "other" for c in seen]

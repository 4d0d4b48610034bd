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


def check(code: str, what: str = "language") -> str:
    """A normalized code, or a ConfigError naming the bad one."""
    norm = normalize(code)
    if not norm or not is_code(norm):
        raise ConfigError(f"unknown {what} code {code!r}")
    return norm


def parse_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``"es,fr"`` or ``["es", "fr"]`` as checked codes, in order, without repeats."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        if str(item).strip():
            code = check(str(item))
            if code not in out:
                out.append(code)
    return out


def ordered(languages: set[str] | list[str], source: str) -> list[str]:
    """The stable order of a ``translations`` list: the source first, then by code."""
    rest = sorted(set(languages) - {source})
    return [source, *rest]

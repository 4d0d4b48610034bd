"""Astro Starlight: ``astro.config.mjs`` with ``starlight({ locales })``; a folder per locale under ``src/content/docs``, ``src/content/i18n/<lang>.json``.

Read without running Node (``jsconfig``): the ``locales`` object given to
``starlight()`` and its ``defaultLocale``. With a ``root`` locale, sources
are ``src/content/docs/guide.md`` and translations ``src/content/docs/es/guide.md``;
without one, sources are under the default locale's folder
(``src/content/docs/en/``). Pages are MDX (``.mdx``) or CommonMark with
directives (``.md``: asides ``:::note[Title]``). Heading ids are
github-slugger's, and Starlight has no syntax to state one, so a translated
heading keeps its source's id as an empty anchor after its words
(``## Guía <a id="guide"></a>``): every link to it still lands there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .. import langs
from ..markdown import DEFAULT_KEYS
from .generator import JSX_PROPS, Language, display_name, language_key
from .jsconfig import Unreadable, find_value, read_config, text_of

NAME = "starlight"
NAMES = tuple(f"astro.config.{ext}" for ext in ("mjs", "js", "ts", "mts", "cjs"))
DOCS = "src/content/docs"


def find_config(root: Path) -> Path | None:
    for name in NAMES:
        path = root / name
        if path.is_file():
            try:
                if "starlight(" in text_of(path.read_text(encoding="utf-8")).replace(" (", "("):
                    return path
            except (OSError, UnicodeDecodeError):
                return path  # read() says what is wrong with it
    return None


def read(path: Path) -> dict[str, Any]:
    source, code = read_config(path)
    out: dict[str, Any] = {"site_config": path.name, "generator": NAME, "extensions": (".md", ".mdx"),
                           "content": DOCS, "layout": "dir", "dialect": "mdx-detect", "heading_ids": "github-slugger",
                           "id_syntax": "html-anchor", "ui": NAME,
                           "html_attributes": JSX_PROPS,
                           # front matter Starlight shows: a splash page's hero, a sidebar label
                           "keys": (*DEFAULT_KEYS, "hero.title", "hero.tagline", "sidebar.label")}
    locales = find_value(source, "locales", code, kind=dict)
    default = find_value(source, "defaultLocale", code)
    if locales is None:  # one language: Starlight's default, English
        out["source"] = "en"
        return out
    bad = _unreadable(locales) or (default if isinstance(default, Unreadable) else None)
    if bad is not None:
        out["unreadable"] = ((
            "source/targets", f"{path.name}:{bad.line}: cannot read starlight's locales without running Node "
                              f"(`{bad.text}`); set source and targets in l10n.toml instead"),)
        return out
    languages = []
    source_key = None
    for key, settings in locales.items():
        settings = settings if isinstance(settings, dict) else {}
        lang = settings.get("lang") if isinstance(settings.get("lang"), str) else None
        if key == "root":  # the default locale, whose pages have no folder of their own
            code = langs.normalize(lang or "en")
            source_key = code
            languages.append(Language(code, code, str(settings.get("label") or "")))
            continue
        languages.append(Language(language_key(key, path), langs.normalize(lang or key), str(settings.get("label") or "")))
    if source_key is None:
        source_key = default if isinstance(default, str) and default in locales else languages[0].key
    out["languages"] = tuple(languages)
    out["source"] = source_key
    out["targets"] = tuple(lang.key for lang in languages if lang.key != source_key)
    return out


def _unreadable(value: Any) -> Unreadable | None:
    if isinstance(value, Unreadable):
        return value
    if isinstance(value, dict):
        return next((found for v in value.values() if (found := _unreadable(v)) is not None), None)
    return None


def declare(path: Path, code: str, languages: Sequence[Language], source: str) -> str:
    """The ``locales`` entry that adds ``code`` to ``starlight()``."""
    return "\n".join(["locales: {", f"  {code}: {{ label: '{display_name(code)}', lang: '{code}' }},", "},"])

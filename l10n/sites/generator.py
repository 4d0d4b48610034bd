"""What every site generator module says of a site: its languages, where translations and UI strings go, its Markdown.

A generator module (``hugo``, ``docusaurus``, ``mkdocs``) recognises a site by
its own config file at the site root and reads from it, without running the
generator, the values a :class:`~l10n.config.Config` is made of:

- ``source``, ``languages``, ``targets``: the site's languages (:class:`Language`);
- ``contents`` and ``layout`` or ``trees``: where sources are, and where the
  translation of a source lives (a sibling ``post.es.md``, a folder per
  language, or a mirrored tree such as ``i18n/es/docusaurus-plugin-content-docs/current``);
- ``dialect``, ``extensions``: the Markdown the site's pages are written in
  (``hugo``, ``mdx``, ``python-markdown``);
- ``heading_ids``, ``id_syntax``: how the site makes heading ids and how a
  page states one;
- ``ui``: where its UI strings live, and in which format.

It also says how a language the site does not declare is added
(``declare``): the lines to put in its config.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Sequence

from .. import langs, limits
from ..errors import ConfigError, L10nError
from ..markdown import DEFAULT_ATTRIBUTES

#: The attributes translated on an MDX site: HTML's, and the JSX props people read
#: (``<TabItem label="...">``, ``<Card title="...">``, ``<Details summary="...">``).
JSX_PROPS = (*DEFAULT_ATTRIBUTES, "label", "description", "summary")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


#: What a language key may be: it names files (post.pt_br.md) and folders (content/pt_br/, i18n/pt-BR/).
LANGUAGE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def language_key(key: object, path: Path) -> str:
    """A language key as the site's config gives it, or a ConfigError: a key names
    files and folders, so it is never a path (``..`` would write outside the site)."""
    if not LANGUAGE_KEY.fullmatch(str(key)):
        raise ConfigError(f"language key {str(key)!r} is not a language tag (letters, digits, - and _); "
                          "rename it", path)
    return str(key)


@dataclass(frozen=True)
class Language:
    """A language of the site: the key the site names it by, and its code.

    The key is the site's own name (Hugo's ``[languages.pt_br]``, lower case;
    Docusaurus's ``pt-BR`` locale): file suffixes (``post.pt_br.md``), language
    folders, ``translations`` lists and provenance use it. The code
    (``languageCode``, else the key) is what engines, Babel, language detection
    and the ``lang`` field use (``pt-br``). A site that declares no languages
    has keys that are codes.
    """

    key: str
    code: str
    name: str = ""


@dataclass(frozen=True)
class Tree:
    """Sources under one folder whose translations mirror it elsewhere:
    ``docs/a/b.md`` -> ``i18n/es/docusaurus-plugin-content-docs/current/a/b.md``.

    ``pattern`` is the translations' folder, relative to the site root, with
    ``{lang}`` for the language key; ``folders`` names a language's folder
    where the site gives one (Hugo's per-language ``contentDir``)."""

    source: str
    pattern: str = ""
    folders: tuple[tuple[str, str], ...] = ()

    def folder(self, lang: str) -> str:
        return dict(self.folders).get(lang) or self.pattern.format(lang=lang)


class Generator(Protocol):
    """A site generator module: ``NAME``, and these three functions."""

    NAME: str

    def find_config(self, root: Path) -> Path | None:
        """The generator's config file at ``root``, if the site there is one of its own."""

    def read(self, path: Path) -> dict[str, Any]:
        """The config's values for :class:`~l10n.config.Config` (languages, trees,
        dialect...); what cannot be read is a ConfigError naming the l10n.toml
        setting to use instead."""

    def declare(self, path: Path, code: str, languages: Sequence[Language], source: str) -> str:
        """The lines that add the language ``code`` to the site's config."""


def read_settings(path: Path) -> dict[str, Any]:
    """A TOML, JSON or YAML settings file as a table (Hugo's config, l10n.toml)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None
    try:
        if path.suffix == ".toml":
            return tomllib.loads(text)
        if path.suffix == ".json":
            return json.loads(text)
        data = limits.safe_yaml(text, path)
        return data if isinstance(data, dict) else {}
    except L10nError:
        raise
    except Exception as exc:  # every parser's own error type: one message
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        if line is None and getattr(exc, "lineno", None):
            line = exc.lineno - 1  # type: ignore[attr-defined]
        m = re.search(r"\(at line (\d+)", str(exc))  # tomllib says it only in its message
        if line is None and m:
            line = int(m.group(1)) - 1
        raise ConfigError(f"invalid configuration: {str(exc).splitlines()[0]}", path,
                          line + 1 if line is not None else None) from None


def display_name(code: str) -> str:
    """A language's name in itself (``Español``), for the lines that declare it."""
    from babel import Locale

    try:
        locale = Locale.parse(langs.to_gettext(code))
        name = locale.get_display_name(locale) or code
    except Exception:  # an unusual code Babel cannot name: the code itself
        return code
    return name[:1].upper() + name[1:]


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)

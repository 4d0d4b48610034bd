"""Hugo: ``hugo.toml|yaml|json`` (or ``config.*``); languages, ``contentDir`` per language, heading ids, ``i18n/`` tables.

Translations are siblings by file name (``post.es.md``), or, when each
language has its own ``contentDir``, the same path under the language's
folder (``content/en/post.md`` -> ``content/es/post.md``). Hugo reads every
page outside a language's ``contentDir`` as the default language's, so the
folder layout needs it: :func:`require_content_dirs` says what to add.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from .. import anchors, langs
from ..errors import ConfigError
from .generator import Language, Tree, display_name, language_key, quote, read_settings

NAME = "hugo"
NAMES = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))


def find_config(root: Path) -> Path | None:
    for name in NAMES:
        path = root / name
        if path.is_file() and (name.startswith("hugo.") or _is_hugo(path)):
            return path
    return None


def _is_hugo(path: Path) -> bool:
    """``config.toml`` is Hugo's older name, and Zola's: Zola's has ``base_url``."""
    try:
        data = read_settings(path)
    except ConfigError:
        return True  # Hugo's to report
    return "base_url" not in data


def read(path: Path) -> dict[str, Any]:
    """The languages of a Hugo config, as Hugo reads them: keys lower case, in
    weight order, each with its ``languageCode`` (else the key), and the
    folders of languages that have a ``contentDir``."""
    data = {k.lower(): v for k, v in read_settings(path).items()}
    out: dict[str, Any] = {"site_config": path.name, "generator": NAME}
    default = data.get("defaultcontentlanguage")
    source = str(default).lower() if isinstance(default, str) and default.strip() else "en"
    out["source"] = source
    content_dir = data.get("contentdir")
    content = content_dir if isinstance(content_dir, str) and content_dir else "content"
    out["content"] = content
    languages = data.get("languages")
    folders: dict[str, str] = {}
    if isinstance(languages, dict) and languages:
        found = []
        for order, (key, settings) in enumerate(languages.items()):
            language_key(key, path)  # a key names files and folders: never a path
            settings = {str(k).lower(): v for k, v in settings.items()} if isinstance(settings, dict) else {}
            code = settings.get("languagecode")
            code = langs.normalize(str(code)) if isinstance(code, str) and code.strip() else langs.normalize(str(key))
            weight = settings.get("weight")
            weight = weight if isinstance(weight, int) and not isinstance(weight, bool) else 0
            name = settings.get("languagename")
            folder = settings.get("contentdir")
            if isinstance(folder, str) and folder.strip():
                folders[str(key).lower()] = os.path.normpath(folder.strip())
            found.append(((weight or 1 << 30, order), Language(str(key).lower(), code, str(name) if name else "")))
        out["languages"] = tuple(lang for _order, lang in sorted(found, key=lambda f: f[0]))
        keys = [lang.key for lang in out["languages"]]
        if source not in keys:
            source = out["source"] = keys[0] if not isinstance(default, str) else source
        out["targets"] = tuple(k for k in keys if k != source)
    if source in folders:
        # each language in a folder of its own: translations mirror the source's
        others = tuple((k, f) for k, f in folders.items() if k != source)
        out["trees"] = (Tree(folders[source], pattern=os.path.join(os.path.dirname(folders[source]) or ".", "{lang}"),
                             folders=others),)
        out["content"] = folders[source]
        out["layout"] = "dir"
    parser = _table(_table(_table(data, "markup"), "goldmark"), "parser")
    if parser:
        kind = _lookup(parser, "autoheadingidtype")
        if isinstance(kind, str) and kind.lower() in anchors.KINDS:
            out["heading_ids"] = kind.lower()
        if _lookup(parser, "autoheadingid") is False:
            out["heading_ids"] = ""
        if _lookup(_table(parser, "attribute"), "title") is False:
            out["id_syntax"] = ""
    return out


def _lookup(table: dict, key: str) -> Any:
    """A Hugo setting, whose keys are case-insensitive."""
    return next((v for k, v in table.items() if str(k).lower() == key), None)


def _table(table: dict, key: str) -> dict:
    found = _lookup(table, key)
    return found if isinstance(found, dict) else {}


def declare(path: Path, code: str, languages: Sequence[Language], source: str) -> str:
    """The lines that define ``code`` as a language in a Hugo config file."""
    return _lines(path.name, [(code, {"languageName": display_name(code), "weight": len(languages or [1]) + 1})],
                  languages, source)


def _lines(config: str, new: list[tuple[str, dict[str, Any]]], languages: Sequence[Language], source: str,
           source_settings: dict[str, Any] | None = None) -> str:
    """Lines that add languages (key, settings) to a Hugo config, with the
    source's own table first when the config has no languages yet."""
    entries = list(new)
    if not languages:
        entries.insert(0, (source, {"languageName": display_name(source), "weight": 1, **(source_settings or {})}))
    lines: list[str] = []
    if config.endswith(".toml"):
        for key, settings in entries:
            lines += [f"[languages.{key}]", *(f"{k} = {quote(v) if isinstance(v, str) else v}" for k, v in settings.items()), ""]
        return "\n".join(lines).rstrip("\n")
    if config.endswith(".json"):
        body = [f'  "{key}": {{{", ".join(f"{quote(k)}: {quote(v) if isinstance(v, str) else v}" for k, v in settings.items())}}}'
                for key, settings in entries]
        return "\n".join(['"languages": {', ",\n".join(body), "}"])
    lines = ["languages:"]
    for key, settings in entries:
        lines += [f"  {key}:", *(f"    {k}: {v}" for k, v in settings.items())]
    return "\n".join(lines)


def require_content_dirs(path: Path, root: Path, content: str, languages: Sequence[Language], source: str,
                         targets: Sequence[str]) -> None:
    """The folder layout on a Hugo site needs each language's ``contentDir``
    (Hugo reads a page outside them as the default language's, ``<html
    lang="en">``); without them, a ConfigError that prints the lines to add."""
    base = content.rstrip("/") or "content"
    parent = os.path.dirname(base) if os.path.basename(base) == source else base
    defined = {lang.key for lang in languages}
    entries = []
    for n, key in enumerate((source, *targets)):
        settings: dict[str, Any] = {} if key in defined else {"languageName": display_name(key), "weight": n + 1}
        entries.append((key, {**settings, "contentDir": os.path.join(parent, key)}))
    hint = _lines(path.name, entries, (Language(source, source),), source)
    moved = "" if os.path.basename(base) == source or (root / parent / source).is_dir() else \
        f", and move the sources into {os.path.join(parent, source)}/"
    raise ConfigError(f"the dir layout needs each language's contentDir (Hugo reads a page outside them as "
                      f"{source}); add them to the Hugo config{moved}", path, hint=hint)

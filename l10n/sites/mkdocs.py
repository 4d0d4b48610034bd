"""MkDocs with mkdocs-static-i18n: ``mkdocs.yml``; the plugin's languages, suffix or folder structure, Python-Markdown, ``nav_translations``.

``docs/page.md`` -> ``docs/page.es.md`` (``docs_structure: suffix``, the
plugin's default) or ``docs/en/page.md`` -> ``docs/es/page.md``
(``docs_structure: folder``). Pages are Python-Markdown with the extensions
``markdown_extensions`` enables; headings get ids from the ``toc``
extension's default slugify (``attr_list`` states one: ``{ #id }``). The
site's UI strings are the titles of its ``nav``, translated into each
language's ``nav_translations``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from .. import langs, limits
from ..errors import ConfigError
from .generator import Language, display_name, language_key, quote

NAME = "mkdocs"
NAMES = ("mkdocs.yml", "mkdocs.yaml")


class _Loader(yaml.SafeLoader):
    """YAML as MkDocs reads its config: tags (``!ENV``, ``!!python/name:...``) are values l10n does not need."""


def _tagged(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return None


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


def load_yaml(path: Path) -> Any:
    """``mkdocs.yml`` as data, within l10n's bounds on YAML; an error names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        limits.check_yaml(node, path)
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {str(getattr(exc, 'problem', None) or exc).splitlines()[0]}", path,
                          mark.line + 1 if mark is not None else None) from None
    finally:
        loader.dispose()


def find_config(root: Path) -> Path | None:
    return next((root / n for n in NAMES if (root / n).is_file()), None)


def plugin(data: Any) -> dict[str, Any] | None:
    """The settings of the ``i18n`` plugin (mkdocs-static-i18n), if the site uses it."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    items = plugins.items() if isinstance(plugins, dict) else ((p, None) if isinstance(p, str) else next(iter(p.items()), (None, None))
                                                              for p in plugins or () if isinstance(p, (str, dict)))
    for name, settings in items:
        if name == "i18n":
            return settings if isinstance(settings, dict) else {}
    return None


def extensions(data: Any) -> dict[str, Any]:
    """``markdown_extensions``: each enabled extension's name (``pymdownx.tabbed``) and its settings."""
    found = data.get("markdown_extensions") if isinstance(data, dict) else None
    out: dict[str, Any] = {}
    for item in found or ():
        if isinstance(item, str):
            out[item] = {}
        elif isinstance(item, dict):
            for name, settings in item.items():
                out[str(name)] = settings if isinstance(settings, dict) else {}
    return out


def read(path: Path) -> dict[str, Any]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError("not an MkDocs config: expected a mapping of settings", path)
    out: dict[str, Any] = {"site_config": path.name, "generator": NAME, "dialect": "python-markdown", "ui": NAME,
                           "heading_ids": "python-markdown"}
    docs = data.get("docs_dir")
    out["content"] = os.path.normpath(docs) if isinstance(docs, str) and docs.strip() else "docs"
    enabled = extensions(data)
    out["markdown_extensions"] = tuple(sorted(enabled))
    toc = enabled.get("toc", {})
    if "slugify" in toc:  # a slugify of the site's own: ids l10n cannot compute
        out["heading_ids"] = ""
    out["id_syntax"] = "attr" if "attr_list" in enabled else ""
    settings = plugin(data)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    source = theme.get("language") if isinstance(theme.get("language"), str) else "en"
    if settings is None:
        out["source"] = source
        return out
    languages = []
    for entry in settings.get("languages") or ():
        if isinstance(entry, dict) and isinstance(entry.get("locale"), str) and entry["locale"] != "null":
            languages.append(entry)
            if entry.get("default") is True:
                source = entry["locale"]
    out["languages"] = tuple(Language(language_key(e["locale"], path), langs.normalize(e["locale"]), str(e.get("name") or ""))
                             for e in languages)
    out["source"] = source
    out["targets"] = tuple(e["locale"] for e in languages if e["locale"] != source)
    if settings.get("docs_structure") == "folder":
        out["layout"] = "dir"
    return out


def declare(path: Path, code: str, languages: Sequence[Language], source: str) -> str:
    """The lines that add ``code`` to the i18n plugin's languages (and the plugin, when the site has none)."""
    entry = ["        - locale: " + code, f"          name: {display_name(code)}"]
    if languages:
        return "\n".join(["plugins:", "  - i18n:", "      languages:", *entry])
    return "\n".join(["plugins:", "  - i18n:", "      docs_structure: suffix", "      languages:",
                      f"        - locale: {source}", "          default: true", f"          name: {display_name(source)}",
                      *entry])


# --------------------------------------------------------------------------
# nav titles and nav_translations


def nav_titles(path: Path) -> Iterator[tuple[str, int]]:
    """Every title of the site's ``nav`` (sections and pages), with its line."""
    data = load_yaml(path)
    nav = data.get("nav") if isinstance(data, dict) else None
    text = path.read_text(encoding="utf-8")
    seen: set[str] = set()

    def walk(items: Any) -> Iterator[str]:
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(title, str):
                        yield title
                    yield from walk(value)

    for title in walk(nav):
        if title not in seen:
            seen.add(title)
            m = re.search(r"^[ \t]*-[ \t]*['\"]?" + re.escape(title) + r"['\"]?[ \t]*:", text, re.MULTILINE)
            yield title, text.count("\n", 0, m.start()) + 1 if m else 0


def nav_translations(path: Path, locale: str) -> dict[str, str]:
    """What ``nav_translations`` of a language says now."""
    settings = plugin(load_yaml(path)) or {}
    for entry in settings.get("languages") or ():
        if isinstance(entry, dict) and entry.get("locale") == locale:
            found = entry.get("nav_translations")
            return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
    return {}


def with_nav_translations(path: Path, locale: str, texts: dict[str, str]) -> str:
    """``mkdocs.yml``'s text with the language's ``nav_translations`` set to
    ``texts``; every other byte as it was. The language's entry must exist."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    entry = _language_node(root, locale)
    if entry is None:
        raise ConfigError(f"the i18n plugin has no language {locale}", path)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    indent = " " * entry.start_mark.column
    body = [f"{indent}nav_translations:{newline}",
            *(f"{indent}  {quote(k)}: {quote(v)}{newline}" for k, v in texts.items())]
    for key, value in entry.value:
        if key.value == "nav_translations":
            start = key.start_mark.line
            end = value.end_mark.line if value.end_mark.column else value.end_mark.line - 1
            end = max(end, start)
            if isinstance(value, yaml.MappingNode) and value.flow_style is not True:
                end = value.end_mark.line - (1 if value.end_mark.column == 0 else 0)
            return "".join(lines[:start] + body + lines[end + 1 :])
    last = max(v.end_mark.line - (1 if v.end_mark.column == 0 else 0) for _k, v in entry.value)
    return "".join(lines[: last + 1] + body + lines[last + 1 :])


def _language_node(root: Any, locale: str) -> yaml.MappingNode | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value != "plugins" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            for name, settings in item.value:
                if name.value != "i18n" or not isinstance(settings, yaml.MappingNode):
                    continue
                for skey, svalue in settings.value:
                    if skey.value == "languages" and isinstance(svalue, yaml.SequenceNode):
                        for entry in svalue.value:
                            if isinstance(entry, yaml.MappingNode) and any(
                                    k.value == "locale" and getattr(v, "value", None) == locale for k, v in entry.value):
                                return entry
    return None

"""Docusaurus: ``docusaurus.config.js|ts|mjs``; locales, mirrored ``i18n/<locale>/`` trees, MDX, ``code.json`` and theme JSON.

Read without running Node (``jsconfig``): ``i18n.defaultLocale`` and
``i18n.locales``, the classic preset's ``docs.path`` and ``blog.path`` (and
whether they are switched off), ``future.v4`` and ``markdown.format`` /
``markdown.mdx1Compat.headingIds``. Docs ``docs/a/b.md(x)`` are translated to
``i18n/<locale>/docusaurus-plugin-content-docs/current/a/b.md(x)`` (a version
``versioned_docs/version-1.0/`` to ``.../version-1.0/``), the blog to
``.../docusaurus-plugin-content-blog/``, pages to ``.../docusaurus-plugin-content-pages/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .. import langs
from ..markdown import DEFAULT_KEYS
from .generator import JSX_PROPS, Language, Tree, language_key
from .jsconfig import Unreadable, find_value, read_config

NAME = "docusaurus"
NAMES = tuple(f"docusaurus.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "mts"))
DOCS = "docusaurus-plugin-content-docs"
BLOG = "docusaurus-plugin-content-blog"
PAGES = "docusaurus-plugin-content-pages"


def find_config(root: Path) -> Path | None:
    return next((root / n for n in NAMES if (root / n).is_file()), None)


def read(path: Path) -> dict[str, Any]:
    source, code = read_config(path)
    out: dict[str, Any] = {"site_config": path.name, "generator": NAME, "extensions": (".md", ".mdx"),
                           "heading_ids": "github-slugger", "ui": NAME,
                           "html_attributes": JSX_PROPS,
                           # front matter people read in the sidebar and the pager too
                           "keys": (*DEFAULT_KEYS, "sidebar_label", "pagination_label")}
    unreadable: list[tuple[str, str]] = []
    i18n = find_value(source, "i18n", code)
    i18n = i18n if i18n is not None else {"defaultLocale": "en", "locales": ["en"]}
    default = i18n.get("defaultLocale", "en") if isinstance(i18n, dict) else i18n
    locales = i18n.get("locales", [default]) if isinstance(i18n, dict) else i18n
    if isinstance(default, str) and isinstance(locales, list) and all(isinstance(x, str) for x in locales):
        out["languages"] = tuple(Language(language_key(x, path), langs.normalize(x)) for x in locales)
        out["source"] = default
        out["targets"] = tuple(x for x in locales if x != default)
    else:
        bad = next((v for v in (default, locales, *(locales if isinstance(locales, list) else ())) if isinstance(v, Unreadable)),
                   None)
        where = f"{path.name}:{bad.line}: " if bad else f"{path.name}: "
        what = f" (`{bad.text}`)" if bad else ""
        unreadable.append(("source/targets", f"{where}cannot read i18n.defaultLocale and i18n.locales without running "
                                             f"Node{what}; set source and targets in l10n.toml instead"))
    docs = find_value(source, "docs", code)
    blog = find_value(source, "blog", code)
    trees = []
    root = path.parent
    if docs is not False:
        folder = _path(docs, "docs")
        trees.append(Tree(folder, f"i18n/{{lang}}/{DOCS}/current"))
        versions = root / "versioned_docs"
        if versions.is_dir():
            trees += [Tree(f"versioned_docs/{v.name}", f"i18n/{{lang}}/{DOCS}/{v.name}")
                      for v in sorted(versions.iterdir()) if v.is_dir() and v.name.startswith("version-")]
    if blog is not False:
        trees.append(Tree(_path(blog, "blog"), f"i18n/{{lang}}/{BLOG}"))
    trees.append(Tree("src/pages", f"i18n/{{lang}}/{PAGES}"))
    out["trees"] = tuple(trees)
    out["content"] = trees[0].source
    future = find_value(source, "future", code)
    v4 = future.get("v4") if isinstance(future, dict) else None
    markdown = find_value(source, "markdown", code)
    markdown = markdown if isinstance(markdown, dict) else {}
    compat = markdown.get("mdx1Compat") if isinstance(markdown.get("mdx1Compat"), dict) else {}
    compat_off = v4 is True or (isinstance(v4, dict) and v4.get("mdx1CompatDisabledByDefault") is True)
    heading_compat = compat.get("headingIds", not compat_off)
    # {#id} builds while MDX 1 compatibility escapes it; under future.v4 only {/* #id */} does
    out["id_syntax"] = "attr" if heading_compat is True else "mdx-comment"
    fmt = markdown.get("format", "mdx")
    out["dialect"] = {"detect": "mdx-detect", "md": "commonmark"}.get(fmt, "mdx") if isinstance(fmt, str) else "mdx"
    if unreadable:
        out["unreadable"] = tuple(unreadable)
    return out


def _path(plugin: Any, default: str) -> str:
    if isinstance(plugin, dict) and isinstance(plugin.get("path"), str):
        return plugin["path"].strip("./") or default
    return default


def declare(path: Path, code: str, languages: Sequence[Language], source: str) -> str:
    """The config's ``i18n`` with ``code`` among its locales."""
    keys = [lang.key for lang in languages] or [source]
    listed = ", ".join(f"'{k}'" for k in [*keys, code])
    return "\n".join(["i18n: {", f"  defaultLocale: '{source}',", f"  locales: [{listed}],", "},"])

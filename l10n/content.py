"""Find articles and their translations in a content folder.

Hugo's two layouts: translation by file name (``post.md`` and ``post.es.md``
side by side; page bundles ``index.md``/``index.es.md``) and translation by
content directory (``content/en/post.md`` and ``content/es/post.md``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import langs

EXTENSIONS = (".md", ".markdown")


@dataclass
class Article:
    """A source file and the translations of it that exist."""

    source: Path
    #: The language of the source when its file name says it (``post.en.md``).
    suffix_lang: str | None = None
    #: Existing translations by language.
    siblings: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """Where translations of a content root go."""

    kind: str  # "suffix" or "dir"
    root: Path
    source: str

    @property
    def lang_root(self) -> Path | None:
        """Layout dir: the folder holding one folder per language."""
        if self.kind != "dir":
            return None
        return self.root.parent if self.root.name == self.source else self.root

    def target(self, article: Article, lang: str) -> Path:
        src = article.source
        if self.kind == "suffix":
            stem = split_name(src.name)[0]
            return src.with_name(f"{stem}.{lang}{src.suffix}")
        lang_root = self.lang_root
        assert lang_root is not None
        return lang_root / lang / Path(os.path.abspath(src)).relative_to(self.root)


def split_name(name: str) -> tuple[str, str | None]:
    """``post.es.md`` -> (``post``, ``es``); ``post.md`` -> (``post``, None)."""
    stem = name.rsplit(".", 1)[0]
    head, dot, tail = stem.rpartition(".")
    if dot and head and langs.is_code(tail):
        return head, langs.normalize(tail)
    return stem, None


def walk(root: Path, skip: Iterable[Path] = ()) -> Iterator[Path]:
    """Markdown files below ``root``, sorted; hidden folders skipped, links kept inside."""
    real_root = os.path.realpath(root)
    skipped = {os.path.realpath(p) for p in skip}
    stack = [str(root)]
    out: list[str] = []
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = entry.path
            if entry.is_symlink():
                real = os.path.realpath(path)
                if not (real == real_root or real.startswith(real_root + os.sep)):
                    continue  # a link leading outside the content root
            if entry.is_dir():
                if os.path.realpath(path) not in skipped:
                    stack.append(path)
            elif entry.name.endswith(EXTENSIONS):
                out.append(path)
    for path in sorted(out):
        yield Path(path)


def discover(root: Path, layout: Layout, languages: Iterable[str] = ()) -> Iterator[Article]:
    """The articles below ``root`` (a folder or a single file)."""
    if root.is_file():
        yield from _group([root], layout)
        return
    skip: list[Path] = []
    lang_root = layout.lang_root
    if lang_root is not None:
        skip = [lang_root / lang for lang in languages if lang != layout.source]
    files = list(walk(root, skip))
    articles = list(_group(files, layout))
    if lang_root is not None:
        for article in articles:
            for lang in languages:
                if lang == layout.source:
                    continue
                target = layout.target(article, lang)
                if target.is_file():
                    article.siblings[lang] = target
    yield from articles


def _group(files: list[Path], layout: Layout) -> Iterator[Article]:
    groups: dict[tuple[Path, str, str], dict[str | None, Path]] = {}
    for path in files:
        stem, lang = split_name(path.name)
        groups.setdefault((path.parent, stem, path.suffix), {})[lang] = path
    for (_parent, _stem, _ext), members in groups.items():
        if None in members:
            source, suffix_lang = members.pop(None), None
        elif layout.source in members:
            suffix_lang = layout.source
            source = members.pop(layout.source)
        else:  # translations without an original: each stands alone
            for lang, path in sorted(members.items()):
                yield Article(path, suffix_lang=lang)
            continue
        yield Article(source, suffix_lang=suffix_lang, siblings=dict(sorted(members.items())))

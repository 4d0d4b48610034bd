"""Find articles and their translations in a content folder.

Three layouts: translation by file name (``post.md`` and ``post.es.md``
side by side; page bundles ``index.md``/``index.es.md``), by a folder per
language (``content/en/post.md`` and ``content/es/post.md``), and by a tree
that mirrors the sources' folder elsewhere (Docusaurus's ``docs/a.md`` and
``i18n/es/docusaurus-plugin-content-docs/current/a.md``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import langs
from .write import write_atomic

EXTENSIONS = (".md", ".markdown")


@dataclass
class Article:
    """A source file and the translations of it that exist."""

    source: Path
    #: The language of the source when its file name says it (``post.en.md``).
    suffix_lang: str | None = None
    #: Existing translations by language.
    siblings: dict[str, Path] = field(default_factory=dict)
    #: A translation l10n made from a source that no longer exists.
    orphan_of: Path | None = None


@dataclass(frozen=True)
class Layout:
    """Where translations of a content root go."""

    kind: str  # "suffix", "dir" or "tree"
    root: Path
    source: str
    #: The site's language keys (its config's); empty: any language code names one.
    keys: frozenset[str] = frozenset()
    #: Layout tree: each language's folder, where the tree under ``root`` is mirrored.
    folders: tuple[tuple[str, Path], ...] = ()
    #: Layout tree: the folder of any other language, with ``{lang}`` for its key.
    pattern: str = ""
    #: The file names of pages.
    extensions: tuple[str, ...] = EXTENSIONS

    def is_language(self, name: str) -> bool:
        """Whether a file-name suffix or folder name names a language of the site."""
        return name.lower() in {k.lower() for k in self.keys} if self.keys else langs.is_code(name)

    def mirror(self, lang: str) -> Path:
        """Layout tree: the folder that mirrors ``root`` in ``lang``."""
        return dict(self.folders).get(lang) or Path(self.pattern.format(lang=lang))

    def split(self, name: str) -> tuple[str, str | None]:
        """``post.es.md`` -> (``post``, ``es``); ``post.md`` -> (``post``, None).
        A tree's file names name no language (``a.es.md`` is a page of its own)."""
        if self.kind == "tree":
            return name.rsplit(".", 1)[0], None
        return split_name(name, self.keys)

    @property
    def lang_root(self) -> Path | None:
        """Layout dir: the folder holding one folder per language."""
        if self.kind != "dir":
            return None
        return self.root.parent if self.root.name == self.source else self.root

    def target(self, article: Article, lang: str) -> Path:
        """Where the article's translation into ``lang`` is: the sibling that exists
        (``post.pt-BR.md`` for the key pt-br, as a person spelt it), else its name."""
        src = article.source
        if lang in article.siblings:
            return article.siblings[lang]
        if self.kind == "tree":
            return self.mirror(lang) / Path(os.path.abspath(src)).relative_to(self.root)
        if self.kind == "suffix":
            stem = self.split(src.name)[0]
            return src.with_name(f"{stem}.{lang}{src.suffix}")
        lang_root = self.lang_root
        assert lang_root is not None
        return lang_root / lang / Path(os.path.abspath(src)).relative_to(self.root)


def split_name(name: str, keys: frozenset[str] | set[str] = frozenset()) -> tuple[str, str | None]:
    """``post.es.md`` -> (``post``, ``es``); ``post.md`` -> (``post``, None).

    With the site's language keys, only those name a language (``post.pt_br.md``;
    Hugo reads ``post.fr.md`` as an English page when the site has no fr); without,
    any language code does, in Hugo's spelling."""
    stem = name.rsplit(".", 1)[0]
    head, dot, tail = stem.rpartition(".")
    if dot and head:
        if keys:
            spelt = {k.lower(): k for k in keys}
            if tail.lower() in spelt:
                return head, spelt[tail.lower()]
        elif langs.is_code(tail):
            return head, langs.normalize(tail)
    return stem, None


def walk(root: Path, skip: Iterable[Path] = (), extensions: tuple[str, ...] = EXTENSIONS) -> Iterator[Path]:
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
                # a link out of the content root is not followed; one within it
                # is another name for a file found anyway; a dangling one is
                # reported when it cannot be read
                real = os.path.realpath(path)
                if not (real == real_root or real.startswith(real_root + os.sep)) or os.path.exists(real):
                    continue
            if entry.is_dir():
                if os.path.realpath(path) not in skipped:
                    stack.append(path)
            elif entry.name.endswith(extensions):
                out.append(path)
    for path in sorted(out):
        yield Path(path)


def discover(
    root: Path,
    layout: Layout,
    languages: Iterable[str] = (),
    made_from: Callable[[Path], Path | None] | None = None,
) -> Iterator[Article]:
    """The articles below ``root`` (a folder, or a single file: its article).

    ``made_from`` tells which files l10n wrote as translations, and of what:
    such a file is a translation even when its source has another name or is
    gone (then it is an orphan, and not an article at all).
    """
    made_from = made_from or (lambda path: None)
    lang_root = layout.lang_root
    known = {lang for lang in languages if lang != layout.source}
    if lang_root is not None and lang_root.is_dir():
        # every language folder beside the source's holds translations
        known |= {e.name for e in os.scandir(lang_root) if e.is_dir() and e.name != layout.source and layout.is_language(e.name)}
    if layout.kind == "tree":
        known |= {lang for lang in layout.keys if lang != layout.source}
    if root.is_file():
        wanted = os.path.abspath(root)
        files = [Path(e.path) for e in os.scandir(root.parent) if e.is_file() and e.name.endswith(layout.extensions)]
        articles = [a for a in _group(sorted(files), layout, made_from)
                    if os.path.abspath(a.source) == wanted or any(os.path.abspath(p) == wanted for p in a.siblings.values())]
    else:
        skip = [lang_root / lang for lang in known] if lang_root is not None else []
        articles = list(_group(list(walk(root, skip, layout.extensions)), layout, made_from))
    if lang_root is not None or layout.kind == "tree":
        for article in articles:
            for lang in sorted(known):
                target = layout.target(article, lang)
                if target.is_file():
                    article.siblings[lang] = target
    yield from articles


def _group(files: list[Path], layout: Layout, made_from: Callable[[Path], Path | None]) -> Iterator[Article]:
    groups: dict[tuple[Path, str, str], dict[str | None, Path]] = {}
    for path in files:
        stem, lang = layout.split(path.name)
        groups.setdefault((path.parent, stem, path.suffix), {})[lang] = path
    for members in groups.values():
        if None in members:
            source, suffix_lang = members.pop(None), None
        elif layout.source in members:
            suffix_lang = layout.source
            source = members.pop(layout.source)
        else:
            # no original by name: a file l10n made from another member is a
            # translation of it; one made from a file that is gone is an orphan
            origins = {lang: made_from(path) for lang, path in members.items()}
            names = {os.path.abspath(p) for p in members.values()}
            # several files a person wrote and no original: the first (by
            # language code) is the source, the others its translations, so
            # that one target is never made from two of them
            originals = sorted(lang for lang in members if origins[lang] is None)
            if originals:
                lang = originals[0]
                path = members[lang]
                siblings = {l: p for l, p in members.items() if l != lang and (
                    origins[l] is None or os.path.abspath(origins[l]) == os.path.abspath(path))}
                yield Article(path, suffix_lang=lang, siblings=dict(sorted(siblings.items())))
            for lang, path in sorted(members.items()):
                origin = origins[lang]
                if origin is not None and os.path.abspath(origin) not in names:
                    yield Article(path, suffix_lang=lang, orphan_of=origin)
            continue
        if layout.kind == "tree" and suffix_lang is None:
            suffix_lang = layout.source  # a tree's sources are in its language (Docusaurus's docs/, Hugo's contentDir)
        yield Article(source, suffix_lang=suffix_lang, siblings=dict(sorted(members.items())))


#: Relative references to files: Markdown links and images, ``src``/``href``
#: attributes, MDX's ``require('./x.png')``.
_REFERENCE = re.compile(r"""\]\(\s*<?(?P<a>[^)\s>]+)|\b(?:src|href)\s*=\s*["'](?P<b>[^"']+)["']|require\(\s*["'](?P<c>[^"']+)["']\s*\)""")


def referenced_files(source: Path, text: str, extensions: tuple[str, ...] = EXTENSIONS) -> list[Path]:
    """The files beside ``source`` (in its folder or below) that it links to
    relatively, pages left out: what a translation in another folder needs
    copied to resolve as its source does."""
    folder = Path(os.path.abspath(source.parent))
    found: list[Path] = []
    for m in _REFERENCE.finditer(text):
        ref = (m.group("a") or m.group("b") or m.group("c")).split("#", 1)[0].split("?", 1)[0]
        if not ref or ref.startswith(("/", "#")) or re.match(r"[A-Za-z][\w+.-]*:", ref):
            continue
        path = Path(os.path.normpath(folder / ref))
        if folder in path.parents and path.is_file() and not path.name.endswith(extensions) and path not in found:
            found.append(path)
    return found


def mirror_files(source: Path, target: Path, text: str, inside: Path | None,
                 extensions: tuple[str, ...] = EXTENSIONS) -> list[Path]:
    """Copy the files ``source`` links to relatively beside ``target``, where a
    translation in another folder (Docusaurus's ``i18n/<locale>/...``) needs them;
    a copy that is already there is left as it is. The copies written."""
    if os.path.abspath(source.parent) == os.path.abspath(target.parent):
        return []
    written = []
    for path in referenced_files(source, text, extensions):
        copy = target.parent / path.relative_to(os.path.abspath(source.parent))
        if not copy.exists() and write_atomic(copy, path.read_bytes(), inside):
            written.append(copy)
    return written

"""Choose the pages of tests/corpus from the shared corpus (run by hand, not by pytest).

    python tests/select_corpus.py ../shared/corpus tests/corpus

Hugo documentation: every page that brings a feature no page chosen so far
has (a markdown-it-py token type, a shortcode, a front-matter format, entities,
HTML...), then a fixed random sample. otel: up to 14 pages per language, spread
over the page sizes. Mainroad's UI tables: all of them.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin).use(deflist_plugin)
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w./-]+)")
_MARKERS = ("[!NOTE]", "[!WARNING]", "\r\n", "&nbsp;", "&mdash;", "<div", "{#", "$$", "|")


def features(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    kind = "toml" if text.startswith("+++") else "yaml" if text.startswith("---") else "json" if text.startswith("{") else "none"
    found = {"fm:" + kind}
    for token in _md.parse(text):
        found.add(token.type)
        found.update("i:" + child.type for child in token.children or [])
    found.update("sc:" + m.group(1) for m in _SHORTCODE.finditer(text))
    found.update("s:" + marker for marker in _MARKERS if marker in text)
    return found


def covering(files: list[Path], extra: int, seed: int) -> list[Path]:
    feats = {p: features(p) for p in files}
    chosen: list[Path] = []
    covered: set[str] = set()
    while True:
        best = max(files, key=lambda p: len(feats[p] - covered))
        if not feats[best] - covered:
            break
        chosen.append(best)
        covered |= feats[best]
    rest = [p for p in files if p not in chosen]
    random.Random(seed).shuffle(rest)
    return chosen + rest[:extra]


def copy(files: list[Path], src: Path, dest: Path) -> None:
    for path in files:
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)


def main(src: Path, dest: Path) -> None:
    docs = src / "hugodocs"
    copy(covering(sorted(docs.rglob("*.md")), 160, 1) + [docs / "LICENSE"], docs, dest / "hugodocs")
    otel = src / "otel"
    for lang in sorted(p for p in otel.iterdir() if p.is_dir()):
        by_size = sorted(lang.rglob("*.md"), key=lambda p: p.stat().st_size)
        copy(by_size[:: max(1, len(by_size) // 14)][:14], otel, dest / "otel")
    copy([otel / "LICENSE"], otel, dest / "otel")
    shutil.copytree(src / "mainroad-i18n", dest / "mainroad-i18n", dirs_exist_ok=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

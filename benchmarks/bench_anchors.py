"""Real pages' heading links and HTML, before and after translation.

Over real pages (the shared corpus's Hugo and OpenTelemetry documentation,
else tests/corpus), each translated by the pseudo engine as `l10n translate`
does, with `anchors = "keep"` and with `anchors = "translate"`:

- in-page links to a heading (`[x](#id)`, `href="#id"`) that work in the
  source page (l10n.anchors computes the ids as Hugo 0.111 does; the tests
  hold it to the real `hugo`) and still work in the translation;
- HTML blocks' prose segments and readable attributes translated, and
  entities (`&nbsp;`, `&mdash;`...) kept, counted in source and translation;
- the copy engine reproduces every page byte for byte.

Target: every working link still works with anchors = "keep"; every entity
kept; every page reproduced.

    python benchmarks/bench_anchors.py [--pages N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n import markdown  # noqa: E402
from l10n.checks import heading_links  # noqa: E402
from l10n.engines.basic import CopyEngine, PseudoEngine  # noqa: E402
from l10n.translate import translate_documents  # noqa: E402

ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def pages(limit: int) -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus"
    base = shared if shared.is_dir() else ROOT / "tests" / "corpus"
    found = sorted(p for p in base.rglob("*.md") if p.name.lower() not in ("license.md", "sources.md"))
    return found[:limit] if limit else found


def working(doc) -> list[str]:
    ids = {h.id for h in doc.headings if h.id is not None}
    return [fragment for _line, page, fragment, _v in heading_links(doc) if not page and fragment in ids]


def translated(text: str, path: str, keep: bool, engine) -> tuple:
    options = markdown.Options(keep_ids=keep)
    doc = markdown.parse(text, path, options)
    translate_documents([doc], engine, "en", "es")
    return markdown.parse(doc.render(), path, options), doc.render()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="at most this many pages (default: all)")
    args = parser.parse_args()
    started = time.perf_counter()
    links = {"source": 0, "keep": 0, "translate": 0}
    html = Counter()
    entities_lost = reproduced = count = 0
    for path in pages(args.pages):
        try:
            text = path.read_text(encoding="utf-8")
            source = markdown.parse(text, str(path))
        except Exception:  # not a page l10n reads (bad front matter...): not this benchmark's business
            continue
        count += 1
        good = working(source)
        links["source"] += len(good)
        for mode, keep in (("keep", True), ("translate", False)):
            doc, out = translated(text, str(path), keep, PseudoEngine())
            ids = {h.id for h in doc.headings if h.id is not None}
            links[mode] += sum(1 for fragment in good if fragment in ids)
            if keep:
                lost = Counter(ENTITY.findall(text)) - Counter(ENTITY.findall(out))
                entities_lost += sum(lost.values())
        for seg in source.segments():
            if seg.kind in ("html", "attr"):
                html[seg.kind] += 1
        html["entities"] += len(ENTITY.findall(text))
        reproduced += translated(text, str(path), True, CopyEngine())[1] == text
    print(f"{count} pages ({time.perf_counter() - started:.1f} s), pseudo engine:")
    print(f"  in-page heading links that work in the source:  {links['source']}")
    print(f"    still working, anchors = \"keep\":             {links['keep']} (target {links['source']})")
    print(f"    still working, anchors = \"translate\":        {links['translate']}")
    print(f"  HTML blocks: {html['html']} prose segments and {html['attr']} attributes translated")
    print(f"  entities in the sources: {html['entities']}; lost in translation: {entities_lost} (target 0)")
    print(f"  pages the copy engine reproduces byte for byte: {reproduced} of {count} (target {count})")
    ok = links["keep"] == links["source"] and entities_lost == 0 and reproduced == count
    print("targets met" if ok else "targets missed")


if __name__ == "__main__":
    main()

"""Accuracy and speed of `l10n detect`.

1. Accuracy on ../shared/corpus/otel (pages labelled by folder: en, es, fr,
   ja, zh, pt, ro, bn, uk): a confusion table, the share of pages of 50 words
   or more detected correctly (target >= 97%), and how many were reported
   `confirmed` with a wrong language (target 0).
2. Speed: `python -m l10n detect` over ../shared/corpus/hugodocs replicated to
   --files files, in files/s (target >= 300 on 2 cores), beside a bare
   markdown-it-py parse of the same files measured in the same run.

    python benchmarks/bench_detect.py [--files 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
OTEL = ROOT.parent / "shared" / "corpus" / "otel"


def accuracy() -> None:
    from l10n import detect, langs, markdown

    detector = detect.Detector()
    confusion: dict[str, Counter] = defaultdict(Counter)
    statuses: Counter = Counter()
    checked = correct = wrong_confirmed = 0
    for path in sorted(OTEL.rglob("*.md")):
        label = path.relative_to(OTEL).parts[0]
        v = detect.judge(detector, markdown.parse(path.read_text(encoding="utf-8")), label)
        confusion[label][langs.base(v.detected) if v.detected else "-"] += 1
        statuses[v.status] += 1
        wrong_confirmed += v.status == "confirmed" and not langs.same_language(v.detected, label)
        if v.words >= 50:
            checked += 1
            correct += v.status in ("confirmed", "mixed") and langs.same_language(v.detected, label)
    columns = sorted({c for row in confusion.values() for c in row})
    print("confusion (rows: label, columns: detected)")
    print("label " + " ".join(f"{c:>5}" for c in columns))
    for label, row in sorted(confusion.items()):
        print(f"{label:>5} " + " ".join(f"{row.get(c, 0):>5}" for c in columns))
    print("statuses:", dict(statuses))
    print(f"correct: {correct}/{checked} = {correct / checked:.1%} of pages with >= 50 words (target >= 97%)")
    print(f"confirmed with a wrong language: {wrong_confirmed} (target 0)")


def speed(count: int) -> None:
    from bench_translate import bare_parse, replicate

    site = Path(tempfile.mkdtemp(prefix="l10n-bench-detect-"))
    files = replicate(site, count)
    parse = bare_parse(files)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "l10n", "detect", "content"], cwd=site, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    print("   ", result.stderr.strip().splitlines()[-1])
    print(f"bare markdown-it-py parse: {len(files) / parse:7.0f} files/s")
    print(f"l10n detect:               {len(files) / elapsed:7.0f} files/s ({elapsed:.2f}s; target >= 300)")
    subprocess.run(["rm", "-rf", str(site)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    accuracy()
    speed(args.files)


if __name__ == "__main__":
    main()

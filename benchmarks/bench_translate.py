"""Throughput of `l10n translate` against a bare markdown-it-py parse of the same files.

Replicates ../shared/corpus/hugodocs to at least --files files in a temporary
folder and prints, measured in the same run:

- bare parse: markdown-it-py (CommonMark + tables) over every file, read from disk;
- end to end: `python -m l10n translate --engine pseudo` (a fresh process);
- no-op rerun: the same command again, with nothing to do;
- end to end again with `--from en`: the pipeline without language detection
  (hugodocs pages declare no language, so by default each is detected).

Targets on a 2-core machine: end to end >= 1,000 files/s and >= 0.5x the bare
parse rate; a no-op rerun over 10,000 articles in under 1 s.

    python benchmarks/bench_translate.py [--files 10000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "hugodocs"


def replicate(dest: Path, count: int) -> list[Path]:
    sources = sorted(CORPUS.rglob("*.md"))
    files: list[Path] = []
    copy = 0
    while len(files) < count:
        for src in sources:
            if len(files) >= count:
                break
            target = dest / "content" / f"copy{copy:03d}" / src.relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            files.append(target)
        copy += 1
    return files


def bare_parse(files: list[Path]) -> float:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    start = time.perf_counter()
    for path in files:
        md.parse(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def run_l10n(site: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "l10n", "translate", *args], cwd=site, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"l10n failed ({result.returncode}):\n{result.stderr[-2000:]}")
    print("   ", result.stderr.strip().splitlines()[-1])
    return elapsed


def clean(site: Path) -> None:
    """Back to untranslated: translations and provenance removed."""
    for path in (site / "content").rglob("*.es.md"):
        path.unlink()
    shutil.rmtree(site / ".l10n", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    site = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    try:
        files = replicate(site, args.files)
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"corpus: {len(files)} files, {size:.1f} MB (hugodocs replicated), cores: {os.cpu_count()}")
        parse = bare_parse(files)
        print(f"bare markdown-it-py parse: {len(files) / parse:8.0f} files/s {size / parse:6.2f} MB/s ({parse:.2f}s)")
        e2e = run_l10n(site, "--to", "es", "--engine", "pseudo", "content")
        print(f"l10n translate, pseudo:    {len(files) / e2e:8.0f} files/s {size / e2e:6.2f} MB/s ({e2e:.2f}s)"
              "  [each article's language detected: none declares one]")
        rerun = run_l10n(site, "--to", "es", "--engine", "pseudo", "content")
        print(f"no-op rerun:               {rerun:8.2f} s for {len(files)} articles")
        clean(site)
        known = run_l10n(site, "--to", "es", "--engine", "pseudo", "--from", "en", "content")
        print(f"same, with --from en:      {len(files) / known:8.0f} files/s {size / known:6.2f} MB/s ({known:.2f}s)"
              "  [source language given: no detection]")
        print(f"ratio end-to-end / bare parse: {parse / e2e:.2f}x with detection, {parse / known:.2f}x with --from (target >= 0.50)")
        print(f"end-to-end files/s: {len(files) / e2e:.0f} with detection, {len(files) / known:.0f} with --from "
              f"(target >= 1000); no-op rerun {rerun:.2f}s (target < 1 s)")
    finally:
        if args.keep:
            print("site kept at", site)
        else:
            shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()

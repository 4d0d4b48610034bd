"""How long `l10n status` takes on a site of 10,000 articles.

Replicates ../shared/corpus/hugodocs to --files articles in a temporary
folder, translates them into Spanish with the pseudo engine, and prints,
measured in the same run:

- baseline: reading every source and translation and hashing its bytes (what
  the status must do at least, since any file may have changed);
- `python -m l10n status` in a fresh process (start-up included), and the
  same call in-process (run_status);
- the same after 1% of the sources changed (those are parsed, to say which
  segments changed);
- `python -m l10n build`: once to bring the changed sources' translations up
  to date and check everything, then again with nothing to do.

Target: about 1 s for 10,000 articles.

    python benchmarks/bench_status.py [--files 10000] [--keep]
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

from bench_translate import ROOT, replicate


def l10n(site: Path, *args: str, ok=(0,)) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "L10N_ENGINE": "pseudo"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=site, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok:
        sys.exit(f"l10n {args[0]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    print("   ", result.stderr.strip().splitlines()[-1])
    return elapsed


def read_and_hash(site: Path) -> float:
    from l10n.write import digest

    start = time.perf_counter()
    for path in (site / "content").rglob("*.md"):
        digest(path.read_bytes())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="bench-status-"))
    try:
        site = folder / "site"
        files = replicate(site, args.files)
        (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\nengine = "pseudo"\n', encoding="utf-8")
        print(f"{len(files)} articles in {site}")
        print("translating (setup):")
        l10n(site, "translate", "--from", "en")
        os.chdir(site)
        from l10n.commands.status import run_status

        base = min(read_and_hash(site) for _ in range(3))
        cli = min(l10n(site, "status") for _ in range(3))
        start = time.perf_counter()
        report = run_status()
        inproc = time.perf_counter() - start
        cells = sum(1 for _ in report.cells())
        for path in files[:: 100]:
            path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
        changed = min(l10n(site, "status", ok=(0,)) for _ in range(2))
        print("building (setup: translations of the changed sources, every translation checked):")
        first = l10n(site, "build", "--to", "es")
        noop = min(l10n(site, "build", "--to", "es") for _ in range(2))
        print()
        print(f"{'baseline: read and hash every file':<44} {base:6.2f} s")
        print(f"{'l10n status (process)':<44} {cli:6.2f} s   {cli / base:5.1f}x baseline   {len(files) / cli:7.0f} articles/s")
        print(f"{'run_status (in process)':<44} {inproc:6.2f} s   {inproc / base:5.1f}x baseline   ({cells} cells)")
        print(f"{'l10n status, 1% of sources changed':<44} {changed:6.2f} s   {changed / base:5.1f}x baseline")
        print(f"{'l10n build, first run (check reads all)':<44} {first:6.2f} s")
        print(f"{'l10n build, nothing to do':<44} {noop:6.2f} s   {noop / base:5.1f}x baseline")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

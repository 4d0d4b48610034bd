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
  to date and check everything, then again with nothing to do, against
  `translate` with nothing to do (target: at most twice its time);
- one-file commands (detect, status, translate, check, review of one article)
  on this site against the same on a site of 10 articles (target: at most
  twice);
- the state's bytes per article and language (`.l10n/`).

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


#: The sites' settings: Hugo's documentation links to its headings, so their ids are kept.
SETTINGS = 'source = "en"\ntargets = ["es"]\nengine = "pseudo"\nanchors = "keep"\n'


def l10n(site: Path, *args: str, ok=(0,)) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "L10N_ENGINE": "pseudo"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=site, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok:
        sys.exit(f"l10n {args[0]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    said = (result.stderr.strip() or result.stdout.strip()).splitlines()
    print("   ", said[-1] if said else "")
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
        (site / "l10n.toml").write_text(SETTINGS, encoding="utf-8")
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
        noop_translate = min(l10n(site, "translate", "--to", "es") for _ in range(2))
        state = sum(p.stat().st_size for p in (site / ".l10n").rglob("*") if p.is_file() and "memory" not in p.name
                    and "journal" not in p.name and p.name != "state.lock")
        tiny = folder / "tiny"
        small = replicate(tiny, 10)
        (tiny / "l10n.toml").write_text(SETTINGS, encoding="utf-8")
        l10n(tiny, "translate", "--from", "en")
        one = {}
        for name, command in (("detect", ("detect",)), ("status", ("status",)), ("translate", ("translate",)),
                           ("check", ("check", "--no-catalogs")), ("review", ("review",))):
            times = []
            for where, article in ((tiny, small[3]), (site, files[3])):
                rel = str(article.relative_to(where))
                times.append(min(l10n(where, *command, rel, ok=(0, 3)) for _ in range(3)))
            one[name] = times
        print()
        print(f"{'baseline: read and hash every file':<44} {base:6.2f} s")
        print(f"{'l10n status (process)':<44} {cli:6.2f} s   {cli / base:5.1f}x baseline   {len(files) / cli:7.0f} articles/s")
        print(f"{'run_status (in process)':<44} {inproc:6.2f} s   {inproc / base:5.1f}x baseline   ({cells} cells)")
        print(f"{'l10n status, 1% of sources changed':<44} {changed:6.2f} s   {changed / base:5.1f}x baseline")
        print(f"{'l10n build, first run (check reads all)':<44} {first:6.2f} s")
        print(f"{'l10n build, nothing to do':<44} {noop:6.2f} s   {noop / base:5.1f}x baseline   "
              f"{noop / noop_translate:4.1f}x translate with nothing to do ({noop_translate:.2f} s; target 2x)")
        print(f"{'state, bytes per article and language':<44} {state / len(files):6.0f} B   ({state / 1e6:.1f} MB in all)")
        for name, (small_t, big_t) in one.items():
            print(f"{'one article: l10n ' + name:<44} {big_t:6.2f} s   {big_t / small_t:4.1f}x the same on 10 articles "
                  f"({small_t:.2f} s; target 2x)")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

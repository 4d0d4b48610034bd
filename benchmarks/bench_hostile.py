"""Hostile input in bounded time and memory.

Each case of tests/hostile_inputs.py (alias bombs, deep nesting, a table 2,500
columns wide, 10,000 emphasis spans in one paragraph, a 1 MB line...) is
put in a site of its own beside one good page, and ``l10n translate --engine
pseudo`` runs on it in a fresh process; the UI-table bomb runs ``l10n catalog
extract``. For each: wall time, against a bare markdown-it-py parse of the
same bytes measured in the same run (the ratio), the time of the same case at
twice its size (the growth: 2 is linear, 4 quadratic), the peak memory of the
process (ru_maxrss), and the outcome (translated, or the one-line error).

Targets: every case done in under 10 s at twice its size, growing at most 3x
(no quadratic work), peak memory under 300 MB at its size, no traceback.
(Content files are refused past 4 MB: l10n.limits.MAX_BYTES.)

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hostile_inputs import I18N_BOMB, cases  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

GOOD = "---\ntitle: Good\n---\n\nA good page.\n"


def measured(site: Path, *args: str) -> tuple[float, float, str, int]:
    """(seconds, peak MB, the line that says how it ended, exit status) of one l10n
    command in a fresh process; the peak memory is the child's, from wait4."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), L10N_ENGINE="pseudo")
    started = time.perf_counter()
    out_path = site.parent / f"{site.name}.out"
    with open(out_path, "w") as out_file:
        proc = subprocess.Popen([sys.executable, "-m", "l10n", *args], cwd=site, env=env,
                                stdout=out_file, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = out_path.read_text(encoding="utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    lines = out.splitlines()
    last = next((line for line in lines if "Traceback" in line or "failed" in line), lines[-1] if lines else "")
    return seconds, usage.ru_maxrss / 1024, last, code


def bare_parse(text: str) -> float:
    md = MarkdownIt("commonmark").enable("table")
    started = time.perf_counter()
    md.parse(text)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "bare"
        (base / "content").mkdir(parents=True)
        (base / "content" / "good.md").write_text(GOOD, encoding="utf-8")
        bare_s, bare_mb, _, _ = measured(base, "translate", "--to", "es")
        print(f"a bare run (one good page): {bare_s:.2f} s, {bare_mb:.0f} MB peak")
        print(f"{'case':24} {'bytes':>9} {'time':>7} {'x parse':>8} {'2x size':>8} {'peak MB':>8}  outcome")
        worst_ok = True
        doubled = cases(2)
        for name, text in cases().items():
            times = []
            for scale, body in ((1, text), (2, doubled[name])):
                site = Path(tmp) / f"{name}-{scale}"
                (site / "content").mkdir(parents=True)
                (site / "content" / "good.md").write_text(GOOD, encoding="utf-8")
                (site / "content" / f"{name}.md").write_text(body, encoding="utf-8")
                seconds, peak, last, code = measured(site, "translate", "--to", "es", f"content/{name}.md")
                times.append((seconds, peak, last))
            (seconds, peak, last), (seconds2, peak2, _last2) = times
            own, own2 = max(1e-3, seconds - bare_s), max(1e-3, seconds2 - bare_s)  # the process's start aside
            ratio = own / max(bare_parse(text), 1e-3)
            growth = own2 / own if own > 0.1 else 1.0  # under 0.1 s: nothing to grow
            refused = f"{name}.md" in last and "failed" in last
            ok = "Traceback" not in last and seconds2 < 10 and peak < 300 and growth < 3
            worst_ok &= ok
            print(f"{name:24} {len(text.encode()):>9,} {seconds:6.2f}s {ratio:7.1f}x {growth:7.1f}x {peak:7.0f}   "
                  f"{'refused: ' + last.split('failed: ', 1)[-1][:60] if refused else 'translated'}")
        site = Path(tmp) / "i18n-bomb"
        (site / "i18n").mkdir(parents=True)
        (site / "content").mkdir()
        (site / "i18n" / "en.yaml").write_text(I18N_BOMB, encoding="utf-8")
        seconds, peak, last, code = measured(site, "catalog", "extract")
        ok = "Traceback" not in last and seconds < 10 and peak < 300
        worst_ok &= ok
        print(f"{'i18n-alias-bomb':24} {len(I18N_BOMB):>9,} {seconds:6.2f}s {'':>8} {peak:7.0f}   {last[:80]}")
        print("targets met" if worst_ok else "targets missed")


if __name__ == "__main__":
    main()

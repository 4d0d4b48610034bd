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

Then the server engines against the hostile servers of tests/fake_servers.py
on 127.0.0.1 (``l10n translate`` of a two-page site, in a fresh process):
a server that drips one byte a second or never answers (timeout = 3: ends in
about 3 s), Ctrl-C (SIGINT) while four requests hang with a 60 s deadline
(ends under 2 s after the signal, exit 130), an HTTP 400 while the other
requests hang (ends at once), a 401 that echoes the key (one request, the key
in no output), answers of 20 MB per request and one of 400 MB (peak memory
within 50 MB of a bare run, nothing written), a connection closed mid-answer
(tried again), and /languages of the wrong shape (one line, exit 2). Each
line gives the wall time against its bound, the peak memory and the outcome.

    python benchmarks/bench_hostile.py [--only content|servers]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import fake_servers as fake  # noqa: E402
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", choices=["content", "servers"])
    only = parser.parse_args().only
    ok = True
    if only != "servers":
        ok &= content()
    if only != "content":
        ok &= servers()
    print("targets met" if ok else "targets missed")


def content() -> bool:
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
    return worst_ok


# --------------------------------------------------------------------------
# Servers

PAGES = {"first.md": "---\ntitle: First\n---\n\nThe first page.\n",
         "second.md": "---\ntitle: Second\n---\n\nThe second page, which is longer.\n"}
KEY = "ghp_" + "Q7" * 18
MB = 1024 * 1024


def server_site(root: Path, section: str, url: str, settings: str) -> Path:
    (root / "content").mkdir(parents=True)
    for name, text in PAGES.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    model = 'model = "m"\n' if section == "openai" else ""
    (root / "l10n.toml").write_text(f'source = "en"\ntargets = ["es"]\nengine = "{section}"\n\n[{section}]\n'
                                    f'url = "{url}"\n{model}{settings}', encoding="utf-8")
    return root


def run_until(site: Path, interrupt: float | None = None, wait_for=None) -> tuple[float, float, float, str, int]:
    """``l10n translate`` in a fresh process: (seconds, seconds after SIGINT, peak MB, output, exit status);
    SIGINT once ``wait_for()`` holds (or after ``interrupt`` seconds)."""
    env = {k: v for k, v in os.environ.items() if k != "L10N_ENGINE"}
    env.update(PYTHONPATH=str(ROOT), OPENAI_API_KEY=KEY, LIBRETRANSLATE_API_KEY=KEY)
    out_path = site.parent / f"{site.name}.out"
    started = time.perf_counter()
    after = 0.0
    with open(out_path, "w") as out_file:
        proc = subprocess.Popen([sys.executable, "-m", "l10n", "translate"], cwd=site, env=env, stdout=out_file,
                                stderr=subprocess.STDOUT)
        if interrupt is not None:
            stop = time.monotonic() + 30
            while (wait_for is not None and not wait_for()) and time.monotonic() < stop:
                time.sleep(0.02)
            time.sleep(interrupt)
            proc.send_signal(signal.SIGINT)
            signalled = time.perf_counter()
        _pid, status, usage = os.wait4(proc.pid, 0)
        if interrupt is not None:
            after = time.perf_counter() - signalled
    seconds = time.perf_counter() - started
    return seconds, after, usage.ru_maxrss / 1024, out_path.read_text(encoding="utf-8", errors="replace"), \
        os.waitstatus_to_exitcode(status)


def servers() -> bool:
    libre = fake.libre()
    on_translate = lambda behaviour: fake.on("/languages", libre, behaviour)  # noqa: E731
    refused = fake.status(400, {"error": "Invalid request: unsupported format"})
    # name, engine, behaviour, settings, (bound in seconds, what it bounds), what must hold
    cases = [
        ("drip 1 byte/s", "libretranslate", on_translate(fake.drip(1.0)), "timeout = 3\nretries = 0\n",
         3 + 2, "exit 1, no complete answer within 3 s"),
        ("never answers", "libretranslate", on_translate(fake.hang), "timeout = 3\nretries = 0\n",
         3 + 2, "exit 1, no complete answer within 3 s"),
        ("Ctrl-C, 4 hanging", "libretranslate", on_translate(fake.hang), "timeout = 60\nconcurrency = 4\n",
         2, "exit 130 under 2 s after SIGINT"),
        ("400, 3 hanging", "libretranslate", on_translate(fake.first(3, fake.hang, refused)),
         "timeout = 60\nconcurrency = 4\n", 2, "exit 1 at once"),
        ("401 echoing the key", "openai", fake.echo_key(401), "concurrency = 1\nretries = 4\n",
         2, "exit 1, one request, no key in the output"),
        ("20 MB per answer", "libretranslate", on_translate(fake.huge(20 * MB)), "concurrency = 4\n",
         5, "exit 1, nothing written"),
        ("400 MB answer", "libretranslate", on_translate(fake.huge(400 * MB)), "concurrency = 1\n",
         5, "exit 1, nothing written"),
        ("closed mid-answer", "libretranslate", on_translate(fake.first(1, fake.cut, libre)),
         "concurrency = 1\n", 3, "exit 0, tried again"),
        ("languages: targets 5", "libretranslate", fake.answer([{"code": "en", "targets": 5}]), "",
         2, "exit 2, one line"),
    ]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        bare = server_site(Path(tmp) / "bare", "libretranslate", "http://127.0.0.1:9", "")
        with fake.serve(libre) as srv:
            (bare / "l10n.toml").write_text((bare / "l10n.toml").read_text().replace("http://127.0.0.1:9", srv.url))
            bare_s, _after, bare_mb, _out, _code = run_until(bare)
        print(f"\nserver engines (a bare run against a well-behaved server: {bare_s:.2f} s, {bare_mb:.0f} MB peak; "
              "own: the wall time less the bare run's, for Ctrl-C the time after SIGINT)")
        print(f"{'case':22} {'wall':>7} {'own':>7} {'bound':>6} {'peak MB':>8}  outcome")
        for n, (name, section, behaviour, settings, bound, expected) in enumerate(cases):
            with fake.serve(behaviour) as srv:
                site = server_site(Path(tmp) / f"case-{n}", section, srv.url, settings)
                interrupt = 0.3 if name.startswith("Ctrl-C") else None
                wait_for = (lambda: len(srv.requests("/translate")) >= 4) if interrupt is not None else None
                seconds, after, peak, out, code = run_until(site, interrupt, wait_for)
                chats = len([r for r in srv.seen if not r.path.endswith("/languages")])
            own = after if interrupt is not None else seconds - bare_s  # the process's start aside
            written = sorted(p.name for p in (site / "content").glob("*.es.md"))
            holds = {
                "drip 1 byte/s": code == 1 and "no complete answer within 3 s" in out,
                "never answers": code == 1 and "no complete answer within 3 s" in out,
                "Ctrl-C, 4 hanging": code == 130 and "Traceback" not in out,
                "400, 3 hanging": code == 1 and "HTTP 400" in out,
                "401 echoing the key": code == 1 and KEY not in out and chats == 1,
                "20 MB per answer": code == 1 and not written,
                "400 MB answer": code == 1 and not written,
                "closed mid-answer": code == 0 and len(written) == 2,
                "languages: targets 5": code == 2 and len(out.strip().splitlines()) == 1 and "Traceback" not in out,
            }[name]
            fits = own <= bound and peak <= bare_mb + 50
            ok &= holds and fits
            last = next((line for line in out.splitlines() if "error" in line or "interrupted" in line),
                        out.strip().splitlines()[-1] if out.strip() else "")
            print(f"{name:22} {seconds:6.2f}s {max(0.0, own):6.2f}s {bound:>5}s {peak:7.0f}   "
                  f"{'ok' if holds and fits else 'MISSED'}: {expected}; {last.replace(srv.url, 'URL')[:80]}")
    return ok


if __name__ == "__main__":
    main()

"""Runs killed at any moment: nothing partial, nothing left running, nothing a person's.

Each trial starts ``l10n translate`` (or ``build``) in a process group of its
own, with an engine slow enough to be caught in the middle, kills it with
SIGKILL (the parent alone, or the whole group) or SIGTERM at a chosen moment,
and then checks what a user would find: no process of the run still alive, no
target holding part of a file, every target on disk recorded as l10n's (so
``status`` says machine, not edited), and a next run that finishes the work,
after which a third writes nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PAGES = 160
PAGE = "---\ntitle: Page {n}\n---\n\nThe words of page number {n}, which is one of many.\n\nA second paragraph.\n"


def _site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    for n in range(PAGES):
        (root / "content" / f"page-{n:03d}.md").write_text(PAGE.format(n=n), encoding="utf-8")
    return root


def _env(engines: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(engines), str(Path(__file__).parent.parent)])
    env["L10N_SLOW"] = "0.25"
    env.pop("L10N_ENGINE", None)
    return env


def _l10n(site: Path, env: dict, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "l10n", *args], cwd=site, env=env, capture_output=True, text=True,
                          timeout=120, **kw)


def _group_alive(pgid: int) -> list[int]:
    """The processes of a process group still running (zombies are gone for good)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _status(site: Path, env: dict) -> dict[str, int]:
    out = _l10n(site, env, "status", "--to", "es", "--json")
    cells = [c["status"] for a in json.loads(out.stdout)["articles"] for c in a["translations"].values()]
    return {s: cells.count(s) for s in set(cells)}


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
@pytest.mark.parametrize("command, after, how", [
    ("translate", 0.6, "parent"), ("translate", 1.1, "parent"), ("translate", 0.9, "group"),
    ("translate", 1.6, "group"), ("translate", 0.8, "term"), ("translate", 1.3, "term"),
    ("build", 1.0, "parent"), ("build", 1.5, "group"), ("merge", 1.2, "parent"),
])
def test_a_killed_run_leaves_nothing_behind(tmp_path, test_engines, command, after, how):
    site = _site(tmp_path / "site")
    env = _env(test_engines)
    if command == "merge":  # a person's translations, whose sources then change: --merge remakes them
        assert _l10n(site, env, "translate", "--to", "es", "--engine", "pseudo").returncode == 0
        for path in sorted((site / "content").glob("*.es.md"))[::2]:
            path.write_text(path.read_text(encoding="utf-8").replace("⟧\n\n", "⟧ (revisado)\n\n", 1), encoding="utf-8")
        for path in sorted((site / "content").glob("page-*[0-9].md")):
            path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    verb = {"merge": ["translate", "--merge"], "build": ["build"], "translate": ["translate"]}[command]
    # --replace: the pseudo machine translations whose source changed are the slow engine's to remake
    args = [sys.executable, "-m", "l10n", *verb, "--to", "es", "--engine", "slow", "--replace", "--jobs", "2"]
    proc = subprocess.Popen(args, cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    time.sleep(after)
    if how == "group":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGKILL if how == "parent" else signal.SIGTERM)
    proc.communicate(timeout=30)  # the run's output closes: no worker holds it open
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_alive(proc.pid) == [], "a worker outlived its parent"
    written = sorted((site / "content").glob("*.es.md"))
    for path in written:  # whole files only
        assert path.read_text(encoding="utf-8").rstrip().endswith("⟧"), path
    status = _status(site, env)
    # merged or not yet (stale): never taken for a person's file of its own
    assert status.get("edited", 0) == status.get("human", 0) == 0, status
    finish = _l10n(site, env, *verb[:2 if command == "merge" else 1], "--to", "es", "--engine", "slow", "--replace")
    assert finish.returncode == 0, finish.stdout + finish.stderr
    assert command == "merge" or "skipped" not in finish.stdout, finish.stdout
    again = _l10n(site, env, *verb[:2 if command == "merge" else 1], "--to", "es", "--engine", "slow", "--replace")
    assert again.returncode == 0 and "created" not in again.stdout and "updated" not in again.stdout, again.stdout
    assert _status(site, env) == {"machine": PAGES}
    if command == "merge":  # what the person wrote is still there
        assert sum("(revisado)" in p.read_text(encoding="utf-8") for p in (site / "content").glob("*.es.md")) == PAGES // 2
    assert not list(site.rglob("*.tmp")) and not list((site / ".l10n").glob("journal.*"))


def test_a_full_disk_at_the_end_keeps_every_outcome_and_the_records(runner, site, monkeypatch):
    """The state file cannot be written (a full disk): every file's outcome is still
    printed, the run fails, and the next run takes the records from the journal."""
    from helpers import invoke, write

    from l10n import state
    from l10n.errors import ContentError

    for n in range(3):
        write(site / "content" / f"p{n}.md", f"---\ntitle: P{n}\n---\n\nWords of page {n}.\n")

    def full(path, data, inside=None):
        raise ContentError("cannot write: No space left on device", path)

    works = state.write_atomic
    monkeypatch.setattr(state, "write_atomic", full)
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 1
    assert result.output.count(": created") == 3 and ": failed: cannot write: No space left" in result.output
    monkeypatch.setattr(state, "write_atomic", works)
    assert "3 machine" in invoke(runner, "status", "--to", "es").output
    assert "nothing to do" in invoke(runner, "translate", "--to", "es").output or \
        "3 unchanged" in invoke(runner, "translate", "--to", "es").output


def test_runs_at_once_lose_no_record_and_no_approval(tmp_path, test_engines):
    """build (slow) while a person approves translations and another translate runs:
    every approval and every translation that landed meanwhile is kept."""
    site = _site(tmp_path / "site")
    env = _env(test_engines)
    assert _l10n(site, env, "translate", "--to", "es", "--engine", "slow").returncode == 0
    for path in sorted((site / "content").glob("page-1*[0-9].md")):  # 60 sources change
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "l10n", "build", "--to", "es", "--engine", "slow", "--jobs", "2"],
                             cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    approved = [f"content/page-0{n:02d}.es.md" for n in range(0, 40)]
    time.sleep(0.3)
    review = _l10n(site, env, "review", "--to", "es", "--approve", *approved)
    assert review.returncode == 0, review.stdout + review.stderr[-3000:]
    out, err = build.communicate(timeout=120)
    assert build.returncode in (0, 3), out + err
    cells = {a["source"]: c["status"] for a in json.loads(_l10n(site, env, "status", "--to", "es", "--json").stdout)["articles"]
             for c in a["translations"].values()}
    assert [cells[f"content/page-0{n:02d}.md"] for n in range(40)] == ["reviewed"] * 40
    assert all(cells[f"content/page-{n:03d}.md"] == "machine" for n in range(100, PAGES)), cells

"""The translation memory: nothing already translated reaches an engine again."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from l10n.cli import cli
from l10n.memory import Memory


@pytest.fixture
def counting():
    from hostile_engines import CountingEngine

    CountingEngine.sent.clear()
    return CountingEngine


def translate(runner, *args):
    return runner.invoke(cli, ["translate", "--engine", "counting", *args], catch_exceptions=False)


def test_second_run_makes_no_engine_call(runner, example_site, counting):
    assert translate(runner, "--to", "es").exit_code == 0
    first = len(counting.sent)
    assert first > 10
    counting.sent.clear()
    result = translate(runner, "--to", "es", "--force")
    assert "1 unchanged" in result.output  # made again, byte for byte the same: said so
    assert counting.sent == []
    assert f"translation memory: {first} found, 0 sent to the engine" in result.output


def test_changed_article_sends_only_changed_segments(runner, example_site, counting):
    translate(runner, "--to", "es")
    counting.sent.clear()
    from conftest import EXAMPLE

    source = example_site / "content" / EXAMPLE.name
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("In its statement Monday", "In a statement on Monday"), encoding="utf-8")
    result = translate(runner, "--to", "es")
    assert "updated: source changed" in result.output
    assert counting.sent == ["In a statement on Monday, the Venezuelan government didn't comment on any future flights."]


def test_memory_is_kept_per_language_pair_and_model(tmp_path):
    memory = Memory(tmp_path / "m.sqlite", tmp_path)
    calls = []

    def engine(texts):
        calls.append(list(texts))
        return [t[::-1] for t in texts]

    es = ("e", "m/1", "en", "es")
    assert memory.cached(es, ["abc", "abc", "de"], engine) == ["cba", "cba", "ed"]
    assert memory.cached(es, ["de", "abc"], engine) == ["ed", "cba"]
    assert calls == [["abc", "de"]]
    memory.cached(("e", "m/2", "en", "es"), ["abc"], engine)
    memory.cached(("e", "m/1", "en", "fr"), ["abc"], engine)
    assert calls[1:] == [["abc"], ["abc"]]
    memory.close()
    rows = sqlite3.connect(tmp_path / "m.sqlite").execute("SELECT count(*) FROM memory").fetchone()[0]
    assert rows == 4


def test_alignments_are_remembered_with_their_translations(tmp_path):
    """An engine's word alignment is kept beside its output: a hit can place markup too.
    An entry kept without one (plain call, older memory) is no hit for an aligned call."""
    memory = Memory(tmp_path / "m.sqlite", tmp_path)
    key = ("e", "m/1", "en", "es")
    calls = []

    def aligned(texts):
        calls.append(list(texts))
        return [(t.upper(), [(0, 0)]) for t in texts]

    assert memory.cached(key, ["ab"], lambda texts: [t.upper() for t in texts]) == ["AB"]
    assert memory.cached(key, ["ab"], aligned, aligned=True) == [("AB", [(0, 0)])]
    assert memory.cached(key, ["ab"], aligned, aligned=True) == [("AB", [(0, 0)])]
    assert calls == [["ab"]] and memory.misses == 2 and memory.hits == 1
    memory.close()


def test_a_memory_from_before_alignments_is_upgraded(tmp_path):
    path = tmp_path / "m.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE memory (engine TEXT NOT NULL, model TEXT NOT NULL, source TEXT NOT NULL, "
                "target TEXT NOT NULL, text TEXT NOT NULL, translation TEXT NOT NULL, created TEXT NOT NULL, "
                "PRIMARY KEY (engine, model, source, target, text)) WITHOUT ROWID")
    old.execute("INSERT INTO memory VALUES ('e', 'm', 'en', 'es', 'a', 'b', 'now')")
    old.commit()
    old.close()
    memory = Memory(path, path.parent)
    assert memory.cached(("e", "m", "en", "es"), ["a"], lambda texts: 1 / 0) == ["b"]
    memory.close()


def test_pseudo_and_copy_keep_no_memory(runner, example_site):
    runner.invoke(cli, ["translate", "--to", "es"])
    assert not (example_site / ".l10n" / "memory.sqlite").exists()


def test_a_damaged_memory_is_one_warning_and_the_run_goes_on(runner, example_site, counting):
    (example_site / ".l10n").mkdir()
    damaged = b"this is not a database" * 100
    (example_site / ".l10n" / "memory.sqlite").write_bytes(damaged)
    result = translate(runner, "--to", "es")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "translation memory cannot be opened" in result.output and "translating without the memory" in result.output
    assert (example_site / "content").glob("*.es.md") and (example_site / ".l10n" / "memory.sqlite").read_bytes() == damaged


def test_a_memory_of_another_layout_or_locked_is_left_alone(runner, example_site, counting, monkeypatch):
    import sqlite3

    from l10n import memory

    path = example_site / ".l10n" / "memory.sqlite"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE memory (key TEXT, value TEXT)")
    db.commit()
    db.close()
    result = translate(runner, "--to", "es")
    assert result.exit_code == 0 and "translation memory of another layout" in result.output
    path.unlink()
    translate(runner, "--to", "fr")  # a good memory now
    for target in example_site.glob("content/*.es.md"):
        target.unlink()
    monkeypatch.setattr(memory, "TIMEOUT", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds it for good
    try:
        result = translate(runner, "--to", "es")
    finally:
        holder.close()
    assert result.exit_code == 0 and list(example_site.glob("content/*.es.md")), result.output
    assert "translation memory unusable (locked by another process" in result.output


def test_two_runs_share_the_memory(site):
    for i in range(60):
        (site / "content" / f"p{i}.md").write_text(f"Text number {i}. Another sentence {i}.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent / "engines")])}
    # the engine is found through an entry point: make one for the subprocesses
    dist = site / "dist"
    dist.mkdir()
    shutil.copy(Path(__file__).parent / "engines" / "hostile_engines.py", dist)
    info = dist / "hostile_engines-0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hostile-engines\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text("[l10n.engines]\ncounting = hostile_engines:CountingEngine\n")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(dist)])
    procs = [
        subprocess.Popen([sys.executable, "-m", "l10n", "translate", "--engine", "counting", "--to", lang, "--force"],
                         cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for lang in ("es", "fr", "es")
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    db = sqlite3.connect(site / ".l10n" / "memory.sqlite")
    assert db.execute("SELECT count(DISTINCT target) FROM memory").fetchone()[0] == 2


def test_an_existing_memory_is_opened_for_reading_and_none_is_made(tmp_path):
    from l10n.memory import existing

    path = tmp_path / "memory.sqlite"
    assert existing(path, tmp_path) is None and not path.exists()
    Memory(path, tmp_path).close()
    found = existing(path, tmp_path)
    assert found is not None
    found.close()
    path.write_bytes(b"not a database" * 100)
    assert existing(path, tmp_path) is None

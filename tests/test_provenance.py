"""Provenance: records kept with the site, damaged state, interrupted and concurrent runs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import translate, write

from l10n.commands.translate import TranslateOptions, run_translate


def test_interrupted_run_keeps_its_provenance(site):
    for i in range(3):
        write(site / "content" / f"p{i}.md", f"Text {i}.\n")
    import l10n.commands.translate as pipeline

    old = pipeline.CHUNK, pipeline.MIN_CHUNK
    pipeline.CHUNK = pipeline.MIN_CHUNK = 1
    try:
        with pytest.raises(KeyboardInterrupt):
            run_translate(TranslateOptions((site / "content",), "es", engine="interrupting", jobs=1))
    finally:
        pipeline.CHUNK, pipeline.MIN_CHUNK = old
    state = json.loads((site / ".l10n" / "state.json").read_text())
    assert list(state["targets"]) == ["content/p0.es.md"]
    report = run_translate(TranslateOptions((site / "content",), "es", engine="interrupting", jobs=1))
    assert not any(o.action == "skipped" for o in report.outcomes)


def test_state_lives_with_the_site_not_the_working_folder(runner, site, tmp_path_factory, monkeypatch):
    write(site / "content" / "a.md", "Text.\n")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    translate(runner, "--to", "es", str(site / "content"))
    assert (site / ".l10n" / "state.json").exists() and not (elsewhere / ".l10n").exists()


def test_damaged_state_file_is_one_line(runner, site):
    write(site / "content" / "a.md", "Text.\n")
    write(site / ".l10n" / "state.json", '{"version": 1, "sources": []}')
    result = translate(runner, "--to", "es")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "state file is damaged" in result.output


def test_two_runs_at_once_share_the_state_file(site):
    for i in range(40):
        (site / "content" / f"p{i}.md").write_text(f"Text number {i}.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    procs = [
        subprocess.Popen([os.sys.executable, "-m", "l10n", "translate", "--to", lang], cwd=site, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for lang in ("es", "fr")
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    state = json.loads((site / ".l10n" / "state.json").read_text())
    assert len(state["targets"]) == 80

"""The state folder: records kept with the site, damaged state, interrupted runs, and runs at once.

The last test starts ``l10n translate``, ``l10n import --force`` and ``l10n
review --approve`` as separate processes at the same moment on the same site,
many times, then checks what a team would find: every translation's record
names the bytes the file holds, whose text it is agrees with the text itself
(imported words are recorded as a person's, machine words as the engine's),
an import that said it wrote a page left that page holding its words, and an
approval of machine words approved the bytes the page holds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import invoke, records, translate, write

from l10n.commands.status import run_status
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
    assert list(records(site)["targets"]) == ["content/p0.es.md"]
    report = run_translate(TranslateOptions((site / "content",), "es", engine="interrupting", jobs=1))
    assert not any(o.action == "skipped" for o in report.outcomes)


def test_state_lives_with_the_site_not_the_working_folder(runner, site, tmp_path_factory, monkeypatch):
    write(site / "content" / "a.md", "Text.\n")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    translate(runner, "--to", "es", str(site / "content"))
    assert (site / ".l10n" / "state" / "content" / "a.md.jsonl").exists() and not (elsewhere / ".l10n").exists()


def test_damaged_state_file_is_one_line(runner, site):
    write(site / "content" / "a.md", "Text.\n")
    write(site / ".l10n" / "state.json", '{"version": 1, "sources": []}')
    result = translate(runner, "--to", "es")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "state file is damaged" in result.output
    (site / ".l10n" / "state.json").unlink()
    write(site / "content" / "b.md", "More text.\n")
    write(site / ".l10n" / "state" / "content" / "a.md.jsonl", '{"v": 2, "source": {"raw": 5}}\n')
    result = translate(runner, "--to", "es", "content/b.md")  # another article's file is not read at all
    assert result.exit_code == 0, result.output
    result = translate(runner, "--to", "es")
    assert result.exit_code == 1 and "a.md.jsonl: failed: state file is damaged" in result.output, result.output
    assert (site / "content" / "b.es.md").exists() and not (site / "content" / "a.es.md").exists()


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
    assert len(records(site)["targets"]) == 80


# --------------------------------------------------------------------------
# Runs at once

PAGES = 24
PAGE = "---\ntitle: Page {n}\n---\n\nThe words of page number {n}, which is one of many.\n\nA second paragraph.\n"
TRIALS = int(os.environ.get("L10N_TRIALS", "10"))


def _env(engines: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(engines), str(Path(__file__).parent.parent)])
    env["L10N_SLOW"] = "0.05"
    env.pop("L10N_ENGINE", None)
    return env


def _start(site: Path, env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "l10n", *args], cwd=site, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _site(root: Path, env: dict) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\nengine = "slow"\n', encoding="utf-8")
    for n in range(PAGES):
        (root / "content" / f"page-{n:02d}.md").write_text(PAGE.format(n=n), encoding="utf-8")
    # half the pages translated by the machine first: approve has something to approve
    half = [f"content/page-{n:02d}.md" for n in range(0, PAGES, 2)]
    done = subprocess.run([sys.executable, "-m", "l10n", "translate", *half], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    # a translator's file for every page: every unit translated by a person
    made = subprocess.run([sys.executable, "-m", "l10n", "export", "-o", "es.xlf"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    text = (root / "es.xlf").read_text(encoding="utf-8")

    def fill(m: re.Match) -> str:
        source = m.group(2)
        return f"{m.group(1)}<target state=\"translated\">PERSON {source}</target>"

    text = re.sub(r"<target[^>]*>.*?</target>", "", text, flags=re.S)
    text = re.sub(r"(<source>(.*?)</source>)", fill, text, flags=re.S)
    (root / "es.xlf").write_text(text, encoding="utf-8")
    return root


def _records(site: Path) -> dict:
    return records(site)["targets"]


@pytest.mark.parametrize("force", [False, True])
def test_translate_import_and_approve_at_once_lose_nothing(tmp_path, test_engines, force):
    from l10n.write import digest

    env = _env(test_engines)
    template = _site(tmp_path / "template", env)
    for trial in range(TRIALS):
        site = tmp_path / f"{force}-{trial}"
        shutil.copytree(template, site)
        runs = {
            "translate": _start(site, env, "translate", *(["--force"] if force else [])),
            "import": _start(site, env, "import", "--force", "es.xlf"),
            "approve": _start(site, env, "review", "--approve", "--force"),
        }
        out = {name: p.communicate(timeout=180)[0] for name, p in runs.items()}
        codes = {name: p.returncode for name, p in runs.items()}
        assert codes["translate"] in (0, 1) and codes["import"] in (0, 1, 3), out
        records = _records(site)
        for n in range(PAGES):
            key = f"content/page-{n:02d}.es.md"
            path = site / key
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            record = records.get(key)
            assert record is not None, (trial, key, out)
            # provenance is never behind the file, and says whose words these are
            assert record["raw"] == digest(path.read_bytes()), (trial, key, record, text, out)
            person = "PERSON" in text
            assert (record["engine"] == "person") == person, (trial, key, record, text, out)
            if re.search(rf"{re.escape(key)}: (created|updated): imported", out["import"]):
                # what an import wrote, a run without --force never replaced
                assert person or force, (trial, key, text, out)
            if record.get("reviewed") and not person:
                # machine words approved: only those the approval saw
                assert re.search(rf"{re.escape(key)}: approved", out["approve"]), (trial, key, record, out)
        # and nothing a person did is undone by the next runs: they change nothing of theirs
        again = subprocess.run([sys.executable, "-m", "l10n", "translate"], cwd=site, env=env, capture_output=True,
                               text=True, timeout=120)
        assert again.returncode == 0, again.stdout + again.stderr
        after = _records(site)
        for key, record in records.items():
            if record.get("engine") == "person":
                assert after[key]["raw"] == record["raw"], (trial, key)



# --------------------------------------------------------------------------
# A state that scales and merges


def test_each_article_has_a_small_file_of_its_own(runner, site):
    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es", "fr", "de"]\n', encoding="utf-8")
    write(site / "content" / "blog" / "post.md", "---\ntitle: Post\n---\n\nWords of a post.\n\nMore words.\n")
    assert translate(runner).exit_code == 0
    path = site / ".l10n" / "state" / "content" / "blog" / "post.md.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line) for line in lines)  # the source, then one line a language
    # what the translations share with their source is said once, on the source's line
    assert all("segments" not in json.loads(line) and "skeleton" not in json.loads(line) for line in lines[1:])
    first = json.loads(lines[0])["source"]
    assert first["segments"] and first["skeleton"]
    assert all(r["segments"] == first["segments"].split() for r in records(site)["targets"].values())


def test_an_older_single_state_file_is_moved_into_articles_files(runner, site):
    write(site / "content" / "a.md", "Text of a.\n")
    assert translate(runner, "--to", "es").exit_code == 0
    before = records(site)
    # the same records, as the older layout kept them
    legacy = {"version": 1, "sources": {k: {f: v for f, v in r.items() if f not in ("segments", "skeleton") and v not in
                                            ("", [], None, {}, False) or f in ("raw", "lang", "words")}
                                        for k, r in before["sources"].items()},
              "targets": {k: {f: (" ".join(v) if isinstance(v, list) else v) for f, v in r.items()
                              if v not in ("", [], None, {}, False) or f in ("source", "lang", "raw")}
                          for k, r in before["targets"].items()}}
    shutil.rmtree(site / ".l10n" / "state")
    (site / ".l10n" / "state.json").write_text(json.dumps(legacy), encoding="utf-8")
    assert "nothing to do" in translate(runner, "--to", "es").output or \
        "1 unchanged" in translate(runner, "--to", "es").output
    assert not (site / ".l10n" / "state.json").exists()
    assert records(site)["targets"].keys() == before["targets"].keys()
    assert invoke(runner, "status", "--to", "es").output.count("machine") >= 1


def test_two_branches_translating_different_articles_merge_without_conflict(runner, site):
    def git(*args):
        done = subprocess.run(["git", *args], cwd=site, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    (site / "l10n.toml").write_text('source = "en"\ntargets = ["es"]\n', encoding="utf-8")
    for name in ("a", "b", "c"):
        write(site / "content" / f"{name}.md", f"---\ntitle: Page {name}\n---\n\nWords of page {name}.\n")
    assert translate(runner, "content/a.md").exit_code == 0
    git("init", "-q", "-b", "main")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", "-A")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "a")
    git("checkout", "-qb", "one")
    assert translate(runner, "content/b.md").exit_code == 0
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", "-A")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "b")
    git("checkout", "-q", "main")
    git("checkout", "-qb", "two")
    assert translate(runner, "content/c.md").exit_code == 0
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", "-A")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "c")
    git("-c", "user.email=a@b", "-c", "user.name=a", "merge", "-q", "--no-edit", "one")  # no conflict: else it raises
    assert sorted(records(site)["targets"]) == ["content/a.es.md", "content/b.es.md", "content/c.es.md"]
    status = {c.target: c.status for c in run_status().cells()}
    assert status == {f"content/{n}.es.md": "machine" for n in "abc"}

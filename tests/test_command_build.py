"""``l10n build`` on the example site, and the real Hugo building what it made."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import PRISTINE_CONTENT, ROOT, copy_example_site, need
from helpers import snapshot

from l10n.cli import cli
from l10n.markdown import parse


@pytest.fixture
def hugo_site(tmp_path, monkeypatch):
    """A fresh copy of the example site (no translations, no catalogs yet), as the working folder."""
    copy_example_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_tests_start_from_the_committed_example_content():
    """tests/example-site is the example content as committed; the README's first
    command may have translated the root's since, changing only translations lists."""
    for pristine in PRISTINE_CONTENT.rglob("*.md"):
        current = ROOT / "content" / pristine.relative_to(PRISTINE_CONTENT)
        ours, theirs = parse(pristine.read_text(encoding="utf-8")), parse(current.read_text(encoding="utf-8"))
        assert ours.render_without_fields() == theirs.render_without_fields(), current
    committed = {p.relative_to(ROOT / "content") for p in (ROOT / "content").rglob("*.md") if ".es." not in p.name}
    assert committed == {p.relative_to(PRISTINE_CONTENT) for p in PRISTINE_CONTENT.rglob("*.md")}


def build(runner, *args):
    return runner.invoke(cli, ["build", *args], catch_exceptions=False)


def test_build_makes_everything_then_a_rerun_writes_nothing(runner, hugo_site):
    result = build(runner, "--to", "es")
    assert result.exit_code == 0, result.output
    assert "translate: 3 created; translations lists updated in 3 files" in result.output
    assert "status es: 3 machine" in result.output and "build: ok" in result.output
    for made in ("content/getting-started.es.md", "locales/messages.pot", "locales/es/LC_MESSAGES/messages.po",
                 "locales/es/LC_MESSAGES/messages.mo", "i18n/es.yaml"):
        assert (hugo_site / made).is_file(), made
    before = snapshot(hugo_site)
    result = build(runner, "--to", "es")
    assert result.exit_code == 0, result.output
    assert "translate: nothing to do" in result.output and "catalogs: nothing to do" in result.output
    assert "detect: 0 changed files read" in result.output
    assert snapshot(hugo_site) == before  # not a byte, not a timestamp


def test_build_leaves_a_persons_work_and_asks_for_one(runner, hugo_site):
    assert build(runner).exit_code == 0
    assert runner.invoke(cli, ["review", "--approve"]).exit_code == 0
    target = hugo_site / "content" / "getting-started.es.md"
    reviewed = target.read_bytes()
    source = hugo_site / "content" / "getting-started.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Write your articles", "Write all your articles"),
                      encoding="utf-8")
    result = build(runner)
    assert result.exit_code == 3, result.output
    assert target.read_bytes() == reviewed
    assert "needs a person: content/getting-started.es.md: stale: source changed: 1 segment changed (line 31)" in result.output
    assert "build: needs a person" in result.output
    # --merge brings it up to date, keeping the reviewed segments
    result = build(runner, "--merge")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != reviewed


def test_build_fails_for_bad_input_and_does_the_rest(runner, hugo_site):
    (hugo_site / "content" / "broken.md").write_bytes(b"---\ntitle: ok\n---\n\n\xff\xfe bad bytes\n")
    result = build(runner)
    assert result.exit_code == 1, result.output
    assert "content/broken.md:5" in result.output and "invalid UTF-8" in result.output
    assert (hugo_site / "content" / "getting-started.es.md").is_file()
    assert "build: failed" in result.output


def test_hugo_builds_the_spanish_site_linked_to_the_english(runner, hugo_site):
    need("hugo")
    assert build(runner, "--to", "es").exit_code == 0
    hugo = subprocess.run(["hugo", "--quiet", "--destination", "public"], cwd=hugo_site, capture_output=True, text=True)
    assert hugo.returncode == 0, hugo.stderr
    public = hugo_site / "public"
    es = (public / "es" / "getting-started" / "index.html").read_text(encoding="utf-8")
    en = (public / "getting-started" / "index.html").read_text(encoding="utf-8")
    # the Spanish page: translated prose, its English original as a translation (.Translations)
    assert '<html lang="es">' in es and "⟦Ĝééţţîîñĝ šţààŕţééđ ŵîîţĥ⟧ l10n" in es
    assert '<a href="/getting-started/" hreflang="en">English</a>' in es
    assert '<a href="/es/getting-started/" hreflang="es">Español</a>' in en
    # the UI strings, exported from the catalogs, translated
    assert "⟦Ĥööɱéé⟧" in es and "Home" not in es.split("<main>")[0]
    assert "⟦Ţĥîîš þààĝéé îîñ ööţĥééŕ ļààñĝûûààĝééš⟧" in es and "This page in other languages" in en
    assert "⟦ɱîîñûûţéé ŕééààđ⟧" in es or "⟦ɱîîñûûţééš ŕééààđ⟧" in es
    # every article and the bundle, in both languages
    for page in ("venezuela-sends-planes-to-us-to-return-migrants", "guides/shortcodes"):
        assert (public / page / "index.html").is_file() and (public / "es" / page / "index.html").is_file()
    listing = (public / "es" / "index.html").read_text(encoding="utf-8")
    assert "⟦Ŕééààđ ɱööŕéé⟧" in listing


def test_the_committed_catalogs_are_current_in_any_clone(runner, tmp_path, monkeypatch):
    """The README's first command on a fresh clone leaves locales/ as committed,
    whatever the clone's folder is called."""
    site = copy_example_site(tmp_path / "a-clone-named-otherwise", locales=True)
    monkeypatch.chdir(site)
    committed = {p: p.read_bytes() for p in (site / "locales").rglob("*.po*")}
    assert len(committed) == 2
    assert build(runner).exit_code == 0
    assert {p: p.read_bytes() for p in (site / "locales").rglob("*.po*")} == committed


def test_the_readmes_first_command_changes_only_the_example_content(tmp_path):
    """The example site as committed, in a folder with nothing beside it: after
    l10n build, git status shows the example content's changes and nothing else
    (no catalog rewritten for a date or a Babel version)."""
    need("git")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the committed files cannot be read")
    site = tmp_path / "fresh" / "site"
    site.mkdir(parents=True)
    files = subprocess.run(["git", "ls-files", "content", "layouts", "i18n", "locales", "hugo.toml", "l10n.toml",
                            ".gitignore"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    archive = subprocess.run(["git", "archive", "HEAD", *files], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(site)], input=archive, check=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=site, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site, check=True)
    subprocess.run([*git, "commit", "-qm", "clone"], cwd=site, check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("L10N_ENGINE", None)
    result = subprocess.run([sys.executable, "-m", "l10n", "build"], cwd=site, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=site,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert changed and all(line[3:].startswith("content/") for line in changed), changed


def test_build_asks_for_a_rerun_when_files_changed_during_it(runner, hugo_site, monkeypatch):
    """Every target changed on disk while the run translated (another writer): the build
    does not say ok; it says which step to run again."""
    from l10n.commands import translate

    monkeypatch.setattr(translate, "_peek", lambda path: b"changed by someone else meanwhile")
    result = build(runner)
    assert result.exit_code == 3, result.output
    assert "changed while l10n worked on them: run l10n build again" in result.output

"""The one write rule: atomic, inside the site, never through a link, whatever the command.

Every file l10n writes or opens for writing (translations, sources' lists, the
state, its lock and journal, the translation memory and its journal files,
exports, review pages, catalogs and tables, installed models) is tried with
a link where it goes: a file link (existing or dangling), a folder link on
the way, the state folder itself a link. Nothing outside is written, and each
refusal is one line. The last test reads every call site in l10n/ that opens,
writes or connects, and holds it to the rule.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from helpers import invoke, write

from l10n.errors import ContentError
from l10n.write import write_atomic

PACKAGE = Path(__file__).resolve().parent.parent / "l10n"


def test_a_write_never_goes_through_a_link_nor_leaves_the_site(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "content").mkdir(parents=True)
    outside.mkdir()
    os.symlink(outside / "authorized_keys", site / "content" / "dangling.es.md")  # dangling
    os.symlink(outside, site / "content" / "es")  # a folder link
    inside = write(site / "content" / "real.md", "x")
    os.symlink(inside, site / "content" / "inside.md")  # a link inside the site, to a file inside: no more
    for path, how in ((site / "content" / "dangling.es.md", "is a symbolic link"),
                      (site / "content" / "es" / "post.md", "is reached through a folder link"),
                      (site / "content" / "inside.md", "is a symbolic link"),
                      (tmp_path / "elsewhere.md", "is outside")):
        with pytest.raises(ContentError, match=how):
            write_atomic(path, b"secret", inside=site)
    assert list(outside.iterdir()) == [] and inside.read_text() == "x" and not (tmp_path / "elsewhere.md").exists()
    assert write_atomic(site / "content" / "new" / "post.md", b"y", inside=site)  # new folders are real ones
    # allowed anywhere (write_outside_site): still never through a link
    with pytest.raises(ContentError, match="is a symbolic link"):
        write_atomic(site / "content" / "inside.md", b"y", inside=None)


def test_translate_writes_nothing_outside_the_site(runner, site, tmp_path_factory):
    outside = tmp_path_factory.mktemp("victim")
    (outside / "keys").write_text("ssh-ed25519 AAAA victim\n")
    write(site / "content" / "keys.md", "---\ntitle: Keys\n---\n\nMy key:\n\n```\nssh-ed25519 AAAA attacker\n```\n")
    write(site / "content" / "fine.md", "---\ntitle: Fine\n---\n\nA page that is fine.\n")
    os.symlink(outside / "new-file", site / "content" / "keys.es.md")  # dangling: would create it
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 1
    assert "content/keys.es.md: failed: is a symbolic link" in result.output
    assert (site / "content" / "fine.es.md").is_file() and sorted(p.name for p in outside.iterdir()) == ["keys"]
    os.unlink(site / "content" / "keys.es.md")
    os.symlink(outside / "keys", site / "content" / "keys.es.md")  # existing: --force does not change it
    assert invoke(runner, "translate", "--to", "es", "--engine", "pseudo", "--force").exit_code == 1
    assert (outside / "keys").read_text() == "ssh-ed25519 AAAA victim\n"


def test_content_outside_the_site_is_refused_unless_allowed(runner, site, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    write(elsewhere / "post.md", "---\ntitle: Post\n---\n\nWords of a post.\n")
    (site / "l10n.toml").write_text(f'content = "{elsewhere}"\n')
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 2 and "is outside the site" in result.output and "write_outside_site" in result.output
    assert not (elsewhere / "post.es.md").exists()
    (site / "l10n.toml").write_text(f'content = "{elsewhere}"\nwrite_outside_site = true\n')
    assert invoke(runner, "translate", "--to", "es", "--engine", "pseudo").exit_code == 0
    assert (elsewhere / "post.es.md").is_file()


@pytest.fixture
def victim(tmp_path_factory):
    """Another program's files outside the site, which no link may make l10n write."""
    folder = tmp_path_factory.mktemp("victim")
    for name in ("state.json", "state.lock", "journal", "gitignore", "export.xlf", "review.html"):
        (folder / name).write_text("theirs\n")
    return folder


def _untouched(victim: Path) -> None:
    assert sorted(p.name for p in victim.iterdir()) == sorted(
        ["state.json", "state.lock", "journal", "gitignore", "export.xlf", "review.html"])
    assert all(p.read_text() == "theirs\n" for p in victim.iterdir())


@pytest.mark.parametrize("link", ["state.json", "state.lock", ".gitignore", f"journal.{os.getpid()}.jsonl"])
def test_no_file_of_the_state_is_written_through_a_link(runner, site, victim, link):
    write(site / "content" / "post.md", "---\ntitle: Post\n---\n\nWords of a post.\n")
    (site / ".l10n").mkdir()
    os.symlink(victim / {"state.json": "state.json", "state.lock": "state.lock", ".gitignore": "gitignore"}.get(
        link, "journal"), site / ".l10n" / link)
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    if link in ("state.json", "state.lock"):  # a .gitignore there is left as it is; a journal link is removed
        assert result.exit_code != 0 and "symbolic link" in result.output, result.output
    _untouched(victim)


def test_the_state_folder_as_a_link_is_refused(runner, site, victim):
    write(site / "content" / "post.md", "---\ntitle: Post\n---\n\nWords of a post.\n")
    os.symlink(victim, site / ".l10n")
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code != 0 and "folder link" in result.output, result.output
    _untouched(victim)


@pytest.mark.parametrize("link", ["memory.sqlite", "memory.sqlite-wal"])
def test_the_memory_is_never_opened_through_a_link(runner, site, tmp_path_factory, link):
    import sqlite3

    other = tmp_path_factory.mktemp("program") / "their.db"
    db = sqlite3.connect(str(other))
    db.execute("CREATE TABLE mine (x)")
    db.close()
    before = other.read_bytes()
    write(site / "content" / "post.md", "---\ntitle: Post\n---\n\nWords of a post.\n")
    (site / ".l10n").mkdir()
    os.symlink(other if link == "memory.sqlite" else other.with_name("their.db-wal"), site / ".l10n" / link)
    result = invoke(runner, "translate", "--to", "es", "--engine", "reversing")
    assert result.exit_code == 0, result.output  # the run goes on without the memory, and says why
    assert "symbolic link" in result.output and "without the memory" in result.output
    assert other.read_bytes() == before and not other.with_name("their.db-wal").exists()


def test_a_memory_that_is_a_folder_is_one_warning(runner, site):
    write(site / "content" / "post.md", "---\ntitle: Post\n---\n\nWords of a post.\n")
    (site / ".l10n" / "memory.sqlite").mkdir(parents=True)
    result = invoke(runner, "translate", "--to", "es", "--engine", "reversing")
    assert result.exit_code == 0 and "memory.sqlite: warning:" in result.output and "folder" in result.output


def test_exports_and_review_pages_stay_in_the_site_and_off_links(runner, blog, victim):
    os.symlink(victim / "export.xlf", blog / "l10n-es.xlf")
    result = invoke(runner, "export")
    assert result.exit_code == 1 and "l10n-es.xlf: error: is a symbolic link" in result.output, result.output
    result = invoke(runner, "export", "-o", str(victim / "new.xlf"))
    assert result.exit_code == 1 and "is outside" in result.output
    os.symlink(victim / "review.html", blog / "review.html")
    result = invoke(runner, "review", "--html", "review.html")
    assert result.exit_code == 1 and "is a symbolic link" in result.output
    _untouched(victim)


def test_catalogs_and_tables_are_never_written_through_links(runner, mainroad, victim):
    assert invoke(runner, "catalog", "extract").exit_code == 0
    os.unlink(mainroad / "locales" / "messages.pot")
    os.symlink(victim / "state.json", mainroad / "locales" / "messages.pot")
    result = invoke(runner, "catalog", "extract")
    assert result.exit_code == 1 and "is a symbolic link" in result.output, result.output
    os.unlink(mainroad / "locales" / "messages.pot")
    assert invoke(runner, "catalog", "extract").exit_code == 0
    assert invoke(runner, "catalog", "update", "--to", "es").exit_code == 0
    (mainroad / "i18n").joinpath("es.yaml").symlink_to(victim / "gitignore")
    result = invoke(runner, "catalog", "export", "--format", "hugo")
    assert result.exit_code == 1 and "is a symbolic link" in result.output, result.output
    _untouched(victim)


def test_a_model_is_never_installed_through_a_link(archives, tmp_path):
    from l10n.engines.packages import ModelError, install_file

    dest, elsewhere = tmp_path / "packages", tmp_path / "elsewhere"
    dest.mkdir()
    elsewhere.mkdir()
    archive = archives[("en", "es")]
    import zipfile

    top = zipfile.ZipFile(archive).namelist()[0].split("/")[0]
    os.symlink(elsewhere, dest / top)
    with pytest.raises(ModelError, match="symbolic link"):
        install_file(archive, dest)
    assert list(elsewhere.iterdir()) == []


# --------------------------------------------------------------------------
# Every call site


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            yield node, name, owner


def _mode(node: ast.Call, position: int) -> str:
    args = [a for a in node.args]
    value = args[position] if len(args) > position else next((k.value for k in node.keywords if k.arg == "mode"), None)
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else "r"


#: Writes outside the one rule, each for a reason: a download into a fresh temporary folder.
ALLOWED = {("engines/packages.py", "open")}


def _writes(call: ast.Call) -> bool:
    """Whether an os.open call may write: its flags name a writing mode (read-only is O_RDONLY alone)."""
    flags = {n.attr for arg in call.args[1:2] for n in ast.walk(arg) if isinstance(n, ast.Attribute)}
    return not flags or bool(flags & {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}) or "O_RDONLY" not in flags


def test_every_write_goes_through_the_one_rule():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "write.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node, name, owner in _calls(tree):
            where = f"l10n/{rel}:{node.lineno}"
            if name == "open" and isinstance(node.func, ast.Name) and set(_mode(node, 1)) & set("wax+"):
                found.append(f"{where}: open() for writing: use write.write_atomic or write.open_append")
            elif name == "open" and isinstance(node.func, ast.Attribute) and owner not in ("os", "zipfile") and \
                    set(_mode(node, 0)) & set("wax+") and (rel, "open") not in ALLOWED:
                found.append(f"{where}: .open() for writing: use write.write_atomic")
            elif name == "open" and owner == "os" and _writes(node):
                found.append(f"{where}: os.open for writing: use write.open_append")
            elif name in ("write_text", "write_bytes"):
                found.append(f"{where}: {name}: use write.write_atomic")
            elif name == "write_atomic" and len(node.args) < 3 and not any(k.arg == "inside" for k in node.keywords):
                found.append(f"{where}: write_atomic without inside=")
            elif name == "connect" and owner == "sqlite3":
                holder = next(f for f in functions if f.lineno <= node.lineno <= f.end_lineno)
                if not any(n == "sqlite_path" for _c, n, _o in _calls(holder)):
                    found.append(f"{where}: sqlite3.connect without write.sqlite_path")
    assert not found, "\n".join(found)

"""Atomic writes and links."""

from __future__ import annotations

import os

import pytest
from helpers import invoke, write


def test_writing_through_a_link_keeps_the_link(tmp_path):
    from l10n.write import write_atomic

    real = write(tmp_path / "real.md", "old")
    os.symlink(real, tmp_path / "link.md")
    assert write_atomic(tmp_path / "link.md", b"new")
    assert os.path.islink(tmp_path / "link.md") and real.read_text() == "new"


def test_a_write_never_leaves_the_site(tmp_path):
    from l10n.errors import ContentError
    from l10n.write import write_atomic

    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "content").mkdir(parents=True)
    outside.mkdir()
    os.symlink(outside / "authorized_keys", site / "content" / "dangling.es.md")  # dangling
    os.symlink(outside, site / "content" / "es")  # a folder link
    inside = write(site / "content" / "real.md", "x")
    os.symlink(inside, site / "content" / "inside.md")
    for path, how in ((site / "content" / "dangling.es.md", "is a symbolic link to"),
                      (site / "content" / "es" / "post.md", "is reached through a folder link")):
        with pytest.raises(ContentError, match=f"{how}.*, outside the site; not written"):
            write_atomic(path, b"secret", inside=site)
    assert list(outside.iterdir()) == []
    assert write_atomic(site / "content" / "inside.md", b"y", inside=site) and inside.read_text() == "y"


def test_translate_writes_nothing_outside_the_site(runner, site, tmp_path_factory):
    outside = tmp_path_factory.mktemp("victim")
    (outside / "keys").write_text("ssh-ed25519 AAAA victim\n")
    write(site / "content" / "keys.md", "---\ntitle: Keys\n---\n\nMy key:\n\n```\nssh-ed25519 AAAA attacker\n```\n")
    write(site / "content" / "fine.md", "---\ntitle: Fine\n---\n\nA page that is fine.\n")
    os.symlink(outside / "new-file", site / "content" / "keys.es.md")  # dangling: would create it
    result = invoke(runner, "translate", "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 1
    assert "content/keys.es.md: failed: is a symbolic link to" in result.output
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

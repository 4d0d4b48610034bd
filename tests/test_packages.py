"""Argos Translate packages: installed, listed, removed; archives refused; downloads (l10n/engines/packages.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from helpers import install, use_models

from l10n.cli import cli


def test_install_list_remove(runner, archives, packages, site):
    use_models(site, packages)
    result = install(runner, archives[("en", "es")], packages)
    assert "installed en->es 1.0" in result.output
    assert (packages / "translate-en_es-1_0" / "model" / "model.bin").is_file()
    listed = runner.invoke(cli, ["models", "list"])
    assert "en\tes\t1.0\t" in listed.output
    removed = runner.invoke(cli, ["models", "remove", "en", "es"])
    assert removed.exit_code == 0 and not (packages / "translate-en_es-1_0").exists()
    assert runner.invoke(cli, ["models", "remove", "en", "es"]).exit_code == 1


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "members, message",
    [
        (None, "not a zip archive"),
        ({"pkg/../../evil.txt": b"x", "pkg/metadata.json": b"{}"}, "leads out of the package folder"),
        ({"/etc/evil": b"x"}, "leads out of the package folder"),
        ({"pkg/model/model.bin": b"x", "pkg/sentencepiece.model": b"x"}, "no pkg/metadata.json"),
        ({"pkg/metadata.json": b"{not json", "pkg/model/model.bin": b"x"}, "invalid metadata.json"),
        ({"pkg/metadata.json": b'{"from_code": "en"}', "pkg/model/model.bin": b"x"}, "must name from_code and to_code"),
        ({"pkg/metadata.json": b'{"from_code": "en", "to_code": "es"}', "pkg/sentencepiece.model": b"x"}, "no CTranslate2 model"),
        ({"a/metadata.json": b"{}", "b/metadata.json": b"{}"}, "holds one folder"),
        ({"pkg/metadata.json": b" " * (2 * 1024 * 1024), "pkg/model/model.bin": b"x"}, "a metadata.json of 2,097,152 bytes"),
        ({"pkg/metadata.json": b"[" * 100_000 + b"]" * 100_000, "pkg/model/model.bin": b"x"}, "nested too deeply"),
        ({"pkg/metadata.json": b'{"from_code": "en", "to_code": "es"}', "pkg/model/model.bin": bytes(64 * 1024**2),
          "pkg/sentencepiece.model": b"x"}, "(a zip bomb)"),
    ],
)
def test_bad_archives_are_refused_and_leave_nothing(runner, packages, tmp_path, members, message):
    archive = tmp_path / "bad.argosmodel"
    if members is None:
        archive.write_bytes(b"this is not a zip file")
    else:
        _zip(archive, members)
    result = runner.invoke(cli, ["models", "install", str(archive), "--dir", str(packages)])
    assert result.exit_code == 1
    assert message in result.output
    assert list(packages.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_link_in_archive_is_refused(runner, packages, tmp_path):
    archive = tmp_path / "link.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("pkg/model")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc")
        zf.writestr("pkg/metadata.json", json.dumps({"from_code": "en", "to_code": "es"}))
    result = runner.invoke(cli, ["models", "install", str(archive), "--dir", str(packages)])
    assert result.exit_code == 1 and "is a link" in result.output
    assert list(packages.iterdir()) == []


def test_an_archive_replaces_only_the_package_its_metadata_names(runner, archives, packages, tmp_path):
    """A folder named like the installed en->es package, but metadata saying en->fr, is
    refused; an install killed in the middle leaves a folder the next install removes."""
    installed = runner.invoke(cli, ["models", "install", str(archives[("en", "es")]), "--dir", str(packages)])
    assert installed.exit_code == 0, installed.output
    (folder,) = [p for p in packages.iterdir() if not p.name.startswith(".")]
    with zipfile.ZipFile(archives[("en", "es")]) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    meta = json.loads(members[f"{folder.name}/metadata.json"])
    members[f"{folder.name}/metadata.json"] = json.dumps({**meta, "to_code": "fr"}).encode()
    liar = _zip(tmp_path / "liar.argosmodel", members)
    result = runner.invoke(cli, ["models", "install", str(liar), "--dir", str(packages)])
    assert result.exit_code == 1 and "holds the installed en->es package" in result.output
    assert json.loads((folder / "metadata.json").read_text())["to_code"] == "es"
    (packages / ".l10n-install-999999999-abc").mkdir()  # a killed install's (no such process)
    (packages / ".l10n-install-999999999-abc" / "model.bin").write_bytes(b"x" * 1000)
    assert runner.invoke(cli, ["models", "install", str(archives[("en", "es")]), "--dir", str(packages)]).exit_code == 0
    assert not list(packages.glob(".l10n-install-*"))


def test_downloads_fail_clearly_offline(runner, packages, offline):
    for args in (["models", "available"], ["models", "install", "en", "es", "--dir", str(packages)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert "cannot read the Argos package index" in result.output
        assert "l10n models install FILE.argosmodel" in result.output
        assert "Traceback" not in result.output

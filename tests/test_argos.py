"""The Argos engine and model management, with real packages built offline."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from argos_package import build_package
from conftest import EXAMPLE, ROOT

from l10n.cli import cli


@pytest.fixture(scope="session")
def archives(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archives")
    return {pair: build_package(folder, *pair) for pair in [("en", "es"), ("es", "en"), ("en", "fr")]}


@pytest.fixture
def packages(monkeypatch, tmp_path):
    """An empty Argos package folder for this test (models_dir in l10n.toml)."""
    folder = tmp_path / "argos-packages"
    folder.mkdir()
    return folder


def install(runner, archive, folder):
    result = runner.invoke(cli, ["models", "install", str(archive), "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    return result


def use_models(site: Path, folder: Path) -> None:
    (site / "l10n.toml").write_text(f'[argos]\nmodels_dir = "{folder}"\n', encoding="utf-8")


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to reach the network fails loudly."""
    def refuse(*args, **kwargs):
        raise OSError("network access attempted in an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


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


def test_translate_end_to_end_through_ctranslate2(runner, archives, packages, example_site, offline):
    use_models(example_site, packages)
    install(runner, archives[("en", "es")], packages)
    result = runner.invoke(cli, ["translate", "--engine", "argos", "--to", "es", "--beam-size", "4"])
    assert result.exit_code == 0, result.output
    source = EXAMPLE.read_text(encoding="utf-8")
    target = (example_site / "content" / f"{EXAMPLE.stem}.es.md").read_text(encoding="utf-8")
    # a copy model: every segment came back from CTranslate2 as it went in
    assert target.split("---", 2)[2] == source.split("---", 2)[2]
    assert 'lang:\n  - "es"' in target
    assert "translation memory: 0 found" in result.output
    again = runner.invoke(cli, ["translate", "--engine", "argos", "--to", "es", "--force", "--beam-size", "4"])
    assert "sent to the engine" in again.output and ", 0 sent to the engine" in again.output


def test_translation_really_goes_through_the_model(runner, archives, packages, site, offline):
    """Sentences are split, sent and put back with their spacing."""
    from l10n.engines.argos import ArgosEngine

    install(runner, archives[("en", "es")], packages)
    engine = ArgosEngine(models_dir=packages, beam_size=1)
    texts = ["First sentence here.  Second one, e.g. this!\nThird <g1>with</g1> tags <x1/>.", "Zürich café ÆØÅ…"]
    assert engine.translate_batch(texts, "en", "es") == texts
    assert engine.model_for("en", "es") == "en->es 1.0 beam1"


def test_bpe_packages_translate_without_argostranslate(runner, tmp_path, packages, site, offline):
    """Older packages tokenise with Moses and subword-nmt's BPE (bpe.model)."""
    from l10n.engines.argos import ArgosEngine

    install(runner, build_package(tmp_path, "en", "de", tokenizer="bpe"), packages)
    assert (packages / "translate-en_de-1_0" / "bpe.model").is_file()
    engine = ArgosEngine(models_dir=packages, beam_size=1)
    texts = ["Hello world, this is a test.", "Hugo is a fast static site generator. Numbers like 3.14 stay."]
    assert engine.translate_batch(texts, "en", "de") == texts
    assert "argostranslate" not in sys.modules


def test_pivot_through_english(runner, archives, packages, site, offline):
    from l10n.engines.argos import ArgosEngine

    install(runner, archives[("es", "en")], packages)
    engine = ArgosEngine(models_dir=packages)
    with pytest.raises(Exception, match="l10n models install es fr"):
        engine.translate_batch(["Hola."], "es", "fr")
    install(runner, archives[("en", "fr")], packages)
    assert [p.label for p in engine.route("es", "fr")] == ["es->en 1.0", "en->fr 1.0"]
    assert engine.translate_batch(["Hola mundo. Adiós."], "es", "fr") == ["Hola mundo. Adiós."]


def test_missing_model_is_one_clear_error_before_any_work(runner, packages, example_site, offline, monkeypatch):
    use_models(example_site, packages)
    import l10n.commands.build  # noqa: F401 - bound to the real find_articles before it is replaced
    from l10n import survey

    def no_work(*args, **kwargs):
        raise AssertionError("articles were looked for before the model was")

    monkeypatch.setattr(survey, "find_articles", no_work)
    for command in ("translate", "build"):
        result = runner.invoke(cli, [command, "--engine", "argos", "--to", "de"])
        assert result.exit_code == 2, result.output
        assert "no Argos model for en->de: install one with `l10n models install en de`" in result.output
        assert "--engine pseudo" in result.output and "--engine copy" in result.output
    assert not list((example_site / "content").glob("*.de.md"))


def test_default_engine_is_argos(runner, packages, example_site, monkeypatch):
    monkeypatch.delenv("L10N_ENGINE")
    use_models(example_site, packages)
    result = runner.invoke(cli, ["translate", "--to", "de"])
    assert "no Argos model for en->de" in result.output


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


def test_argos_path_imports_no_torch(archives, tmp_path):
    folder = tmp_path / "packages"
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from l10n.engines.packages import install_file
from l10n.engines.argos import ArgosEngine
from pathlib import Path
install_file(Path({str(archives[("en", "es")])!r}), Path({str(folder)!r}))
print(ArgosEngine(models_dir={str(folder)!r}).translate_batch(["Hello world."], "en", "es"))
print(sorted(m for m in ("torch", "stanza", "spacy", "onnxruntime", "argostranslate.translate") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["['Hello world.']", "[]"]

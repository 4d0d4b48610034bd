"""Argos Translate packages: find them, install them (from a file or the index), remove them.

Packages live where Argos Translate keeps them (its package folders:
``ARGOS_PACKAGES_DIR``, else ``~/.local/share/argos-translate/packages``),
and in a site's ``.l10n/models/`` if it has one. A package is a folder with
``metadata.json``, a CTranslate2 model in ``model/`` and a tokenizer
(``sentencepiece.model`` or ``bpe.model``); an ``.argosmodel`` file is that
folder zipped.

An archive is untrusted input: one that is not a zip, holds a path leading
out of its folder or a link, or lacks a valid metadata.json or model is
refused, and nothing of it is left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import EngineError, L10nError
from ..write import alive, writable

#: Refuse archives that unpack to more than this (bytes).
MAX_UNPACKED = 2 * 1024**3
#: The largest metadata.json read (bytes): Argos's are under a kilobyte.
MAX_METADATA = 1024 * 1024
#: A member that unpacks to more than this many times its packed size (and to
#: over 16 MB) is a zip bomb: models and tokenizers compress a few times at most.
MAX_RATIO = 100


class ModelError(EngineError):
    """A model is missing, broken, or cannot be fetched."""


@dataclass(frozen=True)
class Package:
    """An installed Argos Translate package."""

    path: Path
    from_code: str
    to_code: str
    version: str
    target_prefix: str = ""

    @property
    def tokenizer(self) -> Path:
        sp = self.path / "sentencepiece.model"
        return sp if sp.is_file() else self.path / "bpe.model"

    @property
    def model(self) -> Path:
        return self.path / "model"

    @property
    def label(self) -> str:
        return f"{self.from_code}->{self.to_code} {self.version}"


#: Argos Translate's package index, unless ARGOS_PACKAGE_INDEX names another.
INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def argos_setting(key: str, default: str | None = None) -> str | None:
    """A setting as Argos Translate reads it: the environment, else its
    settings.json (``~/.config/argos-translate``), else ``default``. Read here
    rather than by importing argostranslate, which is not installed by default."""
    value = os.environ.get(key)
    if value is not None:
        return value
    config = Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config") / "argos-translate" / "settings.json"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    value = data.get(key) if isinstance(data, dict) else None
    return str(value) if value is not None else default


def _home() -> Path:
    snap = os.environ.get("SNAP_USER_DATA") if "SNAP" in os.environ else None
    return Path(snap) if snap else Path.home()


def install_dir() -> Path:
    """Where ``install`` puts packages, as Argos Translate does: ARGOS_PACKAGES_DIR,
    else ``$XDG_DATA_HOME/argos-translate/packages`` (``~/.local/share/...``)."""
    data = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share") / "argos-translate"
    return Path(argos_setting("ARGOS_PACKAGES_DIR") or data / "packages")


def package_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    """Where packages are looked for: ``extra`` first, then Argos Translate's
    folder, then the folders a snap of Argos Translate bundles."""
    dirs = [Path(p) for p in extra] + [install_dir()]
    if "SNAP" in os.environ:
        bundled = Path(os.environ["SNAP"]) / "snap_custom"
        dirs.append(bundled / "packages")
        content = bundled / "content_snap_packages"
        if content.is_dir():
            dirs.extend(sorted(p for p in content.iterdir() if p.is_dir()))
    return list(dict.fromkeys(dirs))


def read_package(folder: Path) -> Package:
    meta_path = folder / "metadata.json"
    try:
        if meta_path.stat().st_size > MAX_METADATA:
            raise ModelError(f"{meta_path}: a metadata.json of {meta_path.stat().st_size:,} bytes is no Argos package's")
        meta = _json(meta_path.read_bytes())
    except FileNotFoundError:
        raise ModelError(f"{folder}: no metadata.json: not an Argos package") from None
    except OSError as exc:
        raise ModelError(f"{meta_path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ModelError(f"{meta_path}: invalid metadata.json: {exc}") from None
    return _package(folder, meta, str(meta_path))


def _json(data: bytes) -> object:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _package(folder: Path, meta: object, where: str) -> Package:
    if not isinstance(meta, dict) or not isinstance(meta.get("from_code"), str) or not isinstance(meta.get("to_code"), str):
        raise ModelError(f"{where}: metadata.json must name from_code and to_code")
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"{where}: a package of type {meta.get('type')!r}, not a translation model")
    return Package(folder, meta["from_code"], meta["to_code"], str(meta.get("package_version", "")),
                   str(meta.get("target_prefix", "") or ""))


def installed(dirs: Sequence[Path]) -> list[Package]:
    found = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if child.is_dir() and (child / "metadata.json").is_file():
                try:
                    found.append(read_package(child))
                except ModelError:
                    continue  # a broken folder is not a package; install reports such problems
    return found


def find(from_code: str, to_code: str, dirs: Sequence[Path]) -> Package | None:
    """The newest installed package for a pair (Argos codes)."""
    matches = [p for p in installed(dirs) if p.from_code == from_code and p.to_code == to_code]
    return max(matches, key=lambda p: _version_key(p.version)) if matches else None


def _version_key(version: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in version.replace("-", ".").split("."))


# --------------------------------------------------------------------------
# Installing


def install_file(archive: Path, dest: Path | None = None) -> Package:
    """Install an ``.argosmodel`` archive; replaces an older copy of the same package."""
    dest = dest or install_dir()
    if not archive.is_file():
        raise ModelError(f"{archive}: no such file")
    if not zipfile.is_zipfile(archive):
        raise ModelError(f"{archive}: not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(archive) as zf:
            top = _check_members(archive, zf)
            try:
                info = zf.getinfo(f"{top}/metadata.json")
                if info.file_size > MAX_METADATA:
                    raise ModelError(f"{archive}: refused: a metadata.json of {info.file_size:,} bytes")
                meta = _json(zf.read(info))
            except KeyError:
                raise ModelError(f"{archive}: no {top}/metadata.json: not an Argos package") from None
            except ValueError as exc:
                raise ModelError(f"{archive}: invalid metadata.json: {exc}") from None
            new = _package(Path(top), meta, f"{archive}: metadata.json")
            names = set(zf.namelist())
            if f"{top}/model/model.bin" not in names:
                raise ModelError(f"{archive}: no CTranslate2 model ({top}/model/model.bin)")
            if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
                raise ModelError(f"{archive}: no tokenizer (sentencepiece.model or bpe.model)")
            final = dest / top
            try:
                writable(final, dest)  # the package's own folder, never a link
            except L10nError as exc:
                raise ModelError(f"{archive}: cannot install: {exc}") from None
            if final.exists():  # only the package the metadata names is replaced
                try:
                    there = read_package(final)
                except ModelError:
                    there = None
                if there is not None and (there.from_code, there.to_code) != (new.from_code, new.to_code):
                    raise ModelError(f"{archive}: refused: its folder {top} holds the installed "
                                     f"{there.from_code}->{there.to_code} package, and this archive's metadata says "
                                     f"{new.from_code}->{new.to_code}")
            dest.mkdir(parents=True, exist_ok=True)
            _clean_leftovers(dest)
            work = Path(tempfile.mkdtemp(prefix=f".l10n-install-{os.getpid()}-", dir=dest))
            try:
                zf.extractall(work)
                if final.exists():
                    os.replace(final, work / ".old")
                os.replace(work / top, final)
            except OSError as exc:
                raise ModelError(f"{archive}: cannot install into {dest}: {exc.strerror or exc}") from None
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{archive}: damaged archive: {exc}") from None
    return read_package(dest / top)


def _clean_leftovers(dest: Path) -> None:
    """Remove what installs killed in the middle left (their process is gone)."""
    for leftover in dest.glob(".l10n-install-*"):
        pid = leftover.name[len(".l10n-install-") :].split("-", 1)[0]
        if not pid.isdigit() or not alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _check_members(archive: Path, zf: zipfile.ZipFile) -> str:
    tops = set()
    total = 0
    for info in zf.infolist():
        name = info.filename
        parts = Path(name).parts
        if name.startswith(("/", "\\")) or ".." in parts or ":" in name.split("/")[0] or "\\" in name:
            raise ModelError(f"{archive}: refused: {name!r} leads out of the package folder")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"{archive}: refused: {name!r} is a link")
        total += info.file_size
        if info.file_size > 16 * 1024**2 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ModelError(f"{archive}: refused: {name!r} unpacks to {info.file_size:,} bytes from "
                             f"{info.compress_size:,} (a zip bomb)")
        if parts:
            tops.add(parts[0])
    if total > MAX_UNPACKED:
        raise ModelError(f"{archive}: refused: unpacks to {total} bytes")
    if len(tops) != 1:
        raise ModelError(f"{archive}: an Argos package holds one folder, not {len(tops)} entries at its top")
    return tops.pop()


def remove(from_code: str, to_code: str, dirs: Sequence[Path]) -> list[Package]:
    gone = [p for p in installed(dirs) if p.from_code == from_code and p.to_code == to_code]
    if not gone:
        raise ModelError(f"no installed package for {from_code}->{to_code}")
    for package in gone:
        shutil.rmtree(package.path)
    return gone


# --------------------------------------------------------------------------
# The index (online)


def index_url() -> str:
    return (argos_setting("ARGOS_PACKAGE_INDEX") or INDEX).rstrip("/") + "/index.json"


def fetch_index(timeout: float = 15) -> list[dict]:
    """The packages in Argos Translate's online index."""
    url = index_url()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ModelError(
            f"cannot read the Argos package index at {url} ({_reason(exc)}); offline, download an .argosmodel "
            "file on another machine and run: l10n models install FILE.argosmodel"
        ) from None
    return [p for p in data if isinstance(p, dict) and p.get("type", "translate") == "translate"]


def download(from_code: str, to_code: str, dest: Path | None = None,
             progress: Callable[[int, int], None] | None = None, timeout: float = 30) -> Package:
    """Download a package from the index and install it."""
    entries = [p for p in fetch_index(timeout) if p.get("from_code") == from_code and p.get("to_code") == to_code]
    if not entries:
        raise ModelError(f"the Argos package index has no package for {from_code}->{to_code}")
    entry = max(entries, key=lambda p: _version_key(str(p.get("package_version", ""))))
    links = [link for link in entry.get("links", []) if isinstance(link, str)]
    if not links:
        raise ModelError(f"the index entry for {from_code}->{to_code} has no download link")
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / f"translate-{from_code}_{to_code}.argosmodel"
        try:
            with urllib.request.urlopen(links[0], timeout=timeout) as response, archive.open("wb") as out:
                total = int(response.headers.get("Content-Length") or 0)
                done = 0
                while chunk := response.read(1 << 20):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
        except (urllib.error.URLError, OSError) as exc:
            raise ModelError(
                f"cannot download {links[0]} ({_reason(exc)}); download it elsewhere and run: "
                "l10n models install FILE.argosmodel"
            ) from None
        if total and done != total:
            raise ModelError(f"download of {links[0]} was cut short ({done} of {total} bytes)")
        package = install_file(archive, dest)
    if (package.from_code, package.to_code) != (from_code, to_code):
        raise ModelError(f"{links[0]} holds {package.label}, not {from_code}->{to_code}")
    return package


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason).splitlines()[0] if str(reason) else type(exc).__name__

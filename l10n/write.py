"""Atomic, idempotent writes: the one way l10n puts bytes in a file.

Files are written through a temporary file in the same folder and renamed
over the old one, and only when their bytes change, so a rerun that changes
nothing leaves every file (and its timestamp) as it was.
"""

from __future__ import annotations

import glob
import hashlib
import os
import tempfile
from pathlib import Path

from .errors import ContentError


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def alive(pid: int) -> bool:
    """Whether a process is running (a zombie, killed and not yet reaped, is not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _leftovers(path: Path) -> None:
    """Remove the temporary files a killed run left while writing ``path``."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 : -4]
        if pid.isdigit() and not alive(int(pid)):
            try:
                tmp.unlink()
            except OSError:
                pass


def writable(path: Path | str, inside: Path | None) -> Path:
    """``path`` if l10n may write it, else a ContentError saying why: the one rule for
    every file l10n writes or opens for writing. Never through a symbolic link (the
    file itself, existing or dangling, or a folder on the way from ``inside``), and
    only inside ``inside`` (the site's root, or the folder a kind of file belongs in);
    ``inside=None``: anywhere the user allowed (``write_outside_site``), still never
    through a link."""
    path = Path(os.path.abspath(path))
    if os.path.islink(path):
        raise ContentError(f"is a symbolic link (to {os.readlink(path)}); l10n never writes through a link", path)
    if inside is None:
        return path
    top = Path(os.path.abspath(inside))
    if path != top and top not in path.parents:
        raise ContentError(f"is outside {top}, where l10n writes; not written", path)
    for folder in path.parents:
        if folder == top:
            break
        if os.path.islink(folder):
            raise ContentError(f"is reached through a folder link ({folder} -> {os.readlink(folder)}); l10n never "
                               "writes through a link", path)
    return path


def open_append(path: Path, inside: Path | None):
    """``path`` opened for appending text (created if need be), by the one write rule;
    the open itself refuses a link that appeared since (O_NOFOLLOW)."""
    path = writable(path, inside)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), _MODE)
    except OSError as exc:
        raise ContentError(f"cannot write: {exc.strerror or exc}", path) from None
    return os.fdopen(fd, "a", encoding="utf-8")


def sqlite_path(path: Path, inside: Path | None) -> Path:
    """A database l10n may open for writing: a regular file (or none yet) by the one write
    rule, and no link where SQLite keeps its journal and shared memory beside it."""
    path = writable(path, inside)
    for extra in ("-wal", "-shm", "-journal"):
        writable(path.with_name(path.name + extra), inside)
    if path.exists() and not path.is_file():
        raise ContentError("is not a file (a folder?); move it away", path)
    return path


def write_atomic(path: Path, data: bytes, inside: Path | None) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that. True if written.

    ``inside``: where the file may be (see ``writable``: the one write rule);
    ``None`` only where the user allowed writing outside the site."""
    path = writable(path, inside)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = _MODE
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror or exc}", path) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _leftovers(path)
        tmp = str(path.parent / f".{path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # a leftover of a killed run: a fresh random name
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ContentError(f"cannot write: {exc.strerror or exc}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ContentError(f"cannot write: {exc.strerror or exc}", path) from None
        raise
    return True

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


def confine(path: Path, root: Path) -> None:
    """Raise unless writing ``path`` writes a file inside ``root`` (links followed)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    if real == top or real.startswith(os.path.join(top, "")):
        return
    if os.path.islink(path):
        how = f"is a symbolic link to {real}"
    else:
        how = f"is reached through a folder link, to {real}"
    raise ContentError(f"{how}, outside the site; not written", path)


def write_atomic(path: Path, data: bytes, inside: Path | None = None) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that. True if written.

    A symbolic link stays a link: the file it points at is written, but with
    ``inside`` (the site's root) only where that file is inside it too: a link,
    or a folder link on the way, that leads out of the site is refused.
    """
    if inside is not None:
        confine(path, inside)
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
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

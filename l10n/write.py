"""Atomic, idempotent writes, and the provenance of every translation.

Files are written through a temporary file in the same folder and renamed
over the old one, and only when their bytes change. What each translation was
made from (source hash, engine, time, segment hashes) is kept in
``.l10n/state.json`` at the site root: a file Hugo never reads, diffable, and
safe to commit. Two runs at once are serialised by a lock on its update.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .errors import ContentError

STATE_VERSION = 1


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that. True if written.

    A symbolic link stays a link: the file it points at is written.
    """
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


class State:
    """Provenance of translations, keyed by paths relative to the site root."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "state.json"
        self.sources: dict[str, dict[str, Any]] = {}
        self.targets: dict[str, dict[str, Any]] = {}
        self._changed: set[tuple[str, str]] = set()

    @classmethod
    def load(cls, folder: Path) -> State:
        state = cls(folder)
        data = state._read()
        state.sources = data.get("sources", {})
        state.targets = data.get("targets", {})
        return state

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror or exc}", self.path) from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ContentError(f"state file is not valid JSON ({exc}); move it away to start afresh", self.path) from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ContentError("state file of an unknown version; move it away to start afresh", self.path)
        for table in ("sources", "targets"):
            entries = data.get(table, {})
            if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
                raise ContentError(f"state file is damaged ({table!r} is not a table of entries); move it away to start afresh", self.path)
        return data

    def set_source(self, key: str, entry: dict[str, Any]) -> None:
        if self.sources.get(key) != entry:
            self.sources[key] = entry
            self._changed.add(("sources", key))

    def set_target(self, key: str, entry: dict[str, Any]) -> None:
        if self.targets.get(key) != entry:
            self.targets[key] = entry
            self._changed.add(("targets", key))

    def save(self) -> bool:
        """Merge this run's changes into the file on disk. True if it changed."""
        if not self._changed:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():  # the lock is local; the state is worth committing
            write_atomic(ignore, b"state.lock\nmemory.sqlite-wal\nmemory.sqlite-shm\n")
        with self._lock():
            current = self._read()
            sources = current.get("sources", {})
            targets = current.get("targets", {})
            for table, key in self._changed:
                mine = self.sources if table == "sources" else self.targets
                theirs = sources if table == "sources" else targets
                theirs[key] = mine[key]
            data = {"version": STATE_VERSION, "sources": sources, "targets": targets}
            text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            written = write_atomic(self.path, text.encode("utf-8"))
        self._changed.clear()
        return written

    @contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.folder / "state.lock"
        handle = open(lock_path, "a+")
        try:
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - no flock on this platform
                pass
            yield
        finally:
            handle.close()

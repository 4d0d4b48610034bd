"""The site's state folder: provenance records loaded, journaled, locked, merged and saved.

``.l10n/state.json`` at the site root holds the records of ``provenance``
(one :class:`~l10n.provenance.SourceRecord` per article, one
:class:`~l10n.provenance.TargetRecord` per translation). Hugo never reads
it; it is diffable and meant to be committed.

Two runs at once are safe: a file is checked and written under the site's
lock (:meth:`Provenance.writing`), so no other run writes between the check
and the rename; a save merges this run's changes into the file on disk under
the same lock, field by field, so a record another run changed meanwhile
keeps that run's fields; a record whose file no longer holds the bytes it
names (another run wrote the file since) is not saved at all, nor is an
approval of a file whose record another run changed since: the file's record
is the run's that wrote or decided it last.

A target is never on disk without its record: before a file is renamed into
place its record is appended to this process's journal
(``.l10n/journal.<pid>.jsonl``). Whoever opens the state next replays the
journals of processes that are gone (a run killed at any moment): a record
whose file holds the bytes it names is kept, the rest were never written.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterator

from .errors import ContentError
from .provenance import SourceRecord, TargetRecord
from .write import alive, digest, open_append, writable, write_atomic

STATE_VERSION = 1

#: Fields always written; the others only when they hold something.
_ALWAYS = {"source", "lang", "raw", "words"}


def _to_json(record: SourceRecord | TargetRecord) -> dict[str, Any]:
    """A record as state.json holds it: segment digests as one space-separated string."""
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name not in _ALWAYS and value in (None, "", False, [], {}):
            continue
        out[f.name] = " ".join(value) if f.name in ("segments", "target_segments") else value
    return out


def _from_json(cls, data: Any, where: str):
    """A record from its JSON, every field's type checked (a damaged file is an error, not a traceback)."""
    if not isinstance(data, dict):
        raise ValueError(f"{where} is not a table")
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in ("segments", "target_segments"):
            value = value.split() if isinstance(value, str) else value
        kind = f.type
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "list[str]": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "dict[str, str]": isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
            "dict[str, Any] | None": value is None or isinstance(value, dict),
        }.get(kind, True)
        if not ok:
            raise ValueError(f"{where}: {f.name} is not a {kind}")
        values[f.name] = value
    for required in ("source", "lang") if cls is TargetRecord else ("raw", "lang"):
        if not isinstance(values.get(required), str):
            raise ValueError(f"{where} has no {required}")
    return cls(**values)


class Provenance:
    """The records of a site, keyed by paths relative to its root (``content/post.es.md``)."""

    def __init__(self, folder: Path):
        self.folder = folder
        #: The site's root: every file of the state is inside it, never through a link.
        self.site = folder.parent
        self.path = folder / "state.json"
        self.sources: dict[str, SourceRecord] = {}
        self.targets: dict[str, TargetRecord] = {}
        #: The records as loaded, to merge only this run's changes into the file.
        self._base: dict[tuple[str, str], dict[str, Any]] = {}
        self._changed: set[tuple[str, str]] = set()
        #: Keys whose record a save left out: another run changed the file, or its record, since.
        self.superseded: list[str] = []
        #: Keys of the files this run (or its workers) wrote.
        self._wrote: set[str] = set()
        self._held = 0
        #: state.json as this run last read or wrote it: (its stat, its records as JSON).
        self._seen: tuple[tuple, dict[tuple[str, str], dict[str, Any]]] | None = None

    @classmethod
    def load(cls, folder: Path) -> Provenance:
        state = cls(folder)
        if _dead_journals(folder):
            state._replay()
        stamp = state._stat()  # before the read: a save in between shows as a change later
        state.sources, state.targets = state._read()
        state._base = {("sources", k): _to_json(v) for k, v in state.sources.items()}
        state._base.update({("targets", k): _to_json(v) for k, v in state.targets.items()})
        state._stamp(dict(state._base), stamp)
        return state

    # -- the journal: records of files about to be written -----------------------

    def journal(self, table: str, key: str, record: SourceRecord | TargetRecord) -> None:
        """Note a record before its file is written, so that no interruption leaves the
        file without it. One line a record, in this process's own journal."""
        line = json.dumps({"table": table, "key": key, "record": _to_json(record)}, ensure_ascii=False)
        path = self.folder / f"journal.{os.getpid()}.jsonl"
        self._wrote.add(key)
        try:
            with open_append(path, self.site) as handle:
                handle.write(line + "\n")
        except OSError as exc:
            raise ContentError(f"cannot record what is written: {exc.strerror or exc}", path) from None

    def _replay(self) -> None:
        """Keep the journaled records of gone processes whose files hold what they name."""
        with self._lock():
            sources, targets = self._read()
            dead, found = self._absorb(sources, targets)
            if found:
                data = {"version": STATE_VERSION,
                        "sources": {k: _to_json(v) for k, v in sources.items()},
                        "targets": {k: _to_json(v) for k, v in targets.items()}}
                text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
                write_atomic(self.path, text.encode("utf-8"), self.site)
            for path in dead:
                path.unlink(missing_ok=True)

    def _absorb(self, sources: dict, targets: dict) -> tuple[list[Path], int]:
        """Gone processes' journaled records into ``sources`` and ``targets``, where the
        file holds the bytes the record names and the state does not say so already:
        (the journals read, how many records were taken)."""
        site = self.folder.parent
        dead = _dead_journals(self.folder)
        found = 0
        for path in dead:
            for table, key, record in _entries(path):
                tab = sources if table == "sources" else targets
                try:
                    on_disk = digest((site / key).read_bytes())
                except OSError:
                    continue
                known = tab.get(key)
                if on_disk != record.raw or (known is not None and known.raw == on_disk):
                    continue  # never renamed into place, changed since, or already recorded
                tab[key] = record
                found += 1
        return dead, found

    def _end_journal(self) -> None:
        """This process's records are saved: its journal is no longer needed."""
        (self.folder / f"journal.{os.getpid()}.jsonl").unlink(missing_ok=True)

    def changed_elsewhere(self, key: str, table: str = "targets") -> bool:
        """Whether another run recorded something of ``key`` that decides what may be
        written there (an approval, an import, another engine's translation) since
        this run read the state. Asked under :meth:`writing`; costs a ``stat`` unless
        another run saved meanwhile."""
        stamp = self._stat()
        if self._seen is None or self._seen[0] != stamp:
            sources, targets = self._read()
            disk = {("sources", k): _to_json(v) for k, v in sources.items()}
            disk.update({("targets", k): _to_json(v) for k, v in targets.items()})
            self._seen = (stamp, disk)
        theirs, base = self._seen[1].get((table, key)), self._base.get((table, key))
        return _deciding(theirs) != _deciding(base)

    def _stamp(self, view: dict[tuple[str, str], dict[str, Any]], stamp: tuple | None = None) -> None:
        """Remember state.json's stat (taken before it was read, else now) and the
        records it holds (``view``)."""
        self._seen = (self._stat() if stamp is None else stamp, view)

    def _stat(self) -> tuple:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return ()
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read(self) -> tuple[dict[str, SourceRecord], dict[str, TargetRecord]]:
        writable(self.path, self.site)  # a state read through a link would be written there next
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}, {}
        except UnicodeDecodeError:
            raise ContentError("state file is not UTF-8; move it away to start afresh", self.path) from None
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror or exc}", self.path) from None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ContentError(f"state file is not valid JSON ({str(exc)[:80]}); move it away to start afresh",
                               self.path) from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ContentError("state file of an unknown version; move it away to start afresh", self.path)
        try:
            sources = {str(k): _from_json(SourceRecord, v, f"source {k!r}") for k, v in _table(data, "sources").items()}
            targets = {str(k): _from_json(TargetRecord, v, f"target {k!r}") for k, v in _table(data, "targets").items()}
        except ValueError as exc:
            raise ContentError(f"state file is damaged ({exc}); move it away to start afresh", self.path) from None
        return sources, targets

    def set_source(self, key: str, record: SourceRecord) -> None:
        if self.sources.get(key) != record:
            self.sources[key] = record
            self._changed.add(("sources", key))

    def set_target(self, key: str, record: TargetRecord, wrote: bool = False) -> None:
        """Record a translation; ``wrote``: a worker process of this run wrote its file."""
        if wrote:
            self._wrote.add(key)
        if self.targets.get(key) != record:
            self.targets[key] = record
            self._changed.add(("targets", key))

    def changes(self) -> tuple[dict[str, SourceRecord], dict[str, TargetRecord]]:
        """The records this run set (what a worker process hands back)."""
        return ({k: self.sources[k] for t, k in self._changed if t == "sources"},
                {k: self.targets[k] for t, k in self._changed if t == "targets"})

    def forget_changes(self) -> set[tuple[str, str]]:
        """Set this run's changes aside (a worker starts with none); see restore_changes."""
        pending, self._changed = self._changed, set()
        return pending

    def restore_changes(self, pending: set[tuple[str, str]]) -> None:
        """Take back changes set aside by forget_changes, beside any made since."""
        self._changed |= pending

    def save(self) -> bool:
        """Merge this run's changes into the file on disk, field by field. True if it changed."""
        if not self._changed:
            return False
        ignore = self.folder / ".gitignore"
        if not ignore.exists() and not ignore.is_symlink():  # the lock is local; the state is worth committing
            write_atomic(ignore, b"state.lock\njournal.*.jsonl\nmemory.sqlite-wal\nmemory.sqlite-shm\n", self.site)
        with self._lock():
            sources, targets = self._read()
            dead, _found = self._absorb(sources, targets)
            disk = {"sources": {k: _to_json(v) for k, v in sources.items()},
                    "targets": {k: _to_json(v) for k, v in targets.items()}}
            pending = self._pending()
            for table, key in sorted(self._changed):
                record = (self.sources if table == "sources" else self.targets)[key]
                mine = _to_json(record)
                base = self._base.get((table, key))
                theirs = disk[table].get(key)
                # a record is saved only when its file holds the bytes it names, and a record
                # of a file this run did not write (an approval) only if nobody else recorded
                # anything deciding of it since this run looked: else it is another run's now
                if not self._holds(key, record.raw) or (table == "targets" and key not in self._wrote and _deciding(
                        pending.get((table, key), theirs)) != _deciding(base)):
                    self.superseded.append(key)
                    tab = self.sources if table == "sources" else self.targets
                    if theirs is None:
                        tab.pop(key, None)
                    else:
                        tab[key] = _from_json(SourceRecord if table == "sources" else TargetRecord, theirs, key)
                    continue
                if base is None or theirs is None or theirs.get("raw") != mine.get("raw"):
                    # a record of other bytes than the file holds says nothing of it any more
                    disk[table][key] = mine
                    continue
                # only what this run changed goes over what another run may have written
                merged = dict(theirs)
                for name in set(mine) | set(base):
                    if mine.get(name) != base.get(name):
                        if name in mine:
                            merged[name] = mine[name]
                        else:
                            merged.pop(name, None)
                disk[table][key] = merged
            data = {"version": STATE_VERSION, **disk}
            text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            written = write_atomic(self.path, text.encode("utf-8"), self.site)
            view = {("sources", k): v for k, v in disk["sources"].items()}
            view.update({("targets", k): v for k, v in disk["targets"].items()})
            self._stamp(view)
            for table, key in self._changed:
                if (table, key) in view:  # this run's view of what it saved: the merged record
                    self._base[(table, key)] = view[(table, key)]
                    tab = self.sources if table == "sources" else self.targets
                    tab[key] = _from_json(SourceRecord if table == "sources" else TargetRecord, view[(table, key)], key)
            self._end_journal()
            for path in dead:
                path.unlink(missing_ok=True)
        self._changed.clear()
        return written

    def _pending(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Records other running l10n processes journaled and have not saved yet: files
        they are writing now."""
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for path in sorted(self.folder.glob("journal.*.jsonl")):
            pid = path.name.split(".")[1]
            if pid.isdigit() and int(pid) != os.getpid() and alive(int(pid)):
                for table, key, record in _entries(path):
                    out[(table, key)] = _to_json(record)
        return out

    def _holds(self, key: str, raw: str) -> bool:
        """Whether the file a record names holds the bytes the record says."""
        try:
            return digest((self.folder.parent / key).read_bytes()) == raw
        except OSError:
            return False

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the site's lock while a file is checked and written: no other l10n run
        writes a file or saves records in between, so what a run checked (the bytes
        it saw) is what it replaces."""
        with self._lock():
            yield

    @contextmanager
    def _lock(self) -> Iterator[None]:
        if self._held:  # this process holds it already (flock would wait on itself)
            yield
            return
        handle = open_append(self.folder / "state.lock", self.site)
        try:
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - no flock on this platform
                pass
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
        finally:
            handle.close()


#: The fields of a target's record that decide what may be written over it.
_DECIDING = ("source", "raw", "engine", "reviewed", "merged", "source_sha")


def _deciding(record: dict[str, Any] | None) -> tuple | None:
    return None if record is None else tuple(record.get(name) for name in _DECIDING)


def _dead_journals(folder: Path) -> list[Path]:
    """The journals of processes that are no longer running, and this process's own
    (left by an earlier run in it whose save failed)."""
    out = []
    for path in sorted(folder.glob("journal.*.jsonl")):
        pid = path.name.split(".")[1]
        if not pid.isdigit() or int(pid) == os.getpid() or not alive(int(pid)):
            out.append(path)
    return out


def _entries(path: Path) -> Iterator[tuple[str, str, SourceRecord | TargetRecord]]:
    """A journal's records; a line cut short by the interruption, or damaged, is skipped."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for line in lines:
        try:
            entry = json.loads(line)
            table = entry["table"]
            cls = SourceRecord if table == "sources" else TargetRecord
            yield table, str(entry["key"]), _from_json(cls, entry["record"], "journal entry")
        except (ValueError, KeyError, TypeError, RecursionError):
            continue


def _table(data: dict, name: str) -> dict:
    entries = data.get(name, {})
    if not isinstance(entries, dict):
        raise ValueError(f"{name!r} is not a table of entries")
    return entries

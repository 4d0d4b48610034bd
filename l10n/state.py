"""The site's state folder: provenance records, one small file per article, loaded, journaled, locked, merged and saved.

``.l10n/state/<article>.jsonl`` (``.l10n/state/content/post.md.jsonl``) holds one
article's records: its :class:`~l10n.provenance.SourceRecord` on the first line, then one line per
translation (:class:`~l10n.provenance.TargetRecord`), in path order. A
translation's line leaves out what it shares with its source (the segment
digests it was made from, while they are the source's), so a page in ten
languages costs little more than in one. Hugo never reads it; it is meant to
be committed: two branches that translate different articles change
different files, and git merges them. A command on one article reads that
article's file only, so it costs the same in a site of ten pages or ten
thousand. A state of the older single ``state.json`` is moved into these
files the first time it is opened.

Two runs at once are safe: a file is checked and written under the site's
lock (:meth:`Provenance.writing`), so no other run writes between the check
and the rename; a save merges this run's changes into each article's file
under the same lock, field by field, so a record another run changed
meanwhile keeps that run's fields; a record whose file no longer holds the
bytes it names (another run wrote the file since) is not saved at all, nor is
an approval of a file whose record another run changed since: the file's
record is the run's that wrote or decided it last.

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
from .limits import read_file
from .provenance import SourceRecord, TargetRecord
from .write import alive, digest, open_append, writable, write_atomic

STATE_VERSION = 2
#: The folder of the articles' files, inside the state folder, and their suffix.
FOLDER = "state"
SUFFIX = ".jsonl"
#: Fields always written; the others only when they hold something.
_ALWAYS = {"source", "lang", "raw", "words"}
#: A translation's fields it shares with its source while it was made from it: (its, the source's).
_SHARED = (("segments", "segments"), ("skeleton", "skeleton"), ("source_sha", "sha"))
Key = tuple[str, str]


def _to_json(record: SourceRecord | TargetRecord) -> dict[str, Any]:
    """A record as a state file holds it: segment digests as one space-separated string."""
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name not in _ALWAYS and value in (None, "", False, [], {}):
            continue
        out[f.name] = " ".join(value) if f.name in ("segments", "target_segments") else value
    return out


#: How each kind of field is checked when a record is read.
_CHECKS = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "dict[str, str]": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "dict[str, Any] | None": lambda v: v is None or isinstance(v, dict),
}
_FIELDS: dict[type, list[tuple[str, str, Any]]] = {}


def _from_json(cls, data: Any, where: str):
    """A record from its JSON, every field's type checked (a damaged file is an error, not a traceback)."""
    if not isinstance(data, dict):
        raise ValueError(f"{where} is not a table")
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = [(f.name, str(f.type), _CHECKS.get(str(f.type), lambda v: True)) for f in fields(cls)]
    values: dict[str, Any] = {}
    for name, kind, check in known:
        if name not in data:
            continue
        value = data[name]
        if name in ("segments", "target_segments") and isinstance(value, str):
            value = value.split()
        if not check(value):
            raise ValueError(f"{where}: {name} is not a {kind}")
        values[name] = value
    for required in ("source", "lang") if cls is TargetRecord else ("raw", "lang"):
        if not isinstance(values.get(required), str):
            raise ValueError(f"{where} has no {required}")
    return cls(**values)


class Article:
    """One article's records as its file holds them: its key, its source's record (or
    None) and its translations'."""

    def __init__(self, key: str, source: dict[str, Any] | None = None,
                 targets: dict[str, dict[str, Any]] | None = None):
        self.key = key
        self.source = source
        self.targets = targets or {}

    def render(self) -> bytes | None:
        """The file's text (None: nothing is left to keep)."""
        if self.source is None and not self.targets:
            return None
        source = self.source or {}
        lines = [json.dumps({"v": STATE_VERSION, "article": self.key, "source": self.source}, ensure_ascii=False,
                            sort_keys=True)]
        for key in sorted(self.targets):
            line = dict(self.targets[key])
            if line.get("source") is not None:
                for own, shared in _SHARED:  # what it shares with its source is said once
                    if own in line and line[own] == source.get(shared):
                        del line[own]
            lines.append(json.dumps({"target": key, **line}, ensure_ascii=False, sort_keys=True))
        return ("\n".join(lines) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, text: str, where: Path) -> Article:
        try:
            lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        except (ValueError, RecursionError) as exc:
            raise ContentError(f"state file is not valid JSON ({str(exc)[:80]}); move it away to start afresh",
                               where) from None
        if not lines or not isinstance(lines[0], dict) or lines[0].get("v") != STATE_VERSION:
            raise ContentError("state file of an unknown version; move it away to start afresh", where)
        if not isinstance(lines[0].get("article"), str):
            raise ContentError("state file is damaged (it names no article); move it away to start afresh", where)
        article = cls(lines[0]["article"])
        source = lines[0].get("source")
        if source is not None and not isinstance(source, dict):
            raise ContentError("state file is damaged (its source is not a table); move it away to start afresh",
                               where)
        article.source = source
        for n, line in enumerate(lines[1:], 2):
            if not isinstance(line, dict) or not isinstance(line.get("target"), str):
                raise ContentError(f"state file is damaged (line {n} names no translation); move it away to start "
                                   "afresh", where)
            key = line.pop("target")
            for own, shared in _SHARED:
                if own not in line and source and shared in source:
                    line[own] = source[shared]
            article.targets[key] = line
        return article


class Provenance:
    """The records of a site, keyed by paths relative to its root (``content/post.es.md``).

    Articles' files are read when asked for (:meth:`ensure`, :meth:`ensure_all`):
    ``sources`` and ``targets`` hold the records of the articles read so far."""

    def __init__(self, folder: Path):
        self.folder = folder
        #: The site's root: every file of the state is inside it, never through a link.
        self.site = folder.parent
        self.path = folder / FOLDER
        self.sources: dict[str, SourceRecord] = {}
        self.targets: dict[str, TargetRecord] = {}
        #: The article (its source's key) each translation's record is kept with.
        self.owner: dict[str, str] = {}
        #: The records as loaded, to merge only this run's changes into the files.
        self._base: dict[Key, dict[str, Any]] = {}
        self._changed: set[Key] = set()
        #: Keys whose record a save left out: another run changed the file, or its record, since.
        self.superseded: list[str] = []
        #: Keys of the files this run (or its workers) wrote.
        self._wrote: set[str] = set()
        #: Articles whose records are read into ``sources`` and ``targets``.
        self._loaded: set[str] = set()
        #: What each article's file was when last read or written: (its stat, its records as JSON).
        self._seen: dict[str, tuple[tuple, dict[Key, dict[str, Any]]]] = {}
        self._held = 0

    @classmethod
    def load(cls, folder: Path) -> Provenance:
        """The state of a site, its files not read yet; an interrupted run's records
        taken in, and a state of the older single file moved into articles' files."""
        state = cls(folder)
        legacy = folder / "state.json"
        if legacy.exists() or legacy.is_symlink():
            state._migrate(legacy)
        if _dead_journals(folder):
            with state._lock():
                state._merge_into_files({})
        return state

    # -- reading --------------------------------------------------------------

    def file_of(self, article: str) -> Path:
        """An article's file: beside the others as its source is in the site (a source
        outside it, where write_outside_site allows one, by its key's digest)."""
        parts = article.split("/")
        if article.startswith("/") or any(p in ("", ".", "..") for p in parts):
            return self.path / "outside" / (digest(article) + SUFFIX)
        return self.path / (article + SUFFIX)

    def ensure(self, article: str) -> None:
        """Read one article's records, once."""
        if article in self._loaded:
            return
        self._loaded.add(article)
        stamp = self._stat(article)  # before the read: a save in between shows as a change later
        found = self._read(article)
        view = self._records(article, found)
        self._seen[article] = (stamp, view)
        try:
            records = [(table, key, data, _from_json(SourceRecord if table == "sources" else TargetRecord, data,
                                                     "its source" if table == "sources" else key))
                       for (table, key), data in view.items()]
        except ValueError as exc:
            raise ContentError(f"state file is damaged ({exc}); move it away to start afresh",
                               self.file_of(article)) from None
        for table, key, data, record in records:
            if (table, key) in self._changed:
                continue  # this run's own change stands over what it reads now
            (self.sources if table == "sources" else self.targets)[key] = record
            self._base[(table, key)] = data
            if table == "targets":
                self.owner[key] = article

    def ensure_all(self) -> None:
        """Read every article's records (a command over the whole site)."""
        for article in self.articles():
            self.ensure(article)

    def articles(self) -> list[str]:
        """The articles the state has files of (their first line names each)."""
        if not self.path.is_dir():
            return []
        found = []
        for path in sorted(self.path.rglob("*" + SUFFIX)):
            try:
                with path.open(encoding="utf-8") as handle:
                    first = json.loads(handle.readline())
            except (OSError, ValueError, UnicodeDecodeError):
                first = None
            if isinstance(first, dict) and isinstance(first.get("article"), str):
                found.append(first["article"])
            else:  # damaged: ensure() says so, by the name it has
                top = len(str(self.path)) + 1
                found.append(str(path)[top : -len(SUFFIX)].replace(os.sep, "/"))
        return found

    def _read(self, article: str) -> Article:
        path = self.file_of(article)
        if os.path.islink(path):  # a state read through a link would be written there next
            writable(path, self.site)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Article(article)
        except UnicodeDecodeError:
            raise ContentError("state file is not UTF-8; move it away to start afresh", path) from None
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror or exc}", path) from None
        return Article.parse(text, path)

    @staticmethod
    def _records(article: str, found: Article) -> dict[Key, dict[str, Any]]:
        view: dict[Key, dict[str, Any]] = {}
        if found.source is not None:
            view[("sources", article)] = found.source
        for key, data in found.targets.items():
            view[("targets", key)] = data
        return view

    def _stat(self, article: str) -> tuple:
        try:
            st = self.file_of(article).stat()
        except FileNotFoundError:
            return ()
        return (st.st_mtime_ns, st.st_size, st.st_ino)

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

    def _end_journal(self) -> None:
        """This process's records are saved: its journal is no longer needed."""
        (self.folder / f"journal.{os.getpid()}.jsonl").unlink(missing_ok=True)

    # -- what another run did -------------------------------------------------

    def changed_elsewhere(self, key: str, table: str = "targets", article: str | None = None) -> bool:
        """Whether another run recorded something of ``key`` that decides what may be
        written there (an approval, an import, another engine's translation) since
        this run read the state. Asked under :meth:`writing`; costs a ``stat`` unless
        another run saved that article meanwhile."""
        article = article or (key if table == "sources" else self.owner.get(key) or
                              getattr(self.targets.get(key), "source", None))
        if article is None:
            return False
        stamp = self._stat(article)
        seen = self._seen.get(article)
        if seen is None or seen[0] != stamp:
            seen = (stamp, self._records(article, self._read(article)))
            self._seen[article] = seen
        theirs, base = seen[1].get((table, key)), self._base.get((table, key))
        return _deciding(theirs) != _deciding(base)

    # -- changing and saving --------------------------------------------------

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

    def forget(self, key: str) -> None:
        """Drop a translation's record (its file is gone, or moved with its source)."""
        if self.targets.pop(key, None) is not None:
            self._changed.add(("targets", key))

    def forget_source(self, key: str) -> None:
        """Drop a source's record (its file is gone, and every translation of it)."""
        if self.sources.pop(key, None) is not None:
            self._changed.add(("sources", key))

    def changes(self) -> tuple[dict[str, SourceRecord], dict[str, TargetRecord]]:
        """The records this run set (what a worker process hands back)."""
        return ({k: self.sources[k] for t, k in self._changed if t == "sources" and k in self.sources},
                {k: self.targets[k] for t, k in self._changed if t == "targets" and k in self.targets})

    def forget_changes(self) -> set[Key]:
        """Set this run's changes aside (a worker starts with none); see restore_changes."""
        pending, self._changed = self._changed, set()
        return pending

    def restore_changes(self, pending: set[Key]) -> None:
        """Take back changes set aside by forget_changes, beside any made since."""
        self._changed |= pending

    def save(self) -> bool:
        """Merge this run's changes into the articles' files on disk, field by field.
        True if a file changed."""
        if not self._changed:
            return False
        ignore = self.folder / ".gitignore"
        if not ignore.exists() and not ignore.is_symlink():  # the lock is local; the state is worth committing
            write_atomic(ignore, b"state.lock\njournal.*.jsonl\nmemory.sqlite-wal\nmemory.sqlite-shm\n", self.site)
        by_article: dict[str, list[Key]] = {}
        for table, key in self._changed:
            record = (self.sources if table == "sources" else self.targets).get(key)
            homes = {key} if table == "sources" else {self.owner.get(key), getattr(record, "source", None)}
            for home in homes - {None}:  # a record moved to another article leaves its old one
                by_article.setdefault(home, []).append((table, key))
        with self._lock():
            written = self._merge_into_files(by_article)
            self._end_journal()
        self._changed.clear()
        return written

    def _merge_into_files(self, by_article: dict[str, list[Key]]) -> bool:
        """Under the lock: each article's file read, gone processes' journaled records and
        this run's changes merged in, written back. True if a file changed."""
        dead = _dead_journals(self.folder)
        absorbed: dict[str, list[tuple[str, str, SourceRecord | TargetRecord]]] = {}
        for path in dead:
            for table, key, record in _entries(path):
                home = key if table == "sources" else record.source  # type: ignore[union-attr]
                absorbed.setdefault(home, []).append((table, key, record))
        pending = self._pending()
        written = False
        for article in sorted(set(by_article) | set(absorbed)):
            disk = self._read(article)
            view = self._records(article, disk)
            found = self._absorb(view, absorbed.get(article, ()))
            mine_here = by_article.get(article, [])
            try:
                for table, key in sorted(mine_here):
                    self._merge_one(table, key, article, view, pending)
            except ValueError as exc:
                raise ContentError(f"state file is damaged ({exc}); move it away to start afresh",
                                   self.file_of(article)) from None
            if not mine_here and not found:
                continue
            out = Article(article, view.get(("sources", article)),
                          {k: v for (t, k), v in view.items() if t == "targets"})
            data = out.render()
            path = self.file_of(article)
            if data is None:
                if path.exists():
                    path.unlink()
                    written = True
            else:
                written = write_atomic(path, data, self.site) or written
            self._seen[article] = (self._stat(article), view)
        for path in dead:
            path.unlink(missing_ok=True)
        return written

    def _merge_one(self, table: str, key: str, article: str, view: dict[Key, dict[str, Any]],
                   pending: dict[Key, dict[str, Any]]) -> None:
        """This run's record of ``key`` into ``view`` (an article's records on disk)."""
        tab = self.sources if table == "sources" else self.targets
        record = tab.get(key)
        theirs = view.get((table, key))
        base = self._base.get((table, key))
        if record is None or (table == "targets" and record.source != article):
            view.pop((table, key), None)  # forgotten here, or kept with another article now
            return
        mine = _to_json(record)
        # a record is saved only when its file holds the bytes it names, and a record of a
        # file this run did not write (an approval) only if nobody else recorded anything
        # deciding of it since this run looked: else it is another run's now
        if not self._holds(key, record.raw) or (table == "targets" and key not in self._wrote and _deciding(
                pending.get((table, key), theirs)) != _deciding(base)):
            self.superseded.append(key)
            if theirs is None:
                tab.pop(key, None)
            else:
                tab[key] = _from_json(SourceRecord if table == "sources" else TargetRecord, theirs, key)
            return
        if base is None or theirs is None or theirs.get("raw") != mine.get("raw"):
            merged = mine  # a record of other bytes than the file holds says nothing of it any more
        else:  # only what this run changed goes over what another run may have written
            merged = dict(theirs)
            for name in set(mine) | set(base):
                if mine.get(name) != base.get(name):
                    if name in mine:
                        merged[name] = mine[name]
                    else:
                        merged.pop(name, None)
        view[(table, key)] = merged
        self._base[(table, key)] = merged  # this run's view of what it saved
        tab[key] = _from_json(SourceRecord if table == "sources" else TargetRecord, merged, key)
        if table == "targets":
            self.owner[key] = article

    def _absorb(self, view: dict[Key, dict[str, Any]], entries) -> int:
        """Gone processes' journaled records into an article's ``view``, where the file
        holds the bytes the record names and the state does not say so already."""
        found = 0
        for table, key, record in entries:
            try:
                on_disk = digest(read_file(self.site / key))
            except OSError:
                continue
            known = view.get((table, key))
            if on_disk != record.raw or (known is not None and known.get("raw") == on_disk):
                continue  # never renamed into place, changed since, or already recorded
            view[(table, key)] = _to_json(record)
            found += 1
        return found

    def _pending(self) -> dict[Key, dict[str, Any]]:
        """Records other running l10n processes journaled and have not saved yet: files
        they are writing now."""
        out: dict[Key, dict[str, Any]] = {}
        for path in sorted(self.folder.glob("journal.*.jsonl")):
            pid = path.name.split(".")[1]
            if pid.isdigit() and int(pid) != os.getpid() and alive(int(pid)):
                for table, key, record in _entries(path):
                    out[(table, key)] = _to_json(record)
        return out

    def _holds(self, key: str, raw: str) -> bool:
        """Whether the file a record names holds the bytes the record says."""
        try:
            return digest(read_file(self.site / key)) == raw
        except OSError:
            return False

    # -- the older single file -------------------------------------------------

    def _migrate(self, legacy: Path) -> None:
        """A state of the older single ``state.json`` moved into articles' files."""
        with self._lock():
            if not (legacy.exists() or legacy.is_symlink()):
                return  # another run moved it meanwhile
            writable(legacy, self.site)
            try:
                data = json.loads(legacy.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError, RecursionError) as exc:
                raise ContentError(f"state file is not valid JSON ({str(exc)[:80]}); move it away to start afresh",
                                   legacy) from None
            if not isinstance(data, dict) or data.get("version") != 1:
                raise ContentError("state file of an unknown version; move it away to start afresh", legacy)
            articles: dict[str, Article] = {}
            try:
                for key, value in _table(data, "sources").items():
                    _from_json(SourceRecord, value, f"source {key!r}")
                    articles.setdefault(str(key), Article(str(key))).source = value
                for key, value in _table(data, "targets").items():
                    record = _from_json(TargetRecord, value, f"target {key!r}")
                    articles.setdefault(record.source, Article(record.source)).targets[str(key)] = value
            except ValueError as exc:
                raise ContentError(f"state file is damaged ({exc}); move it away to start afresh", legacy) from None
            for article, records in articles.items():
                existing = self._read(article)
                if existing.source is None:
                    existing.source = records.source
                for key, value in records.targets.items():
                    existing.targets.setdefault(key, value)
                data_ = existing.render()
                if data_ is not None:
                    write_atomic(self.file_of(article), data_, self.site)
            legacy.unlink()

    # -- the lock ---------------------------------------------------------------

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

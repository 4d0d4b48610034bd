"""Provenance: the record l10n keeps of every source and translation, and what it says now.

``.l10n/state.json`` at the site root holds one :class:`SourceRecord` per
article (its bytes' digest, language, the languages it exists in) and one
:class:`TargetRecord` per translation l10n wrote or a person approved (what
it was made from, by which engine, the digest of every source segment, the
file's digest as written, approval). Hugo never reads it; it is diffable and
meant to be committed. This is the one module that writes records, and the
one that decides, from them, whether a translation is current, edited by a
person, reviewed or stale.

Two runs at once are safe: a save merges this run's changes into the file on
disk under a lock, field by field, so a record another run changed meanwhile
keeps that run's fields.

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
from dataclasses import dataclass, field, fields, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import markdown
from .document import Document
from .errors import ContentError, L10nError
from .write import alive, digest, write_atomic

STATE_VERSION = 1


@dataclass
class SourceRecord:
    """An article's source as l10n last saw it."""

    #: Digest of the file's bytes.
    raw: str
    #: The article's language (a site key).
    lang: str
    #: Every language the article exists in (keys), as its translations lists say.
    langs: list[str] = field(default_factory=list)
    #: Digest of its text without the fields l10n maintains.
    sha: str = ""
    #: Words of prose.
    words: int = 0


@dataclass
class TargetRecord:
    """A translation: what it was made from, by what, and who approved it."""

    #: The source's key.
    source: str
    #: The translation's language (a site key).
    lang: str
    #: The source's text digest when the translation was made (or approved).
    source_sha: str = ""
    #: The digests of the source's segments then, in order.
    segments: list[str] = field(default_factory=list)
    #: engine:model that made it, or "person".
    engine: str = ""
    time: str = ""
    #: Digest of the file as written; and of its text without maintained fields.
    raw: str = ""
    sha: str = ""
    #: Digest of the settings it was made under (keys, terms, glossary...).
    options: str = ""
    #: Digest of the source's text outside its segments.
    skeleton: str = ""
    #: When a person approved it ("" = never).
    reviewed: str = ""
    #: Half or more of its prose is still the source's.
    untranslated: bool = False
    #: --merge: {"kept": n, "machine": [segment digests translated by the engine]}.
    merged: dict[str, Any] | None = None
    #: --merge: what a person had written for segments whose source changed, by digest.
    previous: dict[str, str] = field(default_factory=dict)
    #: The digests of the translation's own segments (after approval or a merge).
    target_segments: list[str] = field(default_factory=list)
    #: Findings of l10n check, cached by the bytes they were found in.
    check: dict[str, Any] | None = None

    @property
    def is_persons(self) -> bool:
        """Whether it holds a person's work: approved, or merged into by --merge."""
        return bool(self.reviewed or self.merged)

    def edited_since(self, raw: bytes, path: Path, options) -> bool:
        """Whether the file's text (maintained fields aside) differs from what was
        recorded; an unreadable file counts as edited."""
        if digest(raw) == self.raw:
            return False
        try:
            text = markdown.load(path, options, raw).render_without_fields()
        except L10nError:
            return True
        return digest(text) != self.sha


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
        self.path = folder / "state.json"
        self.sources: dict[str, SourceRecord] = {}
        self.targets: dict[str, TargetRecord] = {}
        #: The records as loaded, to merge only this run's changes into the file.
        self._base: dict[tuple[str, str], dict[str, Any]] = {}
        self._changed: set[tuple[str, str]] = set()

    @classmethod
    def load(cls, folder: Path) -> Provenance:
        state = cls(folder)
        if _dead_journals(folder):
            state._replay()
        state.sources, state.targets = state._read()
        state._base = {("sources", k): _to_json(v) for k, v in state.sources.items()}
        state._base.update({("targets", k): _to_json(v) for k, v in state.targets.items()})
        return state

    # -- the journal: records of files about to be written -----------------------

    def journal(self, table: str, key: str, record: SourceRecord | TargetRecord) -> None:
        """Note a record before its file is written, so that no interruption leaves the
        file without it. One line a record, in this process's own journal."""
        line = json.dumps({"table": table, "key": key, "record": _to_json(record)}, ensure_ascii=False)
        path = self.folder / f"journal.{os.getpid()}.jsonl"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as handle:
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
                write_atomic(self.path, text.encode("utf-8"))
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

    def _read(self) -> tuple[dict[str, SourceRecord], dict[str, TargetRecord]]:
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

    def set_target(self, key: str, record: TargetRecord) -> None:
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
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():  # the lock is local; the state is worth committing
            write_atomic(ignore, b"state.lock\njournal.*.jsonl\nmemory.sqlite-wal\nmemory.sqlite-shm\n")
        with self._lock():
            sources, targets = self._read()
            dead, _found = self._absorb(sources, targets)
            disk = {"sources": {k: _to_json(v) for k, v in sources.items()},
                    "targets": {k: _to_json(v) for k, v in targets.items()}}
            for table, key in self._changed:
                mine = _to_json((self.sources if table == "sources" else self.targets)[key])
                base = self._base.get((table, key))
                theirs = disk[table].get(key)
                if base is None or theirs is None:
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
            written = write_atomic(self.path, text.encode("utf-8"))
            for table, key in self._changed:
                self._base[(table, key)] = disk[table][key]
            self._end_journal()
            for path in dead:
                path.unlink(missing_ok=True)
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


# --------------------------------------------------------------------------
# Names


class Keys:
    """How provenance names files: paths relative to the site root, with slashes."""

    def __init__(self, site: Path):
        self.site = site
        self._prefix = os.path.join(os.path.abspath(site), "")

    def key(self, path: Path | str) -> str:
        return relative(os.path.abspath(path), self._prefix)

    def path(self, key: str) -> Path:
        return self.site / key


def relative(full: str, prefix: str) -> str:
    """``full`` without ``prefix`` when it starts with it, with slashes."""
    rel = full[len(prefix) :] if full.startswith(prefix) else full
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def made_from(state: Provenance, site: Path):
    """Which source l10n translated a file from, as its provenance says: ``path -> Path | None``."""
    keys = Keys(site)

    def source_of(path: Path) -> Path | None:
        record = state.targets.get(keys.key(path))
        return site / record.source if record is not None else None

    return source_of


# --------------------------------------------------------------------------
# What the records say of a translation now


@dataclass(frozen=True)
class Standing:
    """What provenance says of one existing translation file, against its source now."""

    record: TargetRecord | None
    #: l10n wrote (or a person approved) it from this very source.
    ours: bool
    #: Its text differs from what was recorded (a person changed it).
    edited: bool
    #: It was made from (or approved against) an older version of the source.
    source_changed: bool

    @property
    def person(self) -> str | None:
        """"edited" or "reviewed" when it holds a person's work, else None."""
        if self.record is None or not self.ours:
            return None
        if self.edited or self.record.merged:
            return "edited"
        return "reviewed" if self.record.reviewed else None


def standing(record: TargetRecord | None, source_key: str, source_sha: str, raw: bytes, path: Path,
             options) -> Standing:
    """Judge an existing translation (its bytes ``raw``) by its record."""
    if record is None or record.source != source_key:
        return Standing(record, False, True, False)
    return Standing(record, True, record.edited_since(raw, path, options), record.source_sha != source_sha)


def up_to_date(state: Provenance, keys: Keys, source_key: str, raw: bytes, siblings: set[str],
               wanted: dict[str, Path], engine_id: str, settings_id: str) -> bool:
    """Whether an article (its bytes ``raw``) and its translations ``wanted`` (language:
    path) are as l10n left them, judged from hashes alone: nothing is parsed."""
    recorded = state.sources.get(source_key)
    if recorded is None or not recorded.sha or recorded.raw != digest(raw):
        return False
    if set(recorded.langs) != {recorded.lang, *siblings, *(t for t in wanted if t != recorded.lang)}:
        return False
    for lang, target in wanted.items():
        if lang == recorded.lang:
            continue
        record = state.targets.get(keys.key(target))
        if record is None or record.source != source_key or record.source_sha != recorded.sha:
            return False  # not ours, or made from an older source (and kept: a person's work)
        # a person's translation stays as it is whatever engine or settings are used now
        if not record.is_persons and (record.engine != engine_id or record.options != settings_id):
            return False
        try:
            if digest(target.read_bytes()) != record.raw:
                return False
        except OSError:
            return False
    return True


def reason_to_make(record: TargetRecord | None, target: Path, source_key: str, source_sha: str, options,
                   engine_id: str, settings_id: str, force: bool = False, merge: bool = False) -> str | None:
    """Why a translation must be (re)made, or None when it is current.

    A reason starting with "edited", "reviewed" or "not written by l10n" is a
    person's work, which is kept; "merge": a person's work whose source
    changed, to be updated segment by segment (--merge)."""
    if not target.exists():
        return "new"
    if force:
        return "--force"
    if record is None:
        return "not written by l10n (l10n review --approve adopts it, --force overwrites it)"
    if record.source != source_key:
        return f"edited: l10n made it from {record.source} (--force overwrites it)"
    try:
        raw = target.read_bytes()
    except OSError:
        return "edited: cannot be read (--force overwrites it)"
    now = standing(record, source_key, source_sha, raw, target, options)
    person = now.person
    if person is not None:
        if not now.source_changed:
            if person == "reviewed":
                return None
            if not now.edited:  # --merge made it: a person's work with new machine segments
                return "edited: holds a person's translation (merged), not yet approved (--force overwrites it)"
            return "edited: changed since l10n wrote it (--force overwrites it)"
        if merge:
            return "merge"
        return (f"{person}: its source changed (--merge translates the changed segments and keeps the rest, "
                "--force overwrites it)")
    if now.source_changed:
        return "source changed"
    if record.engine != engine_id:
        return f"made by {record.engine}"
    if record.options != settings_id:
        return "settings changed"
    return None


@dataclass
class SegmentDiff:
    """How a source's segments changed: pairs (old index, new index) of changed
    segments, new segments' indexes, and removed segments' old indexes."""

    replaced: list[tuple[int, int]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def diff_segments(old: Sequence[str], new: Sequence[str]) -> SegmentDiff:
    """Line up two lists of segment digests (as provenance records them)."""
    diff = SegmentDiff()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, list(old), list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        diff.replaced += list(zip(range(i1, i1 + common), range(j1, j1 + common)))
        diff.added += list(range(j1 + common, j2))
        diff.removed += list(range(i1 + common, i2))
    return diff


def skeleton(doc: Document) -> str:
    """A digest of a document's text outside its segments and maintained fields."""
    return digest("\0".join(p for p in doc.parts if isinstance(p, str)))


def segment_digests(doc: Document) -> list[str]:
    return [seg.digest() for seg in doc.segments()]


def hand_updated(record: TargetRecord, new: Sequence[str], theirs: Sequence[Any]) -> dict[int, int]:
    """The changed source segments whose translation a person has updated since
    l10n recorded it: {new source index: translation segment index}.

    ``new``: the source's segment digests now; ``theirs``: the translation's
    segments now. Known only where provenance has the translation's own segment
    digests (recorded on approval and after a merge) and the segments line up."""
    old, recorded = record.segments, record.target_segments
    if not old or len(recorded) != len(old) or len(theirs) != len(old):
        return {}
    return {j: i for i, j in diff_segments(old, new).replaced if theirs[i].digest() != recorded[i]}


def caught_up(record: TargetRecord, source: Document, translation: Document) -> bool:
    """Whether a person has updated every segment of a translation whose source
    changed (only changes inside segments; nothing added or removed)."""
    new = segment_digests(source)
    diff = diff_segments(record.segments, new)
    if diff.added or diff.removed or record.skeleton != skeleton(source):
        return False
    updated = hand_updated(record, new, list(translation.segments()))
    return bool(diff.replaced) and all(j in updated for _i, j in diff.replaced)


def approved(record: TargetRecord | None, source_key: str, lang: str, source: Document, source_sha: str,
             translation: Document, raw: bytes, now: str) -> TargetRecord:
    """The record of a translation a person approved (adopting one l10n did not write)."""
    base = record if record is not None else TargetRecord(source_key, lang, engine="person")
    return replace(
        base, source=source_key, lang=lang, source_sha=source_sha, segments=segment_digests(source),
        raw=digest(raw), sha=digest(translation.render_without_fields()), skeleton=skeleton(source),
        target_segments=segment_digests(translation), reviewed=now, time=base.time or now,
        untranslated=False, merged=None, previous={},
    )

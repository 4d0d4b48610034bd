"""Translation memory: what an engine already translated is never sent again.

A SQLite file at the site root, ``.l10n/memory.sqlite``, beside the
provenance, to commit and share. An entry is keyed by the engine, its model
(name and version), the language pair and the exact text sent, so a new
model or engine never reuses another's output. Two runs at once are safe:
SQLite's write-ahead log and a busy timeout serialise their writes.

A memory that cannot be used (read-only, of another layout, locked past the
timeout) never stops a run: it is left alone, ``failed`` says why, and the run
translates without it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from . import sentences
from .errors import ContentError
from .write import sqlite_path
from .markdown import plain

_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (engine, model, source, target, text)
) WITHOUT ROWID
"""
_BATCH = 400
#: Seconds to wait for another process's write before going on without the memory.
TIMEOUT = 10.0
_COLUMNS = {"engine", "model", "source", "target", "text", "translation", "created"}
#: (engine, model, source language, target language): what an entry was made by.
Key = tuple[str, str, str, str]
#: The engine and model of translations people made (l10n import): any engine run
#: takes them before asking its engine.
PEOPLE = ("person", "")
#: The least similarity (0-1) a fuzzy match needs, and the most matches looked at.
SIMILAR = 0.7
_SCAN = 20_000
T = TypeVar("T")


class Memory:
    """Engine outputs by (engine, model, source language, target language, text),
    each with the engine's word alignment when it gave one."""

    def __init__(self, path: Path, inside: Path | None):
        self.path = path
        self.hits = 0
        self.misses = 0
        #: Why the memory could not be used, once it could not (the run goes on without it).
        self.failed: str | None = None
        try:
            sqlite_path(path, inside)  # a regular file inside the site, never through a link
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=TIMEOUT, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(memory)")}
            if not _COLUMNS <= columns:
                raise ContentError("translation memory of another layout (its memory table lacks "
                                   f"{', '.join(sorted(_COLUMNS - columns))}); move it away to start afresh", path)
            if "alignment" not in columns:  # a memory from before alignments were kept
                self._db.execute("ALTER TABLE memory ADD COLUMN alignment TEXT")
            if "score" not in columns:  # a memory from before confidences were kept
                self._db.execute("ALTER TABLE memory ADD COLUMN score REAL")
        except (sqlite3.Error, OSError) as exc:
            raise ContentError(f"translation memory cannot be opened ({_why(exc, path)}); move it away to start "
                               "afresh", path) from None

    def close(self) -> None:
        self._db.close()

    def _fail(self, exc: Exception) -> None:
        if self.failed is None:
            self.failed = _why(exc, self.path)

    def holds(self, key: Key) -> bool:
        """Whether the memory has any entry made by ``key``'s engine and model for its pair."""
        if self.failed:
            return False
        try:
            return self._db.execute("SELECT 1 FROM memory WHERE engine=? AND model=? AND source=? AND target=? "
                                    "LIMIT 1", key).fetchone() is not None
        except sqlite3.Error as exc:
            self._fail(exc)
            return False

    def lookup(self, key: Key, texts: Sequence[str]) -> dict[str, tuple[str, str | None, float | None]]:
        """(translation, alignment as JSON or None, confidence 0-1 or None) of each text the memory has."""
        found: dict[str, tuple[str, str | None, float | None]] = {}
        if self.failed:
            return found
        unique = list(dict.fromkeys(texts))
        try:
            for start in range(0, len(unique), _BATCH):
                chunk = unique[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT text, translation, alignment, score FROM memory WHERE engine=? AND model=? AND source=? "
                    f"AND target=? AND text IN ({marks})", (*key, *chunk),
                )
                found.update((text, (out, alignment, _score(score))) for text, out, alignment, score in rows)
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return found

    def similar(self, source: str, target: str, text: str, limit: int = 3) -> list[tuple[int, str, str]]:
        """The entries of a language pair (codes) most like ``text``, by any engine or
        person: (similarity in percent, text, translation), best first."""
        if self.failed or not text.strip():
            return []
        from difflib import SequenceMatcher

        n = len(text)
        try:
            rows = self._db.execute(
                "SELECT text, translation FROM memory WHERE source=? AND target=? AND length(text) BETWEEN ? AND ? "
                "LIMIT ?", (source, target, int(n * SIMILAR), int(n / SIMILAR) + 1, _SCAN)).fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return []
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(text)
        found: dict[str, tuple[int, str, str]] = {}
        for other, translation in rows:
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR and (other not in found or found[other][0] < round(ratio * 100)):
                found[other] = (round(ratio * 100), other, translation)
        return sorted(found.values(), key=lambda m: (-m[0], m[1]))[:limit]

    def store(self, key: Key, rows: Sequence[tuple[str, str, str | None, float | None]]) -> None:
        """Rows of (text, translation, alignment as JSON or None, confidence 0-1 or None)."""
        if not rows or self.failed:
            return
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        try:
            with self._db:  # one transaction: all of a batch or none
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "INSERT OR REPLACE INTO memory (engine, model, source, target, text, translation, created, "
                    "alignment, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(*key, text, out, now, alignment, score) for text, out, alignment, score in rows],
                )
        except sqlite3.Error as exc:
            self._fail(exc)

    def cached(self, key: Key, texts: list[str], call: Callable[[list[str]], list[T]], aligned: bool = False,
               scores: dict[str, float] | None = None) -> list[T]:
        """``call(texts)`` with the memory in front: only texts it has never seen (or,
        ``aligned``, never seen with an alignment) reach the engine. ``call`` returns
        strings, or (string, alignment) pairs when ``aligned``; None for a text it
        refused (kept nowhere, returned as None). ``scores``: the confidence of each
        text's translation, which ``call`` sets for what it translates; the memory
        keeps them and sets those it knows."""
        known = self.lookup(key, texts)
        if aligned:
            known = {t: v for t, v in known.items() if v[1] is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        self.hits += sum(1 for t in texts if t not in missing)
        self.misses += len(missing)
        if missing:
            outputs = call(missing)
            given = scores if scores is not None else {}
            rows = [(t, o[0], json.dumps(o[1]), given.get(t)) if aligned else (t, o, None, given.get(t))
                    for t, o in zip(missing, outputs) if o is not None]
            self.store(key, rows)
            known.update((t, (out, alignment, score)) for t, out, alignment, score in rows)
        if scores is not None:
            scores.update((t, v[2]) for t, v in known.items() if v[2] is not None)
        if aligned:
            return [(known[t][0], [tuple(pair) for pair in json.loads(known[t][1])]) if t in known else None
                    for t in texts]  # type: ignore[misc]
        return [known[t][0] if t in known else None for t in texts]  # type: ignore[misc]


def existing(path: Path, inside: Path | None) -> Memory | None:
    """The memory at ``path``, for reading (close matches, suggestions), when there is
    one that can be used; None else (nothing is made for it)."""
    if not path.exists():
        return None
    try:
        return Memory(path, inside)
    except ContentError:
        return None


def _score(value) -> float | None:
    """A stored confidence, if it is one (0-1)."""
    return float(value) if isinstance(value, (int, float)) and 0 <= value <= 1 else None


def similar_for(memory: Memory, seg, source: str, target: str) -> list[tuple[int, str, str]]:
    """The closest entries of ``memory`` for a segment (``document.Segment``) and its
    sentences, best first: what a CAT tool shows beside a segment to translate."""
    text = plain.plain(seg).text
    found: dict[str, tuple[int, str, str]] = {}
    for sentence, _space in [(text, "")] + list(sentences.split(text)):
        for score, src, tgt in memory.similar(source, target, sentence):
            if src not in found or found[src][0] < score:
                found[src] = (score, src, tgt)
    return sorted(found.values(), key=lambda m: -m[0])[:3]


def _why(exc: Exception, path: Path) -> str:
    """What went wrong with the memory, and who holds it when it is locked."""
    text = str(exc) or type(exc).__name__
    if "locked" in text or "busy" in text:
        holders = _holders(path)
        text = f"locked by another process for over {TIMEOUT:.0f} s" + (f": {holders}" if holders else "")
    return text


def _holders(path: Path) -> str:
    """The other processes that have the file open (Linux), as pid and command."""
    found = []
    target = str(path.resolve())
    for proc in Path("/proc").glob("[0-9]*"):
        if proc.name == str(os.getpid()):
            continue
        try:
            if any(os.readlink(fd) == target for fd in (proc / "fd").iterdir()):
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
                found.append(f"process {proc.name} ({command[:60]})")
        except OSError:
            continue
    return ", ".join(found[:3])

"""Translation memory: what an engine already translated is never sent again.

A SQLite file at the site root, ``.l10n/memory.sqlite``, beside the
provenance, to commit and share. An entry is keyed by the engine, its model
(name and version), the language pair and the exact text sent, so a new
model or engine never reuses another's output. Two runs at once are safe:
SQLite's write-ahead log and a busy timeout serialise their writes.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Callable, Sequence

from .errors import ContentError

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


class Memory:
    """Engine outputs by (engine, model, source language, target language, text)."""

    def __init__(self, path: Path):
        self.path = path
        self.hits = 0
        self.misses = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ContentError(f"translation memory cannot be opened ({exc}); move it away to start afresh", path) from None

    def close(self) -> None:
        self._db.close()

    def lookup(self, engine: str, model: str, source: str, target: str, texts: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), _BATCH):
            chunk = unique[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text, translation FROM memory WHERE engine=? AND model=? AND source=? AND target=? AND text IN ({marks})",
                (engine, model, source, target, *chunk),
            )
            found.update(rows)
        return found

    def store(self, engine: str, model: str, source: str, target: str, pairs: Sequence[tuple[str, str]]) -> None:
        if not pairs:
            return
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self._db:  # one transaction: all of a batch or none
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(engine, model, source, target, text, out, now) for text, out in pairs],
            )

    def wrap(
        self, call: Callable[[list[str]], list[str]], engine: str, model: str, source: str, target: str
    ) -> Callable[[list[str]], list[str]]:
        """``call`` with the memory in front: only texts it has never seen reach it."""

        def remembered(texts: list[str]) -> list[str]:
            known = self.lookup(engine, model, source, target, texts)
            missing = [t for t in dict.fromkeys(texts) if t not in known]
            self.hits += len(texts) - len([t for t in texts if t in missing])
            self.misses += len(missing)
            if missing:
                outputs = call(missing)
                self.store(engine, model, source, target, list(zip(missing, outputs)))
                known.update(zip(missing, outputs))
            return [known[t] for t in texts]

        return remembered

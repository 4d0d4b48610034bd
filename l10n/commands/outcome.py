"""What a translate run did, file by file: each file's outcome, and the run's report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import Problem, where

#: What can happen to a translation, in the order a summary lists them.
ACTIONS = ("created", "updated", "renamed", "unchanged", "skipped", "failed", "would-create", "would-update")



@dataclass
class Outcome:
    """What happened to one file."""

    path: str
    #: created, updated, unchanged, skipped, failed (dry run: would-create, would-update)
    action: str
    lang: str | None = None
    source: str | None = None
    reason: str = ""
    line: int | None = None
    #: "translation" (a target file), "list" (a source or sibling whose translations
    #: list changed), "article" (a source that could not be translated at all) or
    #: "state" (the provenance file) or "config" (l10n.toml, where a --layout is remembered)
    role: str = "translation"

    def format(self) -> str:
        text = f"{where(self.path, self.line)}: {self.action}"
        return f"{text}: {self.reason}" if self.reason else text


@dataclass
class TranslateReport:
    """Everything a run did, for printing or JSON."""

    outcomes: list[Outcome] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    engine: str = ""
    targets: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    #: Texts the translation memory answered, and texts it sent to the engine.
    memory_hits: int = 0
    memory_misses: int = 0
    #: What a paid API's engine says the run cost ("openai: 12 requests, 3,400 tokens sent...").
    usage: str = ""
    #: Languages left out: no engine can serve them here (one line each, as errors say them).
    unusable: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    def count(self, *actions: str, role: str | None = "translation") -> int:
        """Outcomes with one of ``actions``: of translations, by default. A file that
        failed counts as failed only, whatever else happened to it in the run."""
        failed = {o.path for o in self.outcomes if o.action == "failed"}
        return sum(1 for o in self.outcomes if o.action in actions and (role is None or o.role == role)
                   and (o.action == "failed" or o.path not in failed))

    def counts(self) -> dict[str, int]:
        """Translations by what happened to them, then the other files."""
        out = {a: self.count(a) for a in ACTIONS if self.count(a)}
        if self.count("failed", role=None) != self.count("failed"):
            out["failed"] = self.count("failed", role=None)  # unreadable sources fail their translations
        lists = self.count("updated", "would-update", role="list")
        if lists:
            out["lists updated"] = lists
        skipped = self.count("skipped", role="article")
        if skipped:
            out["articles skipped"] = skipped
        return out

    def summary(self) -> str:
        """``3 created, 2 unchanged; translations lists updated in 3 files``."""
        counts = self.counts()
        lists = counts.pop("lists updated", 0)
        articles = counts.pop("articles skipped", 0)
        parts = [", ".join(f"{n} {a}" for a, n in counts.items())] if counts else []
        if articles:
            parts.append(f"{articles} article{'s' * (articles != 1)} skipped")
        others = sum(1 for o in self.outcomes if o.action == "skipped" and o.reason.startswith("kept: made by"))
        if others:
            parts.append(f"{others} made by another engine left as they are (--replace replaces them)")
        remade = sum(1 for o in self.outcomes if o.action in ("updated", "would-update") and
                     "; the engine is now " in o.reason)
        if remade:
            parts.append(f"{remade} remade: the language's engine changed")
        if lists:
            parts.append(f"translations lists {'to update' if self.dry_run else 'updated'} in {lists} "
                         f"file{'s' * (lists != 1)}")
        return "; ".join(p for p in parts if p) or "nothing to do"

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "targets": self.targets,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "memory": {"hits": self.memory_hits, "misses": self.memory_misses},
            **({"unusable": self.unusable} if self.unusable else {}),
            **({"usage": self.usage} if self.usage else {}),
            "files": [{k: v for k, v in asdict(o).items() if v not in (None, "")} for o in self.outcomes],
            "notices": [asdict(n) for n in self.notices],
        }

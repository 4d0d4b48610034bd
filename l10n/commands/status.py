"""``l10n status``: where every translation of every article stands."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import L10nError, Problem
from ..renames import orphan_detail, orphans, renames
from ..survey import FAILING, STATUSES, Cell, Survey, failing, shown


@dataclass
class StatusReport:
    targets: list[str]
    #: (source shown, source words, {lang: cell})
    rows: list[tuple[str, int, dict[str, Cell]]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    #: What status --check and build fail on here (untranslated too, unless allowed).
    failing_statuses: tuple[str, ...] = FAILING

    def cells(self) -> Iterator[Cell]:
        for _source, _words, cells in self.rows:
            yield from cells.values()

    def totals(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per language, per status: articles and words."""
        out: dict[str, dict[str, dict[str, int]]] = {lang: {} for lang in self.targets}
        for cell in self.cells():
            slot = out[cell.lang].setdefault(cell.status, {"articles": 0, "words": 0})
            slot["articles"] += 1
            slot["words"] += cell.words
        return {lang: {s: by[s] for s in STATUSES if s in by} for lang, by in out.items()}

    @property
    def failing(self) -> list[Cell]:
        return [c for c in self.cells() if c.status in self.failing_statuses]

    def to_dict(self) -> dict[str, Any]:
        return {
            "targets": self.targets,
            "articles": [{"source": s, "words": w, "translations": {lang: c.to_dict() for lang, c in cells.items()}}
                         for s, w, cells in self.rows],
            "totals": self.totals(),
            "errors": [p.to_dict() for p in self.errors],
            "seconds": round(self.seconds, 3),
        }


def run_status(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None,
               survey: Survey | None = None, weakest: bool = False) -> StatusReport:
    """The status of every article under ``paths`` in every target language (``survey``:
    the site as another step of the same run opened it); ``weakest``: the articles whose
    weakest segment the engine was least sure of first."""
    started = time.perf_counter()
    survey = survey or Survey(paths, to, orphans=True)
    before = len(survey.errors)
    report = StatusReport(survey.targets, failing_statuses=failing(survey.cfg))
    moves = renames(survey)
    lost = {id(article): lang for article, lang in orphans(survey)}
    for article, lay in survey.articles:
        if article.orphan_of is not None:  # a translation whose source is gone: published all the same
            lang = lost.get(id(article), "")
            if lang in survey.targets:
                cell = Cell(shown(article.orphan_of), shown(article.source), lang, "orphan", 0,
                            detail=orphan_detail(article, moves))
                report.rows.append((f"{shown(article.orphan_of)} (gone)", 0, {lang: cell}))
            continue
        try:
            src = survey.source(article)
        except L10nError as exc:
            survey.fail(article.source, exc)
            continue
        cells: dict[str, Cell] = {}
        for lang, target in survey.translations(article, lay, src.lang):
            try:
                cells[lang] = survey.cell(article, src, lang, target)
            except L10nError as exc:
                survey.fail(target, exc)
        report.rows.append((shown(article.source), src.words, cells))
    if weakest:
        report.rows.sort(key=_weakest_first)
    report.errors = survey.errors[before:]
    report.seconds = time.perf_counter() - started
    return report


def _weakest_first(row: tuple[str, int, dict[str, Cell]]) -> tuple[int, int]:
    known = [c.confidence for c in row[2].values() if c.confidence is not None]
    return (0, min(known)) if known else (1, 0)

"""``l10n build``: the step before site generation, in one command.

detect -> translate what is missing or stale -> catalogs (extract, update,
translate, compile, export for the site generator) -> check -> status. Each step is the
library call behind its own command; this module only runs them in order and
decides whether a person is needed. Every step writes only what changes, so a
rerun with nothing new writes nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..catalogs import Catalogs
from ..checks import ERROR
from ..engine_choice import choose_engines
from ..errors import L10nError, Problem
from ..survey import Survey, open_site
from .catalog import run_catalog_compile, run_catalog_export, run_catalog_extract, run_catalog_fill, run_catalog_update
from .check import CheckReport, run_check
from .detect import run_detect
from .status import StatusReport, run_status
from .translate import TranslateOptions, run_translate


@dataclass
class Step:
    """What one step did, in one line."""

    name: str
    summary: str
    #: Lines a person should read (errors, mismatches, findings).
    lines: list[str] = field(default_factory=list)
    failed: bool = False
    #: What a person must do, found by the step (the report's attention).
    attention: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    steps: list[Step] = field(default_factory=list)
    status: StatusReport | None = None
    check: CheckReport | None = None
    #: Why a person is needed, one line each.
    attention: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(step.failed for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": [{"name": s.name, "summary": s.summary, "lines": s.lines, "failed": s.failed} for s in self.steps],
            "attention": self.attention,
            "status": self.status.to_dict() if self.status else None,
            "seconds": round(self.seconds, 3),
        }


def run_build(
    paths: Sequence[str | Path] = (),
    to: str | Sequence[str] | None = None,
    *,
    engine: str | None = None,
    merge: bool = False,
    jobs: int | None = None,
    replace: bool = False,
) -> BuildReport:
    """Bring the translations under ``paths`` up to date, and say what needs a person."""
    started = time.perf_counter()
    report = BuildReport()
    site, cfg, _roots = open_site(paths)
    targets = cfg.resolve_targets(to)
    chosen = choose_engines(cfg.with_options(engine=engine), targets)
    if not chosen.by_lang:  # no language can be served: stop before any work
        raise next(iter(chosen.unusable.values()))
    targets = [lang for lang in targets if lang not in chosen.unusable]
    for exc in chosen.unusable.values():
        report.attention.append(exc.format())
    # the site opened once: its files found, and their records read, once for every step
    survey = Survey(paths, tuple(targets), engine=engine, orphans=True)

    # 1. detect: only what changed since l10n last looked
    found = run_detect(paths, changed_only=True, jobs=jobs, survey=survey)
    mismatched = [f for f in found.files if f.status == "mismatch"]
    step = Step("detect", f"{len(found.files)} changed files read, {len(mismatched)} in another language than they declare")
    step.lines += [f"{f.path}: declared {f.declared}, reads as {f.detected} (p={f.confidence:.2f})" for f in mismatched]
    step.lines += _located(found.errors)
    step.failed = bool(found.errors)
    report.steps.append(step)
    report.attention += [f"{f.path}: declared {f.declared}, but reads as {f.detected} (l10n detect --fix)" for f in mismatched]

    # 2. translate what is missing or stale; a person's work is never touched (unless --merge)
    done = run_translate(TranslateOptions(tuple(paths), tuple(targets), engine=engine, merge=merge, jobs=jobs,
                                          replace=replace), survey=survey)
    changed = [o for o in done.outcomes if o.action != "unchanged"]
    step = Step("translate", f"{done.summary() if changed else 'nothing to do'} (engine {done.engine})")
    step.lines += [o.format() for o in changed]
    step.lines += [n.format() for n in done.notices]
    step.failed = bool(done.failed)
    report.steps.append(step)
    moved = [o for o in done.outcomes if o.action == "skipped" and o.reason.startswith("changed during the run")]
    if moved:
        report.attention.append(f"{len(moved)} file{'s' * (len(moved) != 1)} changed while l10n worked on "
                                f"{'them' if len(moved) != 1 else 'it'}: run l10n build again")

    # 3. UI strings, when the site has any
    ui = Catalogs(site)
    try:
        has_ui = bool(ui.tables()) or (ui.root / "babel.cfg").is_file()
    except L10nError as exc:  # tables it cannot read: said, and the rest is built
        report.steps.append(Step("catalogs", f"failed: {exc.format()}", [exc.format()], failed=True))
        has_ui = False
    if has_ui:
        step = _catalogs(ui, targets, engine)
        report.steps.append(step)
        report.attention += step.attention

    # 4. check, 5. status
    report.check = run_check(paths, targets, cache=True, jobs=jobs, survey=survey)
    errors = report.check.count(ERROR)
    step = Step("check", f"{report.check.checked} files checked: {errors} errors, {report.check.count('warning')} warnings")
    step.lines += [f.format() for f in report.check.findings if f.severity == ERROR]
    step.lines += _located(report.check.errors)
    step.failed = bool(report.check.errors)
    report.steps.append(step)
    if errors:
        report.attention.append(f"{errors} check errors (l10n check, l10n review)")
    report.status = run_status(paths, targets, survey=survey)
    for cell in report.status.failing:
        report.attention.append(f"{cell.target}: {cell.status}{': ' + cell.detail if cell.detail else ''}")
    report.seconds = time.perf_counter() - started
    return report


def _located(errors: list[Problem]) -> list[str]:
    return [problem.format() for problem in errors]


def _catalogs(ui, targets: list[str], engine: str | None) -> Step:
    """extract, update, translate, compile and export; machine translations are
    published, as they are for articles (the catalogs keep them fuzzy for review)."""
    step = Step("catalogs", "")
    written: list[str] = []
    try:
        for run in (
            lambda: run_catalog_extract(ui.root),
            lambda: run_catalog_update(targets, ui.root),
            lambda: run_catalog_fill(targets, engine, ui.root),
            lambda: run_catalog_compile(ui.root, use_fuzzy=True),
            lambda: run_catalog_export(ui.root, use_fuzzy=True),
        ):
            result = run()
            written += result.written
            step.lines += result.notices
            step.lines += [problem.format() for problem in result.errors]
            step.failed |= bool(result.errors)
            step.attention += result.findings  # a table a person changed, kept
        stats = result.stats
    except L10nError as exc:
        step.failed = True
        step.lines.append(exc.format())
        step.summary = f"failed: {exc.format()}"
        return step
    fuzzy = sum(s.fuzzy for s in stats)
    step.summary = (f"{len(written)} files written; " if written else "nothing to do; ") + ", ".join(
        f"{s.locale}: {s.translated} translated, {s.fuzzy} machine" for s in stats)
    if fuzzy:
        step.lines.append(f"{fuzzy} machine translations of UI strings to review in locales/ (fuzzy)")
    return step

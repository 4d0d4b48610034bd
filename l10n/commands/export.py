"""``l10n export``: a site's translations out to translators' tools.

Every segment of every article is written as a translation unit (XLIFF 1.2 or
PO; see ``l10n.exchange`` and ``l10n.xliff``) with its current translation,
its state (new, machine, stale, edited, reviewed), and what a translator
needs: where it is, the findings of ``l10n check``, close matches from the
translation memory. ``l10n import`` (``commands.exchange``) brings it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ..checks import context_for, examine
from ..detect import Detector
from ..document import Document
from ..errors import ConfigError, ContentError, L10nError, Problem
from ..exchange import (
    Exchange,
    FileUnits,
    Unit,
    edges,
    exported_digest,
    markdown_text,
    tagged,
    tagged_like,
    unit_ids,
    write_po,
)
from ..memory import Memory, existing, similar_for
from ..survey import Survey, shown
from ..write import write_atomic
from ..xliff import write_xliff
from .review import Item, mark_changes

FORMATS = ("xliff", "po")
SUFFIX = {"xliff": ".xlf", "po": ".po"}



@dataclass
class ExportReport:
    #: (file written, units, of which with a target)
    written: list[tuple[str, int, int]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def run_export(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None, *, fmt: str = "xliff",
               out: Path | None = None, per_article: bool = False, matches: bool = True) -> ExportReport:
    """The articles under ``paths`` as exchange files, one per target language (or,
    ``per_article``, one per article and language in the folder ``out``)."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}")
    survey = Survey(paths, to)
    report = ExportReport()
    memory = existing(survey.cfg.state_dir / "memory.sqlite", survey.site) if matches else None
    detector = Detector()
    try:
        for lang in survey.targets:
            exchange = Exchange(survey.cfg.code(survey.cfg.source_key), survey.cfg.code(lang), format=fmt)
            for article, lay, src in survey.parsed():
                if src.lang == lang:
                    continue
                target = lay.target(article, lang)
                try:
                    units = _units(survey, article, src, lang, target, fmt, detector)
                except L10nError as exc:
                    survey.fail(target, exc)
                    continue
                if memory is not None:
                    _add_matches(units, memory, exchange.source_lang, exchange.target_lang, src.doc)
                exchange.files.append(FileUnits(src.key, units, survey.key(target), survey.cfg.code(src.lang)))
            _save(exchange, survey, lang, fmt, out, per_article, report, len(survey.targets) > 1)
    finally:
        if memory is not None:
            memory.close()
    report.errors = survey.errors + report.errors
    return report


def _units(survey: Survey, article, src, lang: str, target: Path, fmt: str, detector: Detector) -> list[Unit]:
    """The units of one article for one language (read as that language reads it: its
    own terms and glossary terms locked as codes, no other language's)."""
    assert src.doc is not None
    options = survey.cfg.markdown_options(lang)
    doc: Document = src.doc if options == survey.options else survey.parse(src.path, src.raw, options)
    src = replace(src, doc=doc)
    ids = unit_ids(doc)
    if fmt == "po":  # a message holds its segment's Markdown, link titles and parameters included
        nested = {id(child) for _uid, seg in ids for child in seg.children()}
        ids = [(uid, seg) for uid, seg in ids if id(seg) not in nested]
    by_seg: dict[int, Unit] = {}
    for uid, seg in ids:
        text, codes = tagged(seg) if fmt == "xliff" else (markdown_text(seg), {})
        notes = [f"{shown(src.path)}:{seg.line}"] if fmt == "xliff" else []
        if fmt == "xliff" and edges(seg):
            notes.append(f"the whole segment (the markup around it stays as it is): {markdown_text(seg)}")
        # what the file starts from: no target, no page text (say the unit, so import knows it)
        by_seg[id(seg)] = Unit(uid, text, line=seg.line, codes=codes, notes=notes, exported=exported_digest(None),
                               page=exported_digest(None))
    cell = survey.cell(article, src, lang, target)
    if cell.status != "missing":
        translation = survey.parse(target)
        exam = examine(doc, translation, context_for(survey.cfg, src.lang, lang), shown(target), detector)
        item = Item(cell, src, target, src.lang, exam)
        record = survey.state.targets.get(survey.key(target))
        if record is not None:
            mark_changes(item, record)
        person = cell.status in ("edited", "human") or bool(record and record.is_persons)
        base = "reviewed" if record is not None and record.reviewed and cell.status != "edited" else (
            "edited" if person else "machine")
        for index, pair in enumerate(exam.pairs):
            if pair.source is None or id(pair.source) not in by_seg:
                continue
            unit = by_seg[id(pair.source)]
            for finding in pair.findings:
                accepted = " (accepted)" if finding.id in item.accepted else ""
                unit.notes.append(f"{finding.severity}: {finding.message} [{finding.check}]{accepted}")
            if index in item.previous:
                unit.notes.append(f"translation before the source changed: {item.previous[index]}")
            if pair.target is None:
                continue
            unit.page = exported_digest(pair.target.original)  # the page's text there, as the file starts from it
            unit.state = "stale" if index in item.stale else "machine" if index in item.machine else base
            if pair.target.original == pair.source.original and base == "machine":
                unit.state = "new"  # still the source's words: nothing to review yet
                continue
            current = tagged_like(pair.source, pair.target) if fmt == "xliff" else markdown_text(pair.target)
            if current is None:
                unit.notes.append("current translation (its markup is not the source's, so it is not a target "
                                  f"here): {markdown_text(pair.target)}")
                unit.state = "new"
            else:
                unit.target = current
                unit.exported = exported_digest(current)
            if unit.state == "stale":
                unit.notes.append("the source of this segment changed since it was translated")
            elif unit.target is not None and unit.state == "machine":
                unit.confidence = item.confidence.get(index)
    return [by_seg[id(seg)] for _uid, seg in ids]


def _add_matches(units: list[Unit], memory: Memory, source: str, target: str, doc: Document | None) -> None:
    """Close matches from the memory for the units a translator still has to do."""
    if doc is None:
        return
    segs = {uid: seg for uid, seg in unit_ids(doc)}
    for unit in units:
        if unit.target is not None and unit.state != "stale":
            continue
        seg = segs.get(unit.id)
        if seg is None:
            continue
        unit.matches = similar_for(memory, seg, source, target)


def _save(exchange: Exchange, survey: Survey, lang: str, fmt: str, out: Path | None, per_article: bool,
          report: ExportReport, several: bool) -> None:
    writer = write_xliff if fmt == "xliff" else write_po
    if per_article:  # the articles' own folders beneath: content/a/b.md and content/a__b.md stay apart
        folder = out or Path("l10n-export")
        for file in exchange.files:
            one = Exchange(exchange.source_lang, exchange.target_lang, [file], fmt)
            path = folder.joinpath(*file.original.split("/"))
            _write(path.with_name(f"{path.name}.{lang}{SUFFIX[fmt]}"), writer(one), [file], report, survey)
        return
    if out is None:
        path = Path(f"l10n-{lang}{SUFFIX[fmt]}")
    elif out.is_dir() or several:
        path = out / f"l10n-{lang}{SUFFIX[fmt]}"
    else:
        path = out
    _write(path, writer(exchange), exchange.files, report, survey)


def _write(path: Path, data: bytes, files: list[FileUnits], report: ExportReport, survey: Survey) -> None:
    try:
        write_atomic(path, data, inside=survey.confined)
    except ContentError as exc:
        report.errors.append(exc.problem(shown(path)))
        return
    units = sum(len(f.units) for f in files)
    done = sum(1 for f in files for u in f.units if u.target is not None)
    report.written.append((shown(path), units, done))

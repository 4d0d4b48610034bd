"""``l10n export`` and ``l10n import``: a site's translations out to translators' tools, and back.

Export writes every segment of every article as a translation unit (XLIFF 1.2
or PO; see ``l10n.exchange``) with its current translation, its state (new,
machine, stale, edited, reviewed), and what a translator needs: where it is,
the findings of ``l10n check``, close matches from the translation memory.

Import reads XLIFF or PO files (l10n's own, or po4a's, mdpo's and Weblate's
catalogs) and writes the translated siblings through the document model and
the same writer as ``l10n translate``: every unit is checked before it is
used, a unit that fails is reported and the others applied, and what is
imported is recorded as a person's work (reviewed, or edited), which
``l10n translate`` keeps. Segments the file does not translate keep the
sibling's current text (or the source's, for a new sibling).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from .. import markdown
from ..checks import align, context_for, examine
from ..detect import Detector
from ..document import Document, Segment
from ..engines.basic import CopyEngine
from ..errors import ConfigError, ContentError, L10nError, Problem
from ..exchange import (
    Exchange,
    FileUnits,
    Unit,
    apply_markdown,
    apply_tagged,
    base_id,
    edges,
    kept_code,
    markdown_text,
    normalized,
    pairs_from_catalog,
    read_po,
    sentence_pairs,
    tagged,
    tagged_like,
    translate_code,
    unit_ids,
    write_po,
)
from ..markdown.render import make_verifier
from ..memory import PEOPLE, Memory, similar_for
from ..provenance import diff_segments, segment_digests, standing
from ..survey import Survey, shown
from ..translate import reset
from ..write import digest, write_atomic
from ..xliff import DONE_STATES, read_xliff, write_xliff
from .review import Item, mark_changes
from .translate import Run, TranslateOptions

FORMATS = ("xliff", "po")
SUFFIX = {"xliff": ".xlf", "po": ".po"}


# --------------------------------------------------------------------------
# Export


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
    memory = _memory(survey) if matches else None
    detector = Detector()
    try:
        for lang in survey.targets:
            exchange = Exchange(survey.cfg.code(survey.cfg.source_key), survey.cfg.code(lang), format=fmt)
            for article, lay in survey.articles:
                try:
                    src = survey.source(article, parse=True)
                except L10nError as exc:
                    survey.fail(article.source, exc)
                    continue
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
    report.errors = survey.errors
    return report


def _units(survey: Survey, article, src, lang: str, target: Path, fmt: str, detector: Detector) -> list[Unit]:
    """The units of one article for one language."""
    assert src.doc is not None
    doc: Document = src.doc
    ids = unit_ids(doc)
    by_seg: dict[int, Unit] = {}
    for uid, seg in ids:
        text, codes = tagged(seg) if fmt == "xliff" else (markdown_text(seg), {})
        notes = [f"{shown(src.path)}:{seg.line}"] if fmt == "xliff" else []
        if fmt == "xliff" and edges(seg):
            notes.append(f"the whole segment (the markup around it stays as it is): {markdown_text(seg)}")
        by_seg[id(seg)] = Unit(uid, text, line=seg.line, codes=codes, notes=notes)
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
            if pair.source is None:
                continue
            unit = by_seg[id(pair.source)]
            for finding in pair.findings:
                unit.notes.append(f"{finding.severity}: {finding.message} [{finding.check}]")
            if index in item.previous:
                unit.notes.append(f"translation before the source changed: {item.previous[index]}")
            if pair.target is None:
                continue
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
            if unit.state == "stale":
                unit.notes.append("the source of this segment changed since it was translated")
    return [by_seg[id(seg)] for _uid, seg in ids]


def _memory(survey: Survey) -> Memory | None:
    path = survey.cfg.state_dir / "memory.sqlite"
    if not path.exists():
        return None
    try:
        return Memory(path)
    except L10nError:
        return None


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
    if per_article:
        folder = out or Path("l10n-export")
        for file in exchange.files:
            one = Exchange(exchange.source_lang, exchange.target_lang, [file], fmt)
            path = folder / (file.original.replace("/", "__") + f".{lang}{SUFFIX[fmt]}")
            _write(path, writer(one), [file], report)
        return
    if out is None:
        path = Path(f"l10n-{lang}{SUFFIX[fmt]}")
    elif out.is_dir() or several:
        path = out / f"l10n-{lang}{SUFFIX[fmt]}"
    else:
        path = out
    _write(path, writer(exchange), exchange.files, report)


def _write(path: Path, data: bytes, files: list[FileUnits], report: ExportReport) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    units = sum(len(f.units) for f in files)
    done = sum(1 for f in files for u in f.units if u.target is not None)
    report.written.append((shown(path), units, done))


# --------------------------------------------------------------------------
# Import


@dataclass
class ImportReport:
    """What an import did: the translate report of the writes, and the units."""

    outcomes: list = field(default_factory=list)
    #: (where, message): units refused, stale, or matching no segment
    problems: list[Problem] = field(default_factory=list)
    applied: int = 0
    stale: int = 0
    rejected: int = 0
    #: catalog entries that match no segment of the site
    unmatched: int = 0
    #: pairs put into the translation memory
    remembered: int = 0

    @property
    def failed(self) -> list:
        return [o for o in self.outcomes if o.action == "failed"]


def run_import(files: Sequence[str | Path], to: str | None = None, *, paths: Sequence[str | Path] = (),
               force: bool = False, status: str = "reviewed", fuzzy: bool = False) -> ImportReport:
    """Write the translations that ``files`` hold into the site's siblings."""
    if status not in ("reviewed", "edited"):
        raise ConfigError("--as must be reviewed or edited")
    report = ImportReport()
    groups: dict[tuple[str, str], tuple[Exchange, list[str]]] = {}
    for name in files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{name}: cannot be read ({exc.strerror})") from None
        where = shown(path)
        exchange = read_xliff(data, where) if _is_xliff(path, data) else read_po(data, where)
        lang = to or exchange.target_lang
        if not lang:
            raise ConfigError(f"{where}: the file names no target language; give --to")
        # every file of one language and format is one import: catalogs need not say which page they are for
        group, names = groups.setdefault((exchange.format, lang), (Exchange(exchange.source_lang, lang,
                                                                           format=exchange.format), []))
        group.source_lang = group.source_lang or exchange.source_lang
        group.files.extend(exchange.files)
        names.append(where)
    for (_fmt, lang), (exchange, names) in groups.items():
        _import_one(exchange, ", ".join(names) if len(names) < 4 else f"{len(names)} files", lang, paths, force,
                    status, fuzzy, report)
    return report


def _is_xliff(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".xlf", ".xliff"):
        return True
    if path.suffix.lower() in (".po", ".pot"):
        return False
    return data.lstrip()[:200].startswith(b"<?xml") or b"<xliff" in data[:500]


class _Lookup:
    """Where a segment's translation is in an exchange file: by unit id, else (PO)
    by its Markdown, exactly, then with spaces and line wrapping ignored."""

    def __init__(self, exchange: Exchange, fuzzy: bool):
        self.fuzzy = fuzzy
        self.by_file: dict[str, dict[str, Unit]] = {}
        self.by_id: dict[str, Unit] = {}
        self.exact: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        #: normalized msgids a segment took, and the message each block-level pair came from
        self.used: set[str] = set()
        self.parent: dict[str, str] = {}
        #: PO: code block contents and their translations (po4a gives each code block a message)
        self.code: dict[str, str] = {}
        for file in exchange.files:
            # the same article in two files (an old and a new export): the later file's units win
            self.by_file.setdefault(file.original, {}).update((u.id, u) for u in file.units if u.id)
            self.by_id.update((u.id, u) for u in file.units if u.id)
        if exchange.format == "po":
            units = [u for f in exchange.files for u in f.units]
            self.code_pairs(units)
            for unit in units:
                for source, target in pairs_from_catalog([unit], fuzzy):
                    self.exact.setdefault(source, target)
                    self.loose.setdefault(normalized(source), target)
                    self.parent.setdefault(normalized(source), normalized(unit.source))

    def code_pairs(self, units) -> None:
        self.code = {u.source: u.target for u in units if u.target and u.source.endswith("\n")
                     and (not u.fuzzy or self.fuzzy)}

    def take(self, text: str) -> str | None:
        found = self.exact.get(text)
        if found is None:
            found = self.loose.get(normalized(text))
        if found is not None:
            self.used.add(self.parent.get(normalized(text), normalized(text)))
        return found


def _import_one(exchange: Exchange, where: str, lang: str, paths, force: bool, status: str, fuzzy: bool,
                report: ImportReport) -> None:
    survey = Survey(paths, lang)
    lang = survey.targets[0]
    run = Run(TranslateOptions(paths=tuple(paths), to=(lang,), force=True), survey, CopyEngine(), "person", None)
    lookup = _Lookup(exchange, fuzzy)
    xliff = exchange.format == "xliff"
    wanted = set(lookup.by_file) if xliff else None
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    touched: set[str] = set()
    try:
        for article, lay in survey.articles:
            key = survey.key(article.source)
            if wanted is not None and key not in wanted:
                continue
            touched.add(key)
            target = lay.target(article, lang)
            job = run.decide(article, lay)
            if job is None or job.doc is None or lang not in job.make:
                continue
            job.make[lang] = (target, f"imported from {where}")
            refusal = _protected(run, survey, job, target, force)
            if refusal:
                job.make.pop(lang)
                reset([job.doc])
                run.outcome(target, "skipped", lang=lang, source=str(article.source), reason=refusal)
                run.write(job)
                continue
            units = lookup.by_file.get(key, {}) if xliff else {}
            done, person = _fill(job.doc, units, lookup, xliff, target, survey, force, where, report, key)
            if not done and not (not xliff and lookup.code and any(
                    isinstance(p, str) and translate_code(p, lookup.code)[1] for p in job.doc.parts)):
                job.make.pop(lang)
                reset([job.doc])
                if xliff:
                    run.outcome(target, "unchanged", lang=lang, source=str(article.source),
                                reason="no unit holds a new translation")
                    run.write(job)
                continue
            run.translate([job])
            if lang not in job.made:
                continue
            _code_blocks(job, lang, lookup, target, where, report)
            broken = _structure_changed(job.doc, job.made[lang], survey)
            if broken:
                job.made.pop(lang)
                run.outcome(target, "failed", lang=lang, source=str(article.source), reason=broken)
            written = len(run.report.outcomes)
            run.write(job)
            if any(o.path == shown(target) and o.action in ("created", "updated")
                   for o in run.report.outcomes[written:]):
                _record(survey, target, job.doc, person, status, now)
    finally:
        run.close()
        survey.state.save()
    if xliff:
        for original in set(lookup.by_file) - touched:
            report.problems.append(Problem(where, None, f"{original}: no such article in the site "
                                           f"(its {len(lookup.by_file[original])} units are not imported)", "warning"))
    else:
        report.unmatched += sum(1 for f in exchange.files for u in f.units
                                if u.target and normalized(u.source) not in lookup.used and not (u.fuzzy and not fuzzy))
    report.remembered += _remember(survey, exchange, lang)
    report.outcomes.extend(run.report.outcomes)
    report.problems.extend(run.report.notices)


def _code_blocks(job, lang: str, lookup: _Lookup, target: Path, where: str, report: ImportReport) -> None:
    """A catalog's translations of whole code blocks, in the untouched parts of the page;
    the blocks a person translated in the sibling before stay as they are."""
    made = job.made[lang]
    try:
        kept = kept_code(job.raw.decode("utf-8", "replace"), target.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        kept = {}
    code = {**kept, **lookup.code}
    for k, (part, text) in enumerate(zip(job.doc.parts, made)):
        if isinstance(part, str) and isinstance(text, str):
            made[k], applied, refused = translate_code(text, code)
            applied = [a for a in applied if a[0] in lookup.code]
            report.applied += len(applied)
            lookup.used.update(normalized(content) for content, _ in applied)
            for why in refused:
                report.rejected += 1
                report.problems.append(Problem(where, None, f"{shown(target)}: not imported: {why}", "error"))


def _protected(run: Run, survey: Survey, job, target: Path, force: bool) -> str:
    """Why an existing sibling is a person's work that this import must not replace ("" if
    none): one l10n did not write, or one changed since l10n wrote it."""
    if force or not target.exists():
        return ""
    assert job.doc is not None
    record = survey.state.targets.get(survey.key(target))
    try:
        raw = target.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    now = standing(record, job.key, digest(job.doc.render_without_fields()), raw, target, survey.options)
    if record is None:
        return "not written by l10n (import --force replaces it; l10n review --approve adopts it)"
    if not now.ours or now.edited:
        return "edited: changed since l10n wrote it (import --force replaces it)"
    return ""


def _fill(doc: Document, units: dict[str, Unit], lookup: _Lookup, xliff: bool, target: Path, survey: Survey,
          force: bool, where: str, report: ImportReport, key: str) -> tuple[int, set[int]]:
    """Give the document's segments their imported translations (the rest keep the
    sibling's); how many were imported, and the indexes of segments that hold a person's words."""
    ids = unit_ids(doc)
    verify = make_verifier(doc.env)
    current = _current(doc, target, survey)
    person: set[int] = set()
    done = 0
    stale_for = _stale(ids, units, force, where, report) if xliff else {}
    applied: set[int] = set()  # segments given a new translation by this import
    for index, (uid, seg) in enumerate(ids):
        unit = units.get(uid) or stale_for.get(index) if xliff else _po_unit(seg, uid, lookup, key)
        had = current.get(index)
        nested = any(id(child) in applied for child in seg.children())
        if unit is not None and had is not None and unit.target and (had[2] if xliff else had[3]) and \
                unit.target == (had[2] if xliff else had[3]) and not nested and (
                not xliff or unit.state in DONE_STATES or unit.state == ""):  # approved as it is: its own bytes
            seg.rendered, seg.outcome = had[0], "kept"
            done += 1
            person.add(index)
            report.applied += 1
            continue
        if unit is not None and _is_persons(unit, had, xliff, seg):
            why = apply_tagged(seg, unit.target or "", verify) if xliff else apply_markdown(seg, unit.target or "")
            if why is None:
                done += 1
                person.add(index)
                applied.add(id(seg))
                report.applied += 1
                continue
            report.rejected += 1
            at = f"{where}:{unit.where}" if unit.where else where
            report.problems.append(Problem(at, None, f"unit {unit.id or uid} ({shown(target)}:{seg.line}) not "
                                           f"imported: {why}", "error"))
            seg.rendered = None
        if had is not None:
            # a paragraph whose link title or parameter was just imported: rendered again around it
            if not (nested and had[2] and apply_tagged(seg, had[2], verify) is None):
                seg.rendered, seg.outcome = had[0], "kept"
            if had[1]:
                person.add(index)
    return done, person


def _po_unit(seg: Segment, uid: str, lookup: _Lookup, key: str = "") -> Unit | None:
    text = markdown_text(seg)
    unit = lookup.by_id.get(f"{key}#{uid}") or lookup.by_id.get(uid)
    if unit is not None and unit.source == text and (unit.target or "").strip():
        lookup.used.add(normalized(text))
        return unit if not unit.fuzzy or lookup.fuzzy else None
    found = lookup.take(text)
    return Unit(uid, text, found, state="translated") if found is not None else None


def _is_persons(unit: Unit, had, xliff: bool, seg: Segment) -> bool:
    """Whether a unit holds a translation to import: a person's (a state that says so,
    or a target changed from the current one), not a machine draft left as it was."""
    if not unit.target or not unit.target.strip():
        return False
    if not xliff:
        return True
    if unit.state in DONE_STATES or unit.state == "":
        return True
    if unit.state in ("new", "needs-translation") or unit.qualifier == "mt-suggestion":
        return False  # still the machine's draft, as the export said
    return had is None or unit.target != had[2]


def _current(doc: Document, target: Path, survey: Survey) -> dict[int, tuple[str, bool, str, str]]:
    """The sibling's text for each source segment it translates: (its text as in the file,
    whether it is a person's, its tagged form, its form in a PO message)."""
    if not target.exists():
        return {}
    try:
        theirs = survey.parse(target)
    except L10nError:
        return {}
    record = survey.state.targets.get(survey.key(target))
    persons = record is None or record.is_persons or record.engine == "person"
    index = {id(seg): i for i, (_uid, seg) in enumerate(unit_ids(doc))}
    out = {}
    for pair in align(doc, theirs):
        if pair.source is not None and pair.target is not None and id(pair.source) in index:
            same = pair.target.original == pair.source.original
            out[index[id(pair.source)]] = (pair.target.original, persons and not same,
                                           tagged_like(pair.source, pair.target) or "", markdown_text(pair.target))
    return out


def _stale(ids, units: dict[str, Unit], force: bool, where: str, report: ImportReport) -> dict[int, Unit]:
    """Units whose source changed since the export: reported; with ``force``, matched
    to the segment that took their place."""
    present = {uid for uid, _seg in ids}
    old = [u for u in units.values() if u.id not in present and u.target]
    if not old:
        return {}
    order = list(units.values())
    diff = diff_segments([base_id(u.id) for u in order], [base_id(uid) for uid, _seg in ids])
    matched = {j: order[i] for i, j in diff.replaced if order[i].id not in present}
    out = {}
    for unit in old:
        j = next((j for j, u in matched.items() if u is unit), None)
        if force and j is not None:
            out[j] = unit
            continue
        report.stale += 1
        hint = "imported with --force" if j is not None else "its segment is gone"
        report.problems.append(Problem(where, None, f"unit {unit.id}: its source changed since the export; not "
                                       f"imported ({hint})", "warning"))
    return out


def _structure_changed(doc: Document, parts: list, survey: Survey) -> str:
    """Why the written page would not have its source's blocks ("" when it has)."""
    text = "".join(p if isinstance(p, str) else p.render() for p in parts)
    try:
        written = markdown.parse(text, None, survey.options)
    except ContentError as exc:
        return f"the imported text does not read as Markdown ({exc.message})"
    a = [(s.kind, s.block) for s in doc.segments()]
    b = [(s.kind, s.block) for s in written.segments()]
    if a == b:
        return ""
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    line = list(doc.segments())[min(k, len(a) - 1)].line if a else 0
    return f"the imported text would change the page's block structure near source line {line}; nothing written"


def _record(survey: Survey, target: Path, doc: Document, person: set[int], status: str, now: str) -> None:
    """The written translation as a person's work: reviewed when every segment is a
    person's (and --as reviewed), else edited with the machine segments named."""
    key = survey.key(target)
    record = survey.state.targets.get(key)
    try:
        raw = target.read_bytes()
    except OSError:
        return
    if record is None or record.engine != "person" or record.raw != digest(raw):
        return
    ids = unit_ids(doc)
    machine = [seg.digest() for i, (_uid, seg) in enumerate(ids) if i not in person and seg.text.strip()]
    try:
        written = survey.parse(target)
    except L10nError:
        return
    extra = {"target_segments": segment_digests(written), "previous": {}}
    if status == "reviewed" and not machine:
        record = replace(record, reviewed=now, merged=None, **extra)
    else:
        record = replace(record, reviewed="", merged={"kept": len(person), "machine": machine}, **extra)
    survey.state.set_target(key, record)


def _remember(survey: Survey, exchange: Exchange, lang: str) -> int:
    """A catalog's pairs into the translation memory, sentence by sentence, as a person's:
    what import did not place is still offered to the engine run."""
    if exchange.format != "po":
        return 0
    pairs = sentence_pairs([u for f in exchange.files for u in f.units])
    if not pairs:
        return 0
    try:
        memory = Memory(survey.cfg.state_dir / "memory.sqlite")
    except L10nError:
        return 0
    try:
        key = PEOPLE + (exchange.source_lang or survey.cfg.code(survey.cfg.source_key), survey.cfg.code(lang))
        memory.store(key, [(s, t, None) for s, t in dict(pairs).items() if s.strip() and t.strip()])
        return 0 if memory.failed else len(dict(pairs))
    finally:
        memory.close()

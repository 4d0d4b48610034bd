"""``l10n import``: translations from translators' tools (XLIFF, PO) into a site's siblings.

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
from ..checks import align
from ..document import Document, Segment
from ..engines.basic import CopyEngine
from ..errors import ConfigError, ContentError, L10nError, Problem
from ..exchange import (
    Exchange,
    Unit,
    apply_markdown,
    apply_tagged,
    base_id,
    kept_code,
    markdown_text,
    normalized,
    pairs_from_catalog,
    read_po,
    sentence_pairs,
    tagged_like,
    translate_code,
    unit_ids,
)
from ..markdown.render import make_verifier
from ..memory import PEOPLE, Memory
from ..provenance import diff_segments, segment_digests, standing
from ..survey import Survey, shown
from ..translate import reset
from ..write import digest
from ..xliff import DONE_STATES, read_xliff
from .translate import Run, TranslateOptions

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
    #: files that could not be read; siblings or articles left out (a person's, not in the site)
    unreadable: int = 0
    skipped: int = 0

    @property
    def failed(self) -> int:
        """Files that failed: pages that could not be written, and exchange files that could not be read."""
        return sum(1 for o in self.outcomes if o.action == "failed") + self.unreadable


def run_import(files: Sequence[str | Path], to: str | None = None, *, paths: Sequence[str | Path] = (),
               force: bool = False, status: str = "reviewed", fuzzy: bool = False) -> ImportReport:
    """Write the translations that ``files`` hold into the site's siblings."""
    if status not in ("reviewed", "edited"):
        raise ConfigError("--as must be reviewed or edited")
    report = ImportReport()
    groups: dict[tuple[str, str], tuple[Exchange, list[str]]] = {}
    for name in files:  # every file read, and its language checked, before anything is written
        path = Path(name)
        where = shown(path)
        try:
            data = path.read_bytes()
            exchange = read_xliff(data, where) if _is_xliff(path, data) else read_po(data, where)
        except OSError as exc:
            report.problems.append(Problem(where, None, f"cannot be read ({exc.strerror}); not imported", "error"))
            report.unreadable += 1
            continue
        except ContentError as exc:
            report.problems.append(exc.problem(where))
            report.unreadable += 1
            continue
        lang = to or exchange.target_lang
        if not lang:
            raise ConfigError(f"{where}: the file names no target language; give --to")
        try:
            lang = Survey(paths, lang).targets[0]
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc.message}") from None
        units = [u for f in exchange.files for u in f.units]
        if exchange.format == "po" and units and not fuzzy and all(u.fuzzy for u in units if u.target):
            report.problems.append(Problem(where, None, "every translation in it is fuzzy (a draft); --fuzzy "
                                           "imports them", "warning"))
            report.skipped += 1
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
            refusal = _protected(survey, job, target, force)
            if refusal:
                job.make.pop(lang)
                reset([job.doc])
                run.outcome(target, "skipped", lang=lang, source=str(article.source), reason=refusal)
                report.skipped += 1
                run.write(job)
                continue
            units = lookup.by_file.get(key, {}) if xliff else {}
            rejected = report.rejected
            done, person, stale = _fill(job.doc, units, lookup, xliff, target, survey, force, where, report, key)
            wordy = sum(1 for seg in job.doc.segments() if seg.text.strip())
            if not xliff and done and not target.exists() and 2 * done < wordy:
                # a catalog that matches a few lines of a page makes no new page of it
                reset([job.doc])
                report.problems.append(Problem(shown(article.source), None, f"the catalogs translate {done} of its "
                                               f"{wordy} segments: no {lang} page made of it", "warning"))
                report.skipped += 1
                continue
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
            # the record says whose work it is before the file is written (the journal holds it)
            job.extra.setdefault(lang, {}).update(_persons_fields(survey, target, job.doc, person, stale, status, now))
            written = len(run.report.outcomes)
            run.write(job)
            if any(o.path == shown(target) and o.action in ("created", "updated")
                   for o in run.report.outcomes[written:]):
                report.applied += done
                _record(survey, target)
            else:
                report.rejected = rejected
    finally:
        run.close()
        run.save()
    if xliff:
        for original in sorted(set(lookup.by_file) - touched):
            report.problems.append(Problem(where, None, f"{original}: no such article in the site "
                                           f"(its {len(lookup.by_file[original])} units are not imported)", "warning"))
            report.skipped += 1
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
            applied = [content for content in applied if content in lookup.code]
            report.applied += len(applied)
            lookup.used.update(normalized(content) for content in applied)
            for why in refused:
                report.rejected += 1
                report.problems.append(Problem(where, None, f"{shown(target)}: not imported: {why}", "error"))


def _protected(survey: Survey, job, target: Path, force: bool) -> str:
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
          force: bool, where: str, report: ImportReport, key: str) -> tuple[int, set[int], dict[int, str]]:
    """Give the document's segments their imported translations (the rest keep the
    sibling's); how many were imported, the indexes of segments that hold a person's
    words, and those that keep a translation of an older source (index -> its old digest)."""
    ids = unit_ids(doc)
    verify = make_verifier(doc.env)
    current = _current(doc, target, survey)
    person: set[int] = set()
    done = 0
    stale_for = _stale(ids, units, force, where, report) if xliff else {}
    older = _older(survey, target, ids)
    index_of = {id(seg): i for i, (_uid, seg) in enumerate(ids)}
    stale: dict[int, str] = {}
    applied: set[int] = set()  # segments given a new translation by this import
    for index, (uid, seg) in enumerate(ids):
        unit = units.get(uid) or stale_for.get(index) if xliff else _po_unit(seg, uid, lookup, key)
        had = current.get(index)
        nested = any(id(child) in applied for child in seg.children())
        form = (had[2] if xliff else had[3]) if had is not None else ""  # the sibling's text as the file writes it
        if unit is not None and unit.target and form and unit.target == form and not nested and (
                not xliff or unit.state in DONE_STATES or unit.state == ""):  # approved as it is: its own bytes
            seg.rendered, seg.outcome = had[0], "kept"
            done += 1
            person.add(index)
            person.update(index_of[id(child)] for child in seg.children())  # its title, its parameters
            continue
        if unit is not None and unit.error:
            report.rejected += 1
            report.problems.append(Problem(where, None, f"unit {unit.id or uid} ({shown(target)}:{seg.line}) not "
                                           f"imported: {unit.error}", "error"))
            unit = None
        if unit is not None and _is_persons(unit, had, xliff, seg):
            why = apply_tagged(seg, unit.target or "", verify) if xliff else apply_markdown(seg, unit.target or "")
            if why is None:
                done += 1
                person.add(index)
                if not xliff:  # a message's Markdown holds its link titles and parameters too
                    person.update(index_of[id(child)] for child in seg.children())
                applied.add(id(seg))
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
            if index in older:
                stale[index] = older[index]
    return done, person, stale


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
    if unit.state in ("new", "needs-translation"):
        return False
    if unit.qualifier == "mt-suggestion":  # the machine's draft, unless a person changed its text
        return had is not None and unit.target != had[2]
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


def _older(survey: Survey, target: Path, ids) -> dict[int, str]:
    """Segments whose source changed since the sibling was made: index -> the digest then."""
    record = survey.state.targets.get(survey.key(target)) if target.exists() else None
    if record is None or not record.segments:
        return {}
    diff = diff_segments(record.segments, [seg.digest() for _uid, seg in ids])
    return {j: record.segments[i] for i, j in diff.replaced}


def _persons_fields(survey: Survey, target: Path, doc: Document, person: set[int], stale: dict[int, str],
                    status: str, now: str) -> dict:
    """What the record of an imported translation says: reviewed when every segment with
    words is a person's (and --as reviewed), else a person's translation not yet approved
    with its machine segments named; segments still translating an older source keep the
    old source's digest, so the page stays stale until they are updated."""
    ids = unit_ids(doc)
    machine = [seg.digest() for i, (_uid, seg) in enumerate(ids) if i not in person and seg.text.strip()]
    fields: dict = {"engine": "person", "previous": {}}
    if status == "reviewed" and not machine and not stale:
        fields.update(reviewed=now, merged=None)
    else:
        fields.update(reviewed="", merged={"kept": len(person), "machine": machine})
    if stale:
        record = survey.state.targets.get(survey.key(target))
        digests = [seg.digest() for _uid, seg in ids]
        for index, old in stale.items():
            digests[index] = old
        fields["segments"] = digests
        if record is not None:
            fields["source_sha"] = record.source_sha
    return fields


def _record(survey: Survey, target: Path) -> None:
    """The written translation's own segments, for telling a person's later edits apart."""
    key = survey.key(target)
    record = survey.state.targets.get(key)
    try:
        raw = target.read_bytes()
        written = survey.parse(target, raw)
    except (OSError, L10nError):
        return
    if record is not None and record.raw == digest(raw):
        survey.state.set_target(key, replace(record, target_segments=segment_digests(written)))


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

"""``l10n import``: translations from translators' tools (XLIFF, PO) into a site's siblings.

Import reads XLIFF or PO files (l10n's own, or po4a's, mdpo's and Weblate's
catalogs) and writes the translated siblings through the same writer as
``l10n translate``: its lock, its journal and its records. Every unit is
judged alone (``verdicts``: a unit changes a page only when a person changed
it, never a person's words with a draft) and applied alone through the
encoding engines' output takes (``applying``); a unit refused is named with
its reason and the page's other units are applied. A page that holds a
person's words is changed only in the segments the file changes, every other
byte kept; a page of the machine's words (or a new one) is made from its
source. What is imported is recorded as a person's work (reviewed, or
edited), which ``l10n translate`` keeps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ..applying import (
    apply_markdown,
    apply_tagged,
    apply_value,
    codes_kept,
    kept_code,
    kept_id,
    plain_of,
    translate_code,
    wordless,
)
from ..checks import UNTRANSLATED_SHARE
from ..document import Document, Field, Segment
from ..engine_choice import Chosen
from ..engines.basic import CopyEngine
from ..errors import ConfigError, ContentError, L10nError, Problem
from ..exchange import (
    Exchange,
    Lookup,
    Unit,
    base_id,
    exported_digest,
    has_markup,
    normalized,
    read_po,
    sentence_pairs,
    tagged,
    unit_ids,
)
from ..limits import MAX_EXCHANGE, check_exchange, read_file, too_long
from ..markdown.blocks import block_shape
from ..markdown.render import make_verifier
from ..memory import PEOPLE, Memory
from ..provenance import confidence_text, confidences, diff_segments, segment_digests
from ..survey import Survey, shown
from ..translate import keep_heading_ids, reset, untranslated_share
from ..verdicts import Current, Page, Verdict, judge, page_now
from ..write import digest
from ..xliff import read_xliff
from .translate import Run, TranslateOptions


@dataclass
class ImportReport:
    """What an import did: the translate report of the writes, and the units."""

    outcomes: list = field(default_factory=list)
    #: units refused, in conflict or stale, pages and files left out: each with its place
    problems: list[Problem] = field(default_factory=list)
    applied: int = 0
    stale: int = 0
    #: units refused: broken, too long, in conflict with a person's words, approving older text
    rejected: int = 0
    #: machine drafts nobody changed: nothing to import
    drafts: int = 0
    #: catalog entries that match no segment of the site
    unmatched: int = 0
    #: pairs put into the translation memory
    remembered: int = 0
    #: files that could not be read; pages or files left out (changed meanwhile, not in the site...)
    unreadable: int = 0
    skipped: int = 0

    @property
    def failed(self) -> int:
        """Files that failed: pages that could not be written, and exchange files that could not be read."""
        return sum(1 for o in self.outcomes if o.action == "failed") + self.unreadable

    def refuse(self, where: str, message: str, severity: str = "error") -> None:
        self.rejected += 1
        self.problems.append(Problem(where, None, message, severity))


def run_import(files: Sequence[str | Path], to: str | None = None, *, paths: Sequence[str | Path] = (),
               force: bool = False, status: str = "reviewed", fuzzy: bool = False) -> ImportReport:
    """Write the translations that ``files`` hold into the site's siblings."""
    if status not in ("reviewed", "edited"):
        raise ConfigError("--as must be reviewed or edited")
    report = ImportReport()
    groups: dict[tuple[str, str], tuple[Exchange, list[str]]] = {}
    wanted = Survey(paths, to).targets[0] if to else None
    for name in files:  # every file read, and its language checked, before anything is written
        path = Path(name)
        where = shown(path)
        try:
            data = read_file(path, MAX_EXCHANGE)
            check_exchange(len(data), where)
            exchange = read_xliff(data, where) if _is_xliff(path, data) else read_po(data, where)
        except OSError as exc:
            report.problems.append(Problem(where, None, f"cannot be read ({exc.strerror}); not imported", "error"))
            report.unreadable += 1
            continue
        except ContentError as exc:
            report.problems.append(exc.problem(where))
            report.unreadable += 1
            continue
        lang = _language(exchange, where, wanted, paths, force, report)
        if lang is None:
            continue
        _read_problems(exchange, where, fuzzy, report)
        # every file of one language and format is one import: catalogs need not say which page they are for
        group, names = groups.setdefault((exchange.format, lang), (Exchange(exchange.source_lang, lang,
                                                                           format=exchange.format), []))
        group.source_lang = group.source_lang or exchange.source_lang
        group.files.extend(exchange.files)
        group.plurals += exchange.plurals
        names.append(where)
    for (_fmt, lang), (exchange, names) in groups.items():
        where = ", ".join(names) if len(names) < 4 else f"{len(names)} files"
        _Import(exchange, where, lang, paths, force, status, fuzzy, report).run()
    return report


def import_exchange(exchange: Exchange, where: str, lang: str, paths: Sequence[str | Path] = (), *,
                    force: bool = False, status: str = "reviewed", report: ImportReport | None = None) -> ImportReport:
    """One language's units (read from a file, or made by ``l10n serve`` from a person's
    edit) written into the siblings of the articles under ``paths``: the same judging,
    writer, lock and records as ``l10n import``. ``where`` names them in messages."""
    report = report if report is not None else ImportReport()
    _Import(exchange, where, lang, paths, force, status, False, report).run()
    return report


def _is_xliff(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".xlf", ".xliff"):
        return True
    if path.suffix.lower() in (".po", ".pot"):
        return False
    return data.lstrip()[:200].startswith(b"<?xml") or b"<xliff" in data[:500]


def _language(exchange: Exchange, where: str, wanted: str | None, paths, force: bool,
              report: ImportReport) -> str | None:
    """The site key of the language a file is imported into: ``--to``, else the file's
    own. A file that says another language than ``--to`` is left out unless --force."""
    said = {exchange.target_lang} | {f.target for f in exchange.files if f.target}
    said.discard("")
    if wanted is None:
        if not said:
            raise ConfigError(f"{where}: the file names no target language; give --to")
        if len(said) > 1:
            raise ConfigError(f"{where}: the file is for several languages ({', '.join(sorted(said))}); "
                              "import each language's own file, or give --to")
        try:
            return Survey(paths, said.pop()).targets[0]
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc.message}") from None
    survey = Survey(paths, wanted)
    other = sorted(lang for lang in said if survey.cfg.key(lang) != wanted)
    if other and not force:
        report.problems.append(Problem(where, None, f"the file is a translation into {', '.join(other)}, not "
                                       f"{wanted}: not imported (import --force writes it into {wanted})", "error"))
        report.skipped += 1
        return None
    if other:
        report.problems.append(Problem(where, None, f"the file says {', '.join(other)}; imported into {wanted} as "
                                       "--force asks", "warning"))
    return wanted


def _read_problems(exchange: Exchange, where: str, fuzzy: bool, report: ImportReport) -> None:
    """What is wrong with a file as a whole, or with units that can match nothing."""
    units = [u for f in exchange.files for u in f.units]
    for unit in units:
        if unit.error and (not unit.id or "given to two units" in unit.error):
            report.refuse(f"{where}:{unit.where}" if unit.where else where, f"unit {unit.id or '(no id)'} not "
                          f"imported: {unit.error}")
    if exchange.plurals:
        report.problems.append(Problem(where, None, f"{exchange.plurals} plural message{'s' * (exchange.plurals != 1)}"
                                       " left out: a page has no plural forms (UI strings belong in l10n catalog)",
                                       "warning"))
        report.skipped += 1
    if exchange.format == "po" and units and not fuzzy and all(u.fuzzy for u in units if u.target):
        report.problems.append(Problem(where, None, "every translation in it is fuzzy (a draft); --fuzzy "
                                       "imports them where no person's translation is", "warning"))
        report.skipped += 1
    if not units and not exchange.plurals:
        report.problems.append(Problem(where, None, "it holds no translation unit", "warning"))
        report.skipped += 1


class _Import:
    """One language's import over a site: page by page, unit by unit."""

    def __init__(self, exchange: Exchange, where: str, lang: str, paths, force: bool, status: str, fuzzy: bool,
                 report: ImportReport):
        self.exchange, self.where, self.force, self.status, self.fuzzy = exchange, where, force, status, fuzzy
        self.report = report
        self.survey = Survey(paths, lang)
        self.lang = self.survey.targets[0]
        people = Chosen({self.lang: (CopyEngine(), "person")})  # what no unit gives stays the page's, or the source's
        self.run_ = Run(TranslateOptions(paths=tuple(paths), to=(self.lang,), force=True), self.survey, people, None)
        self.run_.markdown = self.survey.cfg.markdown_options(self.lang)  # units as this language's export read it
        self.lookup = Lookup(exchange, fuzzy)
        self.xliff = exchange.format == "xliff"
        self._doc: Document | None = None
        self.now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def run(self) -> None:
        survey, lookup = self.survey, self.lookup
        touched: set[str] = set()
        try:
            for article, lay in survey.articles:
                key = survey.key(article.source)
                if self.xliff and key not in lookup.by_file:
                    continue
                touched.add(key)
                job = self.run_.decide(article, lay)
                if job is None or job.doc is None or self.lang not in job.make:
                    continue
                target = job.make[self.lang][0]
                job.make[self.lang] = (target, f"imported from {self.where}")
                self._doc = job.doc
                try:
                    self.page(job, article, target)
                finally:
                    reset([job.doc])
        finally:
            self.run_.close()
            self.run_.save()
        report = self.report
        if self.xliff:
            for original in sorted(set(lookup.by_file) - touched):
                report.problems.append(Problem(self.where, None, f"{original}: no such article in the site "
                                               f"(its {len(lookup.by_file[original])} units are not imported)",
                                               "warning"))
                report.skipped += 1
        else:
            report.unmatched += sum(1 for f in self.exchange.files for u in f.units
                                    if u.target and normalized(u.source) not in lookup.used | lookup.unwanted
                                    and not (u.fuzzy and not self.fuzzy))
        report.remembered += self.remember()
        report.outcomes.extend(self.run_.report.outcomes)
        report.problems.extend(self.run_.report.notices)

    # -- one page ------------------------------------------------------------

    def page(self, job, article, target: Path) -> None:
        survey, lang, report = self.survey, self.lang, self.report
        doc: Document = job.doc
        raw = job.seen.get(lang)
        record = survey.state.targets.get(survey.key(target))
        theirs = None
        if raw is not None:
            try:
                theirs = survey.parse(target, raw)
            except L10nError as exc:
                job.make.pop(lang)
                self.run_.outcome(target, "skipped", lang=lang, source=str(article.source),
                                  reason=f"cannot be read ({exc.message}); not imported")
                report.skipped += 1
                self.run_.write(job)
                return
        page = page_now(doc, job.key, theirs, raw, record, target, survey.options)
        ids = unit_ids(doc)
        units = self.units_for(ids, job.key)
        verify = make_verifier(doc.env)
        # every segment starts as the page has it; children (a link's title) before their holders
        for index, (_uid, seg) in enumerate(ids):
            if index in page.current:
                seg.rendered, seg.outcome = page.current[index].seg.original, "kept"
        children = {id(child) for _uid, seg in ids for child in seg.children()}
        order = sorted(range(len(ids)), key=lambda i: id(ids[i][1]) not in children)
        index_of = {id(seg): i for i, (_uid, seg) in enumerate(ids)}
        applied: dict[int, str] = {}  # index -> whose words: "reviewed" or "edited"
        values: dict[int, list] = {}  # index -> a value's translation in parts (applying.plain_of)
        # a page is changed in place, every other byte kept; only a new page, or a machine
        # page that lacks segments the file translates (its source changed), is made afresh
        in_place = page.doc is not None and (not page.machine or all(i in page.current for i in units))
        for index in order:
            uid, seg = ids[index]
            unit = units.get(index)
            if unit is None:
                continue
            current = page.current.get(index)
            if current is None and in_place:
                if (unit.target or "").strip():
                    report.refuse(self.at(unit), f"unit {unit.id or uid} ({shown(target)}): the page has no segment "
                                  "for it (its structure is not its source's): not imported")
                continue
            verdict = judge(unit, current, xliff=self.xliff, as_is=page.as_is, force=self.force, fuzzy=self.fuzzy,
                            status=self.status)
            self.act(verdict, unit, uid, seg, current, target, verify, applied, values, index)
            if not self.xliff and index in applied:  # a message's Markdown holds its link titles and parameters
                for child in seg.children():
                    applied.setdefault(index_of[id(child)], applied[index])
        if not in_place:
            self.around_children(ids, page, applied, verify, target)
        if not self.xliff and page.doc is None and applied:
            wordy = sum(1 for _uid, seg in ids if seg.text.strip())
            if 2 * len(applied) < wordy:  # a catalog that matches a few lines of a page makes no new page of it
                report.problems.append(Problem(shown(article.source), None, f"the catalogs translate {len(applied)} "
                                               f"of its {wordy} segments: no {lang} page made of it", "warning"))
                report.skipped += 1
                applied.clear()
        if not applied:
            job.make.pop(lang)
            if units:
                self.run_.outcome(target, "unchanged" if raw is not None else "skipped", lang=lang,
                                  source=str(article.source), reason="no unit holds a person's new translation"
                                  if raw is not None else "not made: no unit holds a person's translation")
            self.run_.write(job)
            return
        made = self.compose(job, ids, page, applied, values, target, in_place)
        if made is None:
            job.make.pop(lang)
            self.run_.write(job)
            return
        job.made[lang] = made
        job.languages.add(lang)
        if untranslated_share(doc) >= UNTRANSLATED_SHARE and not in_place:
            job.extra.setdefault(lang, {})["untranslated"] = True
        job.extra.setdefault(lang, {}).update(self.fields(job, ids, page, applied, target))
        written = len(self.run_.report.outcomes)
        self.run_.write(job)
        if any(o.path == shown(target) and o.role == "translation" and o.action in ("created", "updated", "unchanged")
               for o in self.run_.report.outcomes[written:]):
            report.applied += sum(1 for i in applied if ids[i][1].outcome != "approved")
            self.record_segments(target)

    def units_for(self, ids, key: str) -> dict[int, Unit]:
        """The unit of each segment (by index): XLIFF by id (units of an older source
        matched to the segment that took their place, with --force), PO by message."""
        if not self.xliff:
            return {i: u for i, (uid, seg) in enumerate(ids) if (u := self.lookup.po_unit(seg, uid, key)) is not None}
        units = self.lookup.by_file.get(key, {})
        found = {i: units[uid] for i, (uid, _seg) in enumerate(ids) if uid in units}
        present = {uid for uid, _seg in ids}
        old = [u for u in units.values() if u.id not in present and (u.target or "").strip()]
        if old:
            order = list(units.values())
            diff = diff_segments([base_id(u.id) for u in order], [base_id(uid) for uid, _seg in ids])
            matched = {id(order[i]): j for i, j in diff.replaced if order[i].id not in present}
            for unit in old:
                j = matched.get(id(unit))
                if self.force and j is not None and j not in found:
                    # a translation of the older source: a person's words for the segment in its place
                    found[j] = replace(unit, source=tagged(ids[j][1])[0], exported=None, page=None)
                    continue
                self.report.stale += 1
                hint = "import --force applies it to the segment in its place" if j is not None else "its segment is gone"
                self.report.problems.append(Problem(self.at(unit), None, f"unit {unit.id}: its source changed since the "
                                                    f"export; not imported ({hint})", "warning"))
        return found

    def act(self, verdict: Verdict, unit: Unit, uid: str, seg: Segment, current: Current | None, target: Path,
            verify, applied: dict[int, str], values: dict[int, list], index: int) -> None:
        """Carry out a verdict on the segment: render the unit's text into it, or say why not."""
        report = self.report
        where = f"unit {unit.id or uid} ({shown(target)}:{seg.line})"
        if verdict.action == "draft":
            report.drafts += 1
            self.lookup.unwanted.add(normalized(unit.source))
        elif verdict.action in ("refused", "conflict", "moved"):
            report.refuse(self.at(unit), f"{where} not imported: {verdict.why}",
                          "warning" if verdict.action == "moved" else "error")
            self.lookup.unwanted.add(normalized(unit.source))
        elif verdict.action == "approve":
            if current is None or current.tier != "reviewed" or verdict.tier != "reviewed":
                applied[index] = verdict.tier
                seg.outcome = "approved"
        elif verdict.action == "apply":
            text = unit.target or ""
            why = wordless(seg, text)
            if why is None and has_markup(seg):
                why = apply_tagged(seg, text, verify) if self.xliff else apply_markdown(seg, text,
                                                                                        kept_id(self._doc, seg))
            elif why is None:
                why = codes_kept(seg, text) if self.xliff else None
                if why is None:
                    values[index] = plain_of(seg, text, self.xliff)
                    apply_value(seg, values[index])
            if why:
                report.refuse(self.at(unit), f"{where} not imported: {why}")
                self.lookup.unwanted.add(normalized(unit.source))
                seg.rendered, seg.outcome = (current.seg.original, "kept") if current else (None, "")
            else:
                applied[index] = verdict.tier

    def at(self, unit: Unit) -> str:
        return f"{self.where}:{unit.where}" if unit.where and "," not in self.where else self.where

    # -- the page written ------------------------------------------------------

    def around_children(self, ids, page: Page, applied: dict[int, str], verify, target: Path) -> None:
        """A page made afresh: a paragraph whose link title or parameter a unit changed,
        and which keeps its own text, is rendered again around it."""
        for index, (uid, seg) in enumerate(ids):
            if index in applied or index not in page.current:
                continue
            kids = [i for i, (_u, s) in enumerate(ids) if i in applied and any(s is c for c in seg.children())]
            if not kids:
                continue
            current = page.current[index]
            form = current.tagged if self.xliff else current.markdown
            if form is not None and (apply_tagged(seg, form, verify) if self.xliff else apply_markdown(seg, form)) is None:
                continue
            seg.rendered, seg.outcome = current.seg.original, "kept"
            for i in kids:
                self.report.refuse(self.where, f"unit {ids[i][0]} ({shown(target)}:{ids[i][1].line}) not imported: "
                                   "the page's text around it is not its source's; change it there")
                applied.pop(i)

    def compose(self, job, ids, page: Page, applied: dict[int, str], values: dict[int, list],
                target: Path, in_place: bool) -> list | None:
        """The page's new parts: a page changed in place, only in the segments applied,
        every other byte kept; else made from its source. A unit that would change the
        page's blocks is refused alone, and the others applied."""
        doc = job.doc
        keep_heading_ids(doc)
        if in_place:
            assert page.doc is not None
            written = page.doc
            for index in applied:
                s, t = ids[index][1], page.current[index].seg
                if index in values:
                    apply_value(t, values[index])
                elif s.rendered != t.original:
                    t.rendered = s.rendered
            before = job.seen.get(self.lang) or b""
        else:
            written = doc
            before = job.raw
        shown_as = {index: (page.current[index].seg if in_place else ids[index][1]) for index in applied}
        old = {index: (seg.rendered, seg.outcome) for index, seg in shown_as.items()}
        previous = {index: (None if in_place else self.before(page, index)) for index in applied}
        shape = block_shape(before.decode("utf-8", "replace"), self.survey.options)

        def broken(only: set[int] | None = None) -> bool:
            for index, seg in shown_as.items():
                seg.rendered = old[index][0] if only is None or index in only else previous[index]
            return block_shape(_joined(written.parts), self.survey.options) != shape

        if broken():
            culprits = [index for index in applied if broken({index})] or list(applied)
            for index in culprits:
                self.report.refuse(self.where, f"unit {ids[index][0]} ({shown(target)}:{ids[index][1].line}) not "
                                   "imported: it would change the page's block structure")
                applied.pop(index)
            if not applied or broken(set(applied)):
                return None
        broken(set(applied))
        made = [p if isinstance(p, (str, Field)) else p.render() for p in written.parts]
        self.code_blocks(job, made, written.parts, target)
        return made

    def before(self, page: Page, index: int) -> str | None:
        """A segment's text before the import: the page's, else None (the source's)."""
        current = page.current.get(index)
        return current.seg.original if current is not None else None

    def code_blocks(self, job, made: list, parts: list, target: Path) -> None:
        """A catalog's translations of whole code blocks, in the untouched parts of the page
        (po4a gives each code block a message): a block a person translated in the page
        stays theirs unless --force. A translation may change words only: no fence,
        shortcode or tag of its own."""
        if self.xliff or not self.lookup.code:
            return
        page = job.seen.get(self.lang)
        # the page's blocks a person translated: their text there, by the source's
        kept = kept_code(job.raw.decode("utf-8", "replace"), page.decode("utf-8", "replace")) if page else {}
        in_place = parts is not job.doc.parts
        code: dict[str, str] = {} if in_place else dict(kept)
        for content, translation in self.lookup.code.items():
            theirs = kept.get(content)
            if theirs is not None and theirs != translation and not self.force:
                self.report.refuse(self.where, f"{shown(target)}: the catalog's translation of the code block at "
                                   f"{content.splitlines()[0][:40]!r} not imported: a person translated it in the "
                                   "page (import --force puts the catalog's in its place)")
                self.lookup.unwanted.add(normalized(content))
                continue
            code[theirs if in_place and theirs is not None else content] = translation
        for k, text in enumerate(made):
            if isinstance(parts[k], str) and isinstance(text, str):
                made[k], done, refused = translate_code(text, code)
                done = [c for c in done if c in self.lookup.code or c in kept.values()]
                self.report.applied += len(done)
                self.lookup.used.update(normalized(c) for c in done)
                for why, content in refused:
                    self.report.refuse(self.where, f"{shown(target)}: not imported: {why}")
                    self.lookup.unwanted.add(normalized(content))

    def fields(self, job, ids, page: Page, applied: dict[int, str], target: Path) -> dict:
        """What the record of the imported page says: reviewed when every segment with
        words is a person's approved one (and --as reviewed); else a person's translation
        not yet approved, its machine segments named. Segments still translating an older
        source keep that source's digest, so the page stays stale until they are done."""
        tiers = {i: c.tier for i, c in page.current.items()}
        tiers.update(applied)
        if self.status == "edited":
            tiers = {i: ("edited" if t else "") for i, t in tiers.items()}
        machine = [seg.digest() for i, (_uid, seg) in enumerate(ids) if not tiers.get(i) and seg.text.strip()]
        old = self.older(target, ids, page)
        fields: dict = {"engine": "person", "previous": {}, "confidence": self.confidence(target, ids, tiers)}
        if not machine and not old and all(tiers.get(i) == "reviewed" for i, (_u, s) in enumerate(ids)
                                           if s.text.strip()):
            fields.update(reviewed=self.now, merged=None)
        else:
            fields.update(reviewed="", merged={"kept": sum(1 for t in tiers.values() if t), "machine": machine})
        if old:
            record = self.survey.state.targets.get(self.survey.key(target))
            digests = [seg.digest() for _uid, seg in ids]
            for index, digest_then in old.items():
                digests[index] = digest_then
            fields["segments"] = digests
            if record is not None:
                fields["source_sha"] = record.source_sha
        return fields

    def confidence(self, target: Path, ids, tiers: dict[int, str]) -> str:
        """The engine's confidence in the segments that stay the machine's (a person's have none)."""
        record = self.survey.state.targets.get(self.survey.key(target))
        scores = confidences(record)
        if record is None or len(scores) != len(record.segments):
            return ""
        by_digest: dict[str, list[int | None]] = {}
        for digest_then, score in zip(record.segments, scores):
            by_digest.setdefault(digest_then, []).append(score)
        out: list[float | None] = []
        for index, (_uid, seg) in enumerate(ids):
            found = by_digest.get(seg.digest())
            score = found.pop(0) if found else None
            out.append(None if tiers.get(index) or score is None else score / 100)
        return confidence_text(out)

    def older(self, target: Path, ids, page: Page) -> dict[int, str]:
        """Segments whose page text translates an older source (index -> its digest then)."""
        record = self.survey.state.targets.get(self.survey.key(target)) if page.doc is not None else None
        if record is None or not record.segments:
            return {}
        diff = diff_segments(record.segments, [seg.digest() for _uid, seg in ids])
        return {j: record.segments[i] for i, j in diff.replaced if j in page.current}

    def record_segments(self, target: Path) -> None:
        """The written translation's own segments, for telling a person's later edits apart."""
        survey = self.survey
        key = survey.key(target)
        record = survey.state.targets.get(key)
        try:
            raw = read_file(target)
            written = survey.parse(target, raw)
        except (OSError, L10nError):
            return
        if record is not None and record.raw == digest(raw):
            survey.state.set_target(key, replace(record, target_segments=segment_digests(written)))

    def remember(self) -> int:
        """A catalog's people's pairs into the translation memory, sentence by sentence:
        what import did not place is still offered to the engine run; nothing refused,
        in conflict, or left as a draft."""
        if self.xliff:
            return 0
        units = [u for f in self.exchange.files for u in f.units
                 if normalized(u.source) not in self.lookup.unwanted and not u.fuzzy and not u.error
                 and not (u.exported is not None and u.exported == exported_digest(u.target))
                 and not too_long(u.source, u.target or "")]
        pairs = sentence_pairs(units)
        if not pairs:
            return 0
        survey = self.survey
        try:
            memory = Memory(survey.cfg.state_dir / "memory.sqlite", survey.site)
        except L10nError:
            return 0
        try:
            key = PEOPLE + (self.exchange.source_lang or survey.cfg.code(survey.cfg.source_key), survey.cfg.code(self.lang))
            memory.store(key, [(s, t, None, None) for s, t in dict(pairs).items() if s.strip() and t.strip()])
            return 0 if memory.failed else len(dict(pairs))
        finally:
            memory.close()


def _joined(parts: list) -> str:
    return "".join(p if isinstance(p, str) else p.render() for p in parts)

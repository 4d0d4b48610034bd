"""What ``l10n serve`` does to a site: pages listed, one page's segments, an edit, an approval, an accepted finding.

The review desk is a library: ``commands.serve`` puts it on HTTP. Reading
is cheap: the list of pages is judged from provenance hashes (as ``l10n
status``), with the findings ``l10n build`` or an opened page recorded, and
judged again when a state file changes. Writing goes through the command line's
own paths, so the desk adds no writer of its own: an edit or a segment's
approval is one XLIFF unit given to ``l10n import``'s judging, writer, lock
and records (``commands.exchange.import_exchange``); a page's approval is
``l10n review --approve``'s; an accepted finding is ``l10n check --accept``'s.
A segment a person's tab saw is the only one its edit may replace: one that
changed since the tab loaded it is refused, never overwritten.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..checks import ERROR, Finding, context_for, examine
from ..content import Article, Layout
from ..detect import Detector
from ..errors import L10nError
from ..exchange import TAG, Exchange, FileUnits, Unit, exported_digest, tagged, tagged_like, unit_ids
from ..markdown import plain
from ..markdown.blocks import read_bytes
from ..memory import Memory, existing, similar_for
from ..survey import STATUSES, Survey, shown
from ..write import digest
from .check import accept_findings, check_settings, check_stamp, recorded_findings
from .exchange import import_exchange
from .review import Item, approve, mark_changes

#: The states a page can be listed by: status's (a translation whose source is gone is an orphan).
STATES = STATUSES
#: Pages per answer of the list.
PAGE_SIZE = 100
#: Seconds between two looks at the state files (a stat each) for changes of other runs.
LOOK_EVERY = 2.0


@dataclass
class Row:
    """One page in one language, as the list shows it."""

    source: str
    target: str
    lang: str
    status: str
    detail: str = ""
    words: int = 0
    confidence: int | None = None
    #: Check findings recorded for the page as it is (None: not checked yet), accepted ones aside.
    errors: int | None = None
    warnings: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Answer:
    """What a write did: done or not, and why, in a sentence."""

    ok: bool
    message: str
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "message": self.message, "problems": self.problems}


class Desk:
    """A site's pages under review, for ``l10n serve``."""

    def __init__(self, paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None):
        self.paths = tuple(paths)
        self.to = to
        self.survey = Survey(paths, to, orphans=True)
        self.targets = list(self.survey.targets)
        self._rows: list[Row] | None = None
        self._looked = 0.0
        self._opened = True
        self._stamp: tuple = ()
        self._articles: dict[str, tuple[Article, Layout]] = {}
        self._lock = threading.RLock()
        self._detector: Detector | None = None

    # -- the list ---------------------------------------------------------------

    def rows(self, fresh: bool = False) -> list[Row]:
        """Every page in every target language; judged again when the state file changed."""
        with self._lock:
            if self._rows is not None and not fresh and time.monotonic() - self._looked < LOOK_EVERY:
                return self._rows
            stamp = self._state_stamp()
            self._looked = time.monotonic()
            if self._rows is None or fresh or stamp != self._stamp:
                if not self._opened:  # the survey opened at the start is read once, then afresh
                    self.survey = Survey(self.paths, self.to, orphans=True)
                self._opened = False
                self._stamp = stamp
                self._rows = self._judge()
            return self._rows

    def _state_stamp(self) -> tuple:
        """What the state files say of their last change: how many, the latest change, the
        bytes (a stat each: 10,000 pages cost tens of milliseconds)."""
        count = latest = size = 0
        for folder, _dirs, names in os.walk(self.survey.state.path):
            for name in names:
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                count, latest, size = count + 1, max(latest, st.st_mtime_ns), size + st.st_size
        return (count, latest, size)

    def _judge(self) -> list[Row]:
        survey = self.survey
        settings = check_settings(survey)
        rows: list[Row] = []
        self._articles = {}
        for article, lay in survey.articles:
            key = survey.key(article.source)
            if article.orphan_of is not None:
                record = survey.state.targets.get(key)
                rows.append(Row(shown(article.orphan_of), shown(article.source), record.lang if record else "",
                                "orphan", f"its source {shown(article.orphan_of)} no longer exists"))
                continue
            self._articles[key] = (article, lay)
            try:
                src = survey.source(article)
            except L10nError as exc:
                survey.fail(article.source, exc)
                continue
            for lang, target in survey.translations(article, lay, src.lang):
                try:
                    cell = survey.cell(article, src, lang, target)
                except L10nError as exc:
                    survey.fail(target, exc)
                    continue
                row = Row(cell.source, cell.target, lang, cell.status, cell.detail, cell.words, cell.confidence)
                record = survey.state.targets.get(survey.key(target))
                if record is not None and record.check and cell.status != "missing":
                    found = recorded_findings(record, check_stamp(survey, article.source, target, settings))
                    if found is not None:
                        live = [f for f in found if f[4] not in set(record.accepted)]
                        row.errors = sum(1 for f in live if f[1] == ERROR)
                        row.warnings = len(live) - row.errors
                rows.append(row)
        return rows

    def listing(self, lang: str = "", state: str = "", findings: bool = False, query: str = "", sort: str = "path",
                offset: int = 0, limit: int = PAGE_SIZE, fresh: bool = False) -> dict[str, Any]:
        """One screenful of the list: the pages of a language in a state, with findings,
        whose path holds ``query``; by path, or weakest confidence first."""
        rows = self.rows(fresh)
        chosen = [r for r in rows if (not lang or r.lang == lang) and (not state or r.status == state)
                  and (not findings or r.errors or r.warnings) and (not query or query.lower() in
                                                                   (r.source + " " + r.target).lower())]
        if sort == "weakest":
            chosen.sort(key=lambda r: (r.confidence is None, r.confidence or 0, r.source))
        counts: dict[str, int] = {}
        for r in rows:
            if not lang or r.lang == lang:
                counts[r.status] = counts.get(r.status, 0) + 1
        offset, limit = max(0, offset), max(1, min(limit, 1000))
        return {"total": len(chosen), "offset": offset, "rows": [r.to_dict() for r in chosen[offset : offset + limit]],
                "counts": counts, "languages": self.targets, "states": list(STATES),
                "errors": [p.format() for p in self.survey.errors[:20]]}

    # -- one page ---------------------------------------------------------------

    def item(self, source: str, lang: str) -> Item:
        """A page's translation examined beside its source (an L10nError when there is none)."""
        return self._examined(source, lang)[0]

    def _examined(self, source: str, lang: str) -> tuple[Item, bytes]:
        """The item, and the bytes of the translation it examined (its version is theirs)."""
        self.rows()
        with self._lock:
            found = self._articles.get(source)
            survey = self.survey
        if found is None or lang not in self.targets:
            raise L10nError(f"{source} in {lang}: no such page in this site (reload the list)")
        article, lay = found
        src = survey.source(article, parse=True)
        target = lay.target(article, lang)
        cell = survey.cell(article, src, lang, target)
        if cell.status == "missing":
            raise L10nError(f"{shown(target)} does not exist yet: l10n translate makes a draft to review")
        raw = read_bytes(target)
        doc = survey.parse(target, raw)
        assert src.doc is not None
        if self._detector is None:
            self._detector = Detector()
        exam = examine(src.doc, doc, context_for(survey.cfg, src.lang, lang), shown(target), self._detector)
        item = Item(cell, src, target, src.lang, exam)
        record = survey.state.targets.get(survey.key(target))
        if record is not None:
            mark_changes(item, record)
        return item, raw

    def page(self, source: str, lang: str) -> dict[str, Any]:
        """A page's segments side by side, for the browser: tagged text as parts, findings,
        notes, suggestions, confidence, and what each segment holds now (``seen``)."""
        item, raw = self._examined(source, lang)  # the version of the very bytes the segments show
        survey = self.survey
        assert item.source.doc is not None
        ids = {id(seg): uid for uid, seg in unit_ids(item.source.doc)}
        memory = existing(survey.cfg.state_dir / "memory.sqlite", survey.site)
        try:
            segments = [self._segment(item, index, pair, ids, memory) for index, pair in enumerate(item.exam.pairs)]
        finally:
            if memory is not None:
                memory.close()
        cell = item.cell
        return {"source": item.source.key, "lang": lang, "source_path": cell.source, "target": cell.target,
                "source_lang": item.source_lang, "status": cell.status, "detail": cell.detail,
                "confidence": item.weakest, "version": digest(raw), "segments": segments,
                "findings": [_finding(f, item) for f in item.exam.findings]}

    def _segment(self, item: Item, index: int, pair, ids: dict[int, str], memory: Memory | None) -> dict[str, Any]:
        src, tgt = pair.source, pair.target
        out: dict[str, Any] = {"index": index, "label": pair.label(), "kind": (src or tgt).kind,
                               "uid": ids.get(id(src)) if src is not None else None,
                               "stale": index in item.stale, "machine": index in item.machine,
                               "previous": item.previous.get(index), "confidence": item.confidence.get(index),
                               "findings": [_finding(f, item) for f in pair.findings],
                               "seen": exported_digest(tgt.original if tgt is not None else ""),
                               "source": None, "target": None, "text": None, "editable": False, "why": "",
                               "matches": []}
        if src is not None:
            sent, codes = tagged(src)
            out["source"] = _parts(sent, codes)
        if tgt is not None:
            out["text"] = tgt.original
        if src is None or tgt is None or out["uid"] is None:
            out["why"] = "no segment of the source or the translation to pair it with: change the page's structure in the file"
            return out
        current = tagged_like(src, tgt)
        if current is None:
            out["why"] = "its markup is not the source's (a person changed it): edit it in the file"
            return out
        sent, codes = tagged(src)
        out["target"] = _parts(current, codes)
        out["editable"] = True
        if memory is not None and src.text:
            codes_of = (self.survey.cfg.code(item.source_lang), self.survey.cfg.code(item.cell.lang))
            form = plain.plain(src)
            out["matches"] = [{"score": score, "source": _named(form, text),
                               "target": _parts(_suggested(src, translation), codes)}
                              for score, text, translation in _suggestions(memory, src, tgt, *codes_of)]
        return out

    # -- writes -----------------------------------------------------------------

    def edit(self, source: str, lang: str, uid: str, text: str, seen: str, approve_it: bool = False) -> Answer:
        """A person's translation of one segment, as a unit given to import: refused when the
        segment changed since the tab loaded it (``seen``), or when its codes are not the
        source's; recorded as a person's (``approve_it``: approved)."""
        with self._lock:
            found = self._segment_now(source, lang, uid)
            if isinstance(found, Answer):
                return found
            item, pair = found
            if exported_digest(pair.target.original) != seen:
                return Answer(False, "this segment changed since you loaded it (another tab, or a run of l10n): "
                                     "reload the page; your text is still in the editor")
            shown_as = tagged_like(pair.source, pair.target)
            if shown_as is None:  # the page shows it, not an editor: its markup is a person's own
                return Answer(False, "its markup is not the source's (a person changed it): edit it in the file")
            unit = Unit(uid, tagged(pair.source)[0], text, state="signed-off" if approve_it else "translated",
                        exported=exported_digest(shown_as), page=seen)
            if text == shown_as:
                if not approve_it:
                    return Answer(True, "nothing changed")
            return self._import(item, lang, unit, "reviewed" if approve_it else "edited")

    def approve_segment(self, source: str, lang: str, uid: str, seen: str) -> Answer:
        """A segment approved as it is: a person's words from now on."""
        with self._lock:
            found = self._segment_now(source, lang, uid)
            if isinstance(found, Answer):
                return found
            item, pair = found
            shown_as = tagged_like(pair.source, pair.target)
            if shown_as is None:
                return Answer(False, "its markup is not the source's: approve the whole page instead")
            return self.edit(source, lang, uid, shown_as, seen, approve_it=True)

    def approve_page(self, source: str, lang: str, version: str) -> Answer:
        """The page approved as it is, as ``l10n review --approve`` does (no --force)."""
        with self._lock:
            item = self._item_now(source, lang)
            if isinstance(item, Answer):
                return item
            if digest(read_bytes(item.path)) != version:
                return Answer(False, "the page changed since you loaded it: reload it, look again, then approve")
            survey = Survey([item.path], lang)
            survey.articles  # noqa: B018 - reads the page's records
            done = approve(survey, [item], versions={item.path: version})
            self._rows = None
            ok = all(approved for _path, approved, _why in done)
            return Answer(ok, "approved" if ok else "; ".join(why for _p, a, why in done if not a))

    def accept(self, source: str, lang: str, finding_id: str) -> Answer:
        """A finding of the page accepted, as ``l10n check --accept`` does."""
        with self._lock:
            item = self._item_now(source, lang)
            if isinstance(item, Answer):
                return item
            found = [f for f in item.exam.all() if f.id == finding_id]
            if not found:
                return Answer(False, "that finding is no longer there (the text changed): reload the page")
            survey = Survey([item.path], lang)
            why = accept_findings(survey, item.path, found)
            if why is None:
                survey.state.save()
                if survey.state.superseded:
                    why = "the page changed while it was being accepted: reload it"
            self._rows = None
            return Answer(why is None, why or f"accepted: {found[0].message}")

    def _item_now(self, source: str, lang: str) -> Item | Answer:
        """The page as it is now, or an Answer saying why there is none."""
        try:
            return self.item(source, lang)
        except L10nError as exc:
            return Answer(False, exc.message)

    def _segment_now(self, source: str, lang: str, uid: str):
        """The page's item and the pair of the source segment ``uid``, or an Answer saying why not."""
        item = self._item_now(source, lang)
        if isinstance(item, Answer):
            return item
        assert item.source.doc is not None
        seg = dict(unit_ids(item.source.doc)).get(uid)
        pair = next((p for p in item.exam.pairs if seg is not None and p.source is seg), None)
        if pair is None or pair.target is None:
            return Answer(False, "that segment is no longer in the page (its source changed): reload the page")
        return item, pair

    def _import(self, item: Item, lang: str, unit: Unit, status: str) -> Answer:
        survey = self.survey
        cfg = survey.cfg
        file = FileUnits(item.source.key, [unit], survey.key(item.path), cfg.code(item.source_lang))
        exchange = Exchange(cfg.code(item.source_lang), cfg.code(lang), [file], "xliff")
        report = import_exchange(exchange, "the browser", lang, [item.source.path], status=status)
        self._rows = None
        problems = [p.message for p in report.problems if p.severity == "error"]
        failed = [o for o in report.outcomes if o.action in ("failed", "skipped") and o.role == "translation"]
        if problems or failed:
            reasons = problems + [o.reason for o in failed]
            return Answer(False, _plain_reason(reasons[0]), reasons)
        written = any(o.role == "translation" and o.action in ("created", "updated", "unchanged")
                      for o in report.outcomes)
        if not written:
            return Answer(False, "nothing was written (see the command line's l10n import for why)")
        return Answer(True, "approved" if status == "reviewed" else "saved")


def _plain_reason(message: str) -> str:
    """An import's refusal without the unit's id and place, which the page shows itself."""
    head, sep, rest = message.partition(" not imported: ")
    return rest if sep else message


def _finding(finding: Finding, item: Item) -> dict[str, Any]:
    return {"id": finding.id, "severity": finding.severity, "check": finding.check, "message": finding.message,
            "line": finding.line, "accepted": finding.id in item.accepted}


def _parts(text: str, codes: dict) -> list[dict[str, str]]:
    """Tagged text as parts for the browser: text, and tags with what they stand for."""
    out: list[dict[str, str]] = []
    pos = 0
    for m in TAG.finditer(text):
        if m.start() > pos:
            out.append({"text": text[pos : m.start()]})
        closing, kind, number, _void = m.groups()
        markup, src = codes.get((kind, int(number)), ("", ""))
        role = "void" if kind == "x" else "close" if closing else "open"
        out.append({"tag": m.group(0), "role": role, "markup": markup, "label": src[:80]})
        pos = m.end()
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def _suggestions(memory: Memory, src, tgt, source: str, target: str) -> list[tuple[int, str, str]]:
    """Close matches from the memory (language codes) that offer something else than the
    page says: not the machine's own translation of the segment or of one of its sentences."""
    own = " ".join(plain.plain(tgt).text.split())
    return [m for m in similar_for(memory, src, source, target) if " ".join(m[2].split()) not in own][:3]


def _named(form: plain.Plain, text: str) -> str:
    """A memory entry's text with its name stand-ins (``X1``) as the code they stand for."""
    for name, code in form.names.items():
        text = text.replace(name, code)
    return text


def _suggested(seg, translation: str) -> str:
    """A memory match's plain translation as the segment's tagged text: its name
    stand-ins (``X1``) as the codes they name; codes it cannot place follow at its end."""
    form = plain.plain(seg)
    sent, codes = tagged(seg)
    by_source = {src: f"<{kind}{n}/>" for (kind, n), (_markup, src) in codes.items() if kind == "x"}
    text = translation
    placed: set[str] = set()
    for name, src in form.names.items():
        tag = by_source.get(src)
        if tag is not None and tag not in placed:
            replaced = text.replace(name, tag, 1)
            if replaced != text:
                placed.add(tag)
                text = replaced
    rest = [m.group(0) for m in TAG.finditer(sent) if m.group(0) not in placed]
    return text + (" " + "".join(rest) if rest else "")

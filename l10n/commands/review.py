"""``l10n review``: source and translation side by side, and approval.

Each translation is shown segment by segment (front-matter values, headings,
paragraphs, list items, table cells), lined up with its source, with the
findings of ``l10n check`` beside each segment and the segments whose source
changed since the translation was made or reviewed marked. Output goes to the
terminal or into one self-contained HTML file in which every piece of content
is escaped. ``--approve`` records translations as reviewed in provenance.
"""

from __future__ import annotations

import html
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .. import markdown
from ..checks import ERROR, Examination, Finding, context_for, examine
from ..detect import Detector
from ..errors import L10nError, Problem, safe
from ..memory import existing, similar_for
from ..provenance import TargetRecord, approved, caught_up, confidences, diff_segments
from ..survey import Cell, Source, Survey, shown
from ..write import digest, write_atomic


@dataclass
class Item:
    """One translation under review."""

    cell: Cell
    source: Source
    path: Path
    source_lang: str
    exam: Examination
    #: Indexes of pairs whose source segment changed since the translation was made or reviewed.
    stale: set[int] = field(default_factory=set)
    #: Indexes of pairs a --merge machine-translated into a person's translation.
    machine: set[int] = field(default_factory=set)
    #: SegmentPair index -> what a person had written for that segment before its source changed.
    previous: dict[int, str] = field(default_factory=dict)
    #: SegmentPair index -> close translation-memory matches (similarity %, source, translation),
    #: for segments with no translation, an untranslated one or a changed source.
    matches: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    #: The ids of findings a person accepted (they fail nothing).
    accepted: set[str] = field(default_factory=set)
    #: SegmentPair index -> the engine's confidence in that segment, in percent.
    confidence: dict[int, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        """Check errors a person has not accepted."""
        return [f for f in self.exam.all() if f.severity == ERROR and f.id not in self.accepted]

    @property
    def weakest(self) -> int | None:
        """The weakest segment's confidence, in percent (None: none known)."""
        return min(self.confidence.values()) if self.confidence else None


@dataclass
class ReviewReport:
    items: list[Item] = field(default_factory=list)
    missing: list[Cell] = field(default_factory=list)
    #: --approve: (path, approved, why not)
    approvals: list[tuple[str, bool, str]] = field(default_factory=list)
    #: --html: the file written
    html: str | None = None
    errors: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return sum(1 for _path, ok, _why in self.approvals if not ok)


def run_review(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None, *,
               html_file: Path | None = None, approve_all: bool = False, force: bool = False,
               weakest: bool = False) -> ReviewReport:
    """Every translation under ``paths`` beside its source; with ``html_file``, as one
    HTML page; with ``approve_all``, recorded as reviewed; ``weakest``: the translations
    whose weakest segment the engine was least sure of first."""
    survey = Survey(paths, to)
    report = ReviewReport()
    report.items, report.missing = collect(survey)
    if weakest:
        report.items.sort(key=weakest_first)
    add_matches(survey, report.items)
    if html_file is not None:
        write_atomic(html_file, render_html(report.items, report.missing).encode("utf-8"), survey.confined)
        report.html = shown(html_file)
    if approve_all:
        report.approvals = approve(survey, report.items, force)
    report.errors = survey.errors
    return report


def collect(survey: Survey) -> tuple[list[Item], list[Cell]]:
    """Every existing translation in the survey, examined; and the missing ones."""
    items: list[Item] = []
    missing: list[Cell] = []
    detector = Detector()
    for article, lay, src in survey.parsed():
        assert src.doc is not None
        for lang, target in survey.translations(article, lay, src.lang):
            try:
                cell = survey.cell(article, src, lang, target)
                if cell.status == "missing":
                    missing.append(cell)
                    continue
                doc = survey.parse(target)
            except L10nError as exc:
                survey.fail(target, exc)
                continue
            exam = examine(src.doc, doc, context_for(survey.cfg, src.lang, lang), shown(target), detector)
            item = Item(cell, src, target, src.lang, exam)
            record = survey.state.targets.get(survey.key(target))
            if record is not None:
                mark_changes(item, record)
            items.append(item)
    return items, missing


def weakest_first(item: Item) -> tuple[int, int]:
    """An order of translations: the weakest segment's confidence, lowest first; none known last."""
    return (0, item.weakest) if item.weakest is not None else (1, 0)


def add_matches(survey: Survey, items: Sequence[Item]) -> None:
    """Close memory matches for the segments a person still has to translate, as CAT tools show them."""
    memory = existing(survey.cfg.state_dir / "memory.sqlite", survey.site)
    if memory is None:
        return
    try:
        for item in items:
            source, target = survey.cfg.code(item.source_lang), survey.cfg.code(item.cell.lang)
            for index, pair in enumerate(item.exam.pairs):
                if pair.source is None or not pair.source.text:
                    continue
                if pair.target is None or index in item.stale or pair.target.original == pair.source.original:
                    found = similar_for(memory, pair.source, source, target)
                    if found:
                        item.matches[index] = found
    finally:
        memory.close()


def mark_changes(item: Item, record: TargetRecord) -> None:
    """Which segments changed in the source, which a merge machine-translated, the
    engine's confidence in each, and the findings a person accepted."""
    item.accepted = set(record.accepted)
    scores = confidences(record)
    if len(scores) == len(record.segments):
        by_digest: dict[str, list[int | None]] = {}
        for digest_, score in zip(record.segments, scores):
            by_digest.setdefault(digest_, []).append(score)
        for index, pair in enumerate(item.exam.pairs):
            if pair.source is None or pair.target is None:
                continue
            found = by_digest.get(pair.source.digest())  # a source segment that changed has none
            score = found.pop(0) if found else None
            if score is not None:
                item.confidence[index] = score
    old = record.segments
    if old:
        indexes = [i for i, pair in enumerate(item.exam.pairs) if pair.source is not None]
        keys = [item.exam.pairs[i].source.digest() for i in indexes]  # type: ignore[union-attr]
        diff = diff_segments(old, keys)
        item.stale = {indexes[j] for _i, j in diff.replaced} | {indexes[j] for j in diff.added}
    machine = Counter((record.merged or {}).get("machine", ()))
    previous = record.previous
    for index, pair in enumerate(item.exam.pairs):
        if pair.source is None:
            continue
        key = pair.source.digest()
        if machine[key] > 0:
            machine[key] -= 1
            item.machine.add(index)
        if key in previous:
            item.previous[index] = str(previous[key])


def approve(survey: Survey, items: Sequence[Item], force: bool = False,
            versions: dict[Path, str] | None = None) -> list[tuple[str, bool, str]]:
    """Record ``items`` as reviewed: (path, approved, why not). ``versions``: the digest of
    the bytes a person looked at, by path; a page whose bytes are other now is not approved."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    done = []
    for item in items:
        where = shown(item.path)
        errors = item.errors
        if errors and not force:
            done.append((where, False, f"{len(errors)} error{'s' * (len(errors) != 1)} (see l10n check); fix them, or --force"))
            continue
        try:
            raw = markdown.read_bytes(item.path)
            doc = survey.parse(item.path, raw)
        except L10nError as exc:
            done.append((where, False, exc.message))
            continue
        if versions is not None and digest(raw) != versions.get(item.path):
            done.append((where, False, "the page changed since you loaded it: reload it, look again, then approve"))
            continue
        assert item.source.doc is not None
        key = survey.key(item.path)
        record = survey.state.targets.get(key)
        if item.cell.status == "stale" and not force and not (record and caught_up(record, item.source.doc, doc)):
            done.append((where, False, f"{item.cell.detail}; update it (by hand, or l10n translate --merge), "
                                       "or --force to approve it as it is"))
            continue
        survey.state.set_target(key, approved(record, item.source.key, item.cell.lang, item.source.doc,
                                              item.source.sha, doc, raw, now))
        done.append((where, True, ""))
    survey.state.save()
    gone = {shown(survey.keys.path(key)) for key in survey.state.superseded}
    return [(where, False, "changed while it was being approved; look at it again") if ok and where in gone
            else (where, ok, why) for where, ok, why in done]


# --------------------------------------------------------------------------
# HTML

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f4f4f4}td.where{width:9em;color:#666;font-size:.85em}
pre{white-space:pre-wrap;word-wrap:break-word;margin:0;font:13px/1.4 ui-monospace,monospace}
tr.stale td{background:#fff7d6}.mark{font-size:.8em;padding:0 .3em;border-radius:3px;margin-right:.3em}
.stale-mark{background:#f0c000}.machine-mark{background:#bde}.confidence-mark{background:#eee}.error{color:#b00}.warning{color:#a60}
.status{font-weight:normal;color:#555}ul{margin:.2em 0;padding-left:1.2em}.previous{color:#666}
"""


def render_html(items: Sequence[Item], missing: Sequence[Cell], title: str = "l10n review") -> str:
    """One self-contained page: no scripts, no network resources, every text escaped."""
    def e(text: str) -> str:  # escaped, and no bidi override or control character acts on the page
        return html.escape(safe(text, lines=True))

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # nothing but the inline style may load or run, whatever an article holds
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{len(items)} translation{'s' * (len(items) != 1)}, {len(missing)} missing; "
        f"made {e(time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))}.</p>",
    ]
    if missing:
        out.append("<h2>Missing</h2><ul>")
        out.extend(f"<li>{e(c.target)} (from {e(c.source)})</li>" for c in missing)
        out.append("</ul>")
    for item in items:
        cell = item.cell
        out.append(f"<h2>{e(cell.source)} &rarr; {e(cell.target)} "
                   f"<span class=\"status\">{e(cell.status)}{': ' + e(cell.detail) if cell.detail else ''}</span></h2>")
        if item.exam.findings:
            out.append("<ul>" + "".join(_finding_html(f, f.id in item.accepted) for f in item.exam.findings) + "</ul>")
        out.append(f"<table><tr><th class=\"where\">segment</th><th>{e(item.source_lang)}</th>"
                   f"<th>{e(cell.lang)}</th></tr>")
        for index, pair in enumerate(item.exam.pairs):
            marks = ""
            if index in item.stale:
                marks += '<span class="mark stale-mark">source changed</span>'
            if index in item.machine:
                marks += '<span class="mark machine-mark">machine</span>'
            if index in item.confidence:
                marks += f'<span class="mark confidence-mark">confidence {item.confidence[index]}%</span>'
            row_class = ' class="stale"' if index in item.stale else ""
            target = f"<pre>{e(pair.target.original)}</pre>" if pair.target else ""
            if index in item.previous:
                target += f'<p class="previous">before the source changed:</p><pre>{e(item.previous[index])}</pre>'
            for score, source_text, translation in item.matches.get(index, ()):
                target += f'<p class="previous">memory {score}%: {e(source_text)} &rarr; {e(translation)}</p>'
            if pair.findings:
                target += "<ul>" + "".join(_finding_html(f, f.id in item.accepted) for f in pair.findings) + "</ul>"
            out.append(f"<tr{row_class}><td class=\"where\">{e(pair.label())}<br>{marks}</td>"
                       f"<td><pre>{e(pair.source.original) if pair.source else ''}</pre></td><td>{target}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _finding_html(finding: Finding, accepted: bool = False) -> str:
    def e(text: str) -> str:
        return html.escape(safe(text))

    note = " (accepted)" if accepted else ""
    return f'<li class="{e(finding.severity)}">{e(finding.severity)}: {e(finding.message)} [{e(finding.check)}]{note}</li>'

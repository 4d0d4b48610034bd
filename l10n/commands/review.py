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
import re
import shutil
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import click

from ..checks import ERROR, Examination, Finding, Pair, context_for, examine
from .. import markdown
from ..errors import L10nError
from ..survey import Cell, Source, Survey, caught_up, diff_segments, skeleton

#: Control characters (escape sequences) an article could use to act on a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
from ..write import digest


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
    #: Pair index -> what a person had written for that segment before its source changed.
    previous: dict[int, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.exam.all() if f.severity == ERROR]


def collect(survey: Survey) -> tuple[list[Item], list[Cell]]:
    """Every existing translation in the survey, examined; and the missing ones."""
    from ..detect import Detector

    items: list[Item] = []
    missing: list[Cell] = []
    detector = Detector()
    for article, lay in survey.articles:
        try:
            src = survey.source(article, parse=True)
        except L10nError as exc:
            survey.fail(article.source, exc)
            continue
        assert src.doc is not None
        for lang in survey.languages(article):
            target = lay.target(article, lang)
            if lang == src.lang or target == article.source:
                continue
            try:
                cell = survey.cell(article, src, lang, target)
                if cell.status == "missing":
                    missing.append(cell)
                    continue
                doc = survey.parse(target)
            except L10nError as exc:
                survey.fail(target, exc)
                continue
            exam = examine(src.doc, doc, context_for(survey.cfg, src.lang, lang), survey.shown(target), detector)
            item = Item(cell, src, target, src.lang, exam)
            _mark(item, survey.state.targets.get(survey.key(target)) or {})
            items.append(item)
    return items, missing


def _mark(item: Item, entry: dict) -> None:
    """Which segments changed in the source, and which a merge machine-translated."""
    old = str(entry.get("segments", "")).split()
    if old:
        indexes = [i for i, pair in enumerate(item.exam.pairs) if pair.source is not None]
        keys = [item.exam.pairs[i].source.digest() for i in indexes]  # type: ignore[union-attr]
        diff = diff_segments(old, keys)
        item.stale = {indexes[j] for _i, j in diff.replaced} | {indexes[j] for j in diff.added}
    merged = entry.get("merged") if isinstance(entry.get("merged"), dict) else {}
    machine = Counter(merged.get("machine", ()))
    previous = entry.get("previous") if isinstance(entry.get("previous"), dict) else {}
    for index, pair in enumerate(item.exam.pairs):
        if pair.source is None:
            continue
        key = pair.source.digest()
        if machine[key] > 0:
            machine[key] -= 1
            item.machine.add(index)
        if key in previous:
            item.previous[index] = str(previous[key])


def approve(survey: Survey, items: Sequence[Item], force: bool = False) -> list[tuple[str, bool, str]]:
    """Record ``items`` as reviewed: (path, approved, why not)."""

    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    done = []
    for item in items:
        shown = survey.shown(item.path)
        errors = item.errors
        if errors and not force:
            done.append((shown, False, f"{len(errors)} error{'s' * (len(errors) != 1)} (see l10n check); fix them, or --force"))
            continue
        try:
            raw = markdown.read_bytes(item.path)
            doc = survey.parse(item.path, raw)
        except L10nError as exc:
            done.append((shown, False, getattr(exc, "message", str(exc))))
            continue
        assert item.source.doc is not None
        key = survey.key(item.path)
        entry = dict(survey.state.targets.get(key) or {"engine": "person"})
        if item.cell.status == "stale" and not force and not caught_up(entry, item.source.doc, doc):
            done.append((shown, False, f"{item.cell.detail}; update it (by hand, or l10n translate --merge), "
                                       "or --force to approve it as it is"))
            continue
        for stale in ("untranslated", "merged", "previous"):
            entry.pop(stale, None)
        entry.update({
            "source": item.source.key,
            "lang": item.cell.lang,
            "source_sha": item.source.sha,
            "segments": " ".join(seg.digest() for seg in item.source.doc.segments()),
            "raw": digest(raw),
            "sha": digest(doc.render_without_fields()),
            "skeleton": skeleton(item.source.doc),
            "target_segments": " ".join(seg.digest() for seg in doc.segments()),
            "reviewed": now,
        })
        entry.setdefault("time", now)
        survey.state.set_target(key, entry)
        done.append((shown, True, ""))
    survey.state.save()
    return done


# --------------------------------------------------------------------------
# The terminal


def _label(pair: Pair) -> str:
    seg = pair.source or pair.target
    assert seg is not None
    kind = f"{seg.kind} {seg.key}" if seg.key else seg.kind
    lines = "/".join(str(s.line) if s is not None else "-" for s in (pair.source, pair.target))
    return f"line {lines}  {kind}"


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out.extend(textwrap.wrap(line, width, replace_whitespace=False, drop_whitespace=False) or [""])
    return out


def terminal_lines(items: Sequence[Item], missing: Sequence[Cell], width: int | None = None,
                   problems_only: bool = False) -> Iterator[str]:
    """The review as styled lines: two columns, source left, translation right."""
    width = width or shutil.get_terminal_size((120, 40)).columns
    col = max(20, (width - 3) // 2)
    for cell in missing:
        yield click.style(f"{cell.target}: missing (no translation of {cell.source})", fg="red")
    for item in items:
        head = _plain(f"{item.cell.source} -> {item.cell.target}  [{item.cell.status}{': ' + item.cell.detail if item.cell.detail else ''}]")
        yield ""
        yield click.style(head, bold=True)
        for finding in item.exam.findings:
            yield _styled(finding)
        for index, pair in enumerate(item.exam.pairs):
            marks = []
            if index in item.stale:
                marks.append(click.style("SOURCE CHANGED", fg="yellow", bold=True))
            if index in item.machine:
                marks.append(click.style("machine", fg="cyan"))
            if problems_only and not (marks or pair.findings):
                continue
            yield click.style("-- " + _label(pair), dim=True) + ("  " + "  ".join(marks) if marks else "")
            left = _wrap(_plain(pair.source.original) if pair.source else "", col)
            right = _wrap(_plain(pair.target.original) if pair.target else "", col)
            for a, b in zip(left + [""] * (len(right) - len(left)), right + [""] * (len(left) - len(right))):
                yield f"{a:<{col}} {click.style('|', dim=True)} {b}"
            if index in item.previous:
                yield click.style("   before the source changed: ", fg="yellow") + _plain(item.previous[index])
            for finding in pair.findings:
                yield "   " + _styled(finding)


def _styled(finding: Finding) -> str:
    color = "red" if finding.severity == ERROR else "yellow"
    return click.style(_plain(f"{finding.severity}: {finding.message} [{finding.check}]"), fg=color)


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
.stale-mark{background:#f0c000}.machine-mark{background:#bde}.error{color:#b00}.warning{color:#a60}
.status{font-weight:normal;color:#555}ul{margin:.2em 0;padding-left:1.2em}.previous{color:#666}
"""


def render_html(items: Sequence[Item], missing: Sequence[Cell], title: str = "l10n review") -> str:
    """One self-contained page: no scripts, no network resources, every text escaped."""
    e = html.escape
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
            out.append("<ul>" + "".join(_finding_html(f) for f in item.exam.findings) + "</ul>")
        out.append(f"<table><tr><th class=\"where\">segment</th><th>{e(item.source_lang)}</th>"
                   f"<th>{e(cell.lang)}</th></tr>")
        for index, pair in enumerate(item.exam.pairs):
            marks = ""
            if index in item.stale:
                marks += '<span class="mark stale-mark">source changed</span>'
            if index in item.machine:
                marks += '<span class="mark machine-mark">machine</span>'
            row_class = ' class="stale"' if index in item.stale else ""
            target = f"<pre>{e(pair.target.original)}</pre>" if pair.target else ""
            if index in item.previous:
                target += f'<p class="previous">before the source changed:</p><pre>{e(item.previous[index])}</pre>'
            if pair.findings:
                target += "<ul>" + "".join(_finding_html(f) for f in pair.findings) + "</ul>"
            out.append(f"<tr{row_class}><td class=\"where\">{e(_label(pair))}<br>{marks}</td>"
                       f"<td><pre>{e(pair.source.original) if pair.source else ''}</pre></td><td>{target}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _finding_html(finding: Finding) -> str:
    return (f'<li class="{html.escape(finding.severity)}">{html.escape(finding.severity)}: '
            f"{html.escape(finding.message)} [{html.escape(finding.check)}]</li>")

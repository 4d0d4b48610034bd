"""What the commands print on a terminal: the status table, the side-by-side review, reports as lines.

Plain functions from reports to lines of text, styled with ANSI codes
(``click.echo`` drops them when the output is not a terminal); the command
line only prints them. Everything taken from content or file names goes
through ``errors.safe``, so no article can act on the terminal showing it.
"""

from __future__ import annotations

import textwrap
from typing import Iterator, Sequence

from .errors import safe

_CODES = {"red": 31, "green": 32, "yellow": 33, "magenta": 35, "cyan": 36}
#: Status colours, in the table and the review.
COLORS = {"missing": "red", "stale": "yellow", "edited": "magenta", "human": "magenta", "untranslated": "red",
          "machine": "cyan", "reviewed": "green"}
#: Statuses in four or five letters, for a table too wide for the terminal.
SHORT = {"missing": "miss", "stale": "stale", "edited": "edit", "human": "human", "untranslated": "untr",
         "machine": "mach", "reviewed": "rev"}


def style(text: str, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    codes = [str(_CODES[fg])] if fg in _CODES else []
    codes += ["1"] * bold + ["2"] * dim
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


# --------------------------------------------------------------------------
# l10n status


def status_table(report, width: int, confidence: bool = False) -> list[str]:
    """Articles by language, fitted to ``width`` columns: statuses abbreviated,
    then long paths shortened from the left, then the languages in bands;
    ``confidence``: each status with the weakest segment's confidence (``machine 43%``)."""
    def shown_status(cell) -> str:
        if confidence and cell.confidence is not None:
            return f"{cell.status} {cell.confidence}%"
        return cell.status

    rows = [(safe(source), str(words), [shown_status(cells[t]) if t in cells else "-" for t in report.targets])
            for source, words, cells in report.rows]
    targets = list(report.targets)

    def widths(short: bool) -> tuple[int, int, list[int]]:
        path = max([len("ARTICLE"), *(len(r[0]) for r in rows)])
        words = max([len("WORDS"), *(len(r[1]) for r in rows)])
        cols = [max([len(targets[i]), *(len(_abbreviated(r[2][i]) if short else r[2][i]) for r in rows)])
                for i in range(len(targets))]
        return path, words, cols

    def total(path: int, words: int, cols: list[int]) -> int:
        return path + words + sum(cols) + 2 * (1 + len(cols))

    short = total(*widths(False)) > width
    path, words, cols = widths(short)
    if total(path, words, cols) > width:
        path = max(24, path - (total(path, words, cols) - width))
    bands: list[list[int]] = [[]]
    for i, col in enumerate(cols):
        if bands[-1] and total(path, words, [cols[j] for j in bands[-1]] + [col]) > width:
            bands.append([])
        bands[-1].append(i)
    out: list[str] = []
    for band in bands:
        if out:
            out.append("")
        head = ["ARTICLE".ljust(path), "WORDS".ljust(words), *(targets[i].ljust(cols[i]) for i in band)]
        out.append("  ".join(head).rstrip())
        for source, count, statuses in rows:
            name = source if len(source) <= path else "…" + source[len(source) - path + 1:]
            cells = [_cell(statuses[i], cols[i], short) for i in band]
            out.append("  ".join([name.ljust(path), count.ljust(words), *cells]).rstrip())
    if short:
        legend = "(" + ", ".join(f"{abbr} {name}" for name, abbr in SHORT.items() if abbr != name) + ")"
        out.extend(textwrap.wrap(legend, width))
    return out


def _abbreviated(status: str) -> str:
    name, space, score = status.partition(" ")
    return SHORT.get(name, name) + space + score


def _cell(status: str, width: int, short: bool = False) -> str:
    text = _abbreviated(status) if short else status
    return style(text.ljust(width), fg=COLORS.get(status.partition(" ")[0]))


# --------------------------------------------------------------------------
# l10n review


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out.extend(textwrap.wrap(line, width, replace_whitespace=False, drop_whitespace=False) or [""])
    return out


def fitted(line: str, width: int) -> list[str]:
    """A line of text as terminal lines of at most ``width`` columns, the ones after
    the first indented."""
    return textwrap.wrap(line, max(20, width), subsequent_indent="    ", break_on_hyphens=False) or [""]


def review_lines(items: Sequence, missing: Sequence, width: int, problems_only: bool = False) -> Iterator[str]:
    """The review as styled lines: two columns, source left, translation right."""
    col = max(20, (width - 3) // 2)
    for cell in missing:
        yield style(safe(f"{cell.target}: missing (no translation of {cell.source})"), fg="red")
    for item in items:
        cell = item.cell
        yield ""
        yield style(safe(f"{cell.source} -> {cell.target}  [{cell.status}{': ' + cell.detail if cell.detail else ''}]"),
                    bold=True)
        for finding in item.exam.findings:
            yield finding_line(finding, finding.id in getattr(item, "accepted", ()))
        for index, pair in enumerate(item.exam.pairs):
            marks = []
            if index in item.stale:
                marks.append(style("SOURCE CHANGED", fg="yellow", bold=True))
            if index in item.machine:
                marks.append(style("machine", fg="cyan"))
            score = getattr(item, "confidence", {}).get(index)
            if problems_only and not (marks or pair.findings):
                continue
            if score is not None:
                marks.append(style(f"confidence {score}%", fg="red" if score < 50 else None, dim=score >= 50))
            yield style("-- " + pair.label(), dim=True) + ("  " + "  ".join(marks) if marks else "")
            left = _wrap(safe(pair.source.original, lines=True) if pair.source else "", col)
            right = _wrap(safe(pair.target.original, lines=True) if pair.target else "", col)
            for a, b in zip(left + [""] * (len(right) - len(left)), right + [""] * (len(left) - len(right))):
                yield f"{a:<{col}} {style('|', dim=True)} {b}"
            if index in item.previous:
                yield style("   before the source changed: ", fg="yellow") + safe(item.previous[index])
            for score, source, translation in getattr(item, "matches", {}).get(index, ()):
                yield style(f"   memory {score}%: ", fg="cyan") + safe(f"{source} -> {translation}")
            for finding in pair.findings:
                yield "   " + finding_line(finding, finding.id in getattr(item, "accepted", ()))


def finding_line(finding, accepted: bool = False) -> str:
    if accepted:
        return style(safe(f"{finding.severity}: {finding.message} [{finding.check}] (accepted)"), dim=True)
    color = "red" if finding.severity == "error" else "yellow"
    return style(safe(f"{finding.severity}: {finding.message} [{finding.check}]"), fg=color)

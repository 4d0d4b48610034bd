"""What a site's Markdown adds to CommonMark: Hugo's shortcodes; MDX's ESM, expressions and admonitions; Python-Markdown's indented blocks, snippets, abbreviations.

Each construct is a :class:`Region` of the file that markdown-it must not read
as prose: ``blocks`` masks it (same length, so every offset stays valid) as
it masks Hugo's shortcodes, and it comes through byte for byte, but for its
titles (``:::note[Title]``, ``!!! note "Title"``, ``=== "Tab"``), which are
translated on their own. A Python-Markdown block whose body is indented four
spaces (admonitions, details, content tabs) is shown to markdown-it as a list
item (``-   `` over its marker), so its body reads as Markdown, as Python-Markdown
reads it, and not as indented code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from ..errors import ContentError

__all__ = ["DIALECTS", "UNQUOTE", "KeptParam", "Region", "Shortcode", "abbreviations", "regions", "shortcodes",
           "uses_indented_code"]

#: The Markdown dialects l10n reads.
DIALECTS = ("hugo", "commonmark", "mdx", "mdx-detect", "python-markdown")


@dataclass
class Region:
    """A construct kept as written: its span, its titles (value start, value end,
    name, how it is quoted: ``"``, ``[]`` or nothing), and what markdown-it is
    shown over its first characters instead of the mask."""

    start: int
    end: int
    params: list[tuple[int, int, str, str]] = field(default_factory=list)
    marker: str = ""


def uses_indented_code(dialect: str) -> bool:
    """MDX has no indented code: four spaces of indentation are only layout there."""
    return dialect not in ("mdx",)


def regions(text: str, start: int, dialect: str, extensions: Sequence[str] = ()) -> list[Region]:
    if dialect == "mdx":
        return list(_mdx(text, start))
    if dialect == "commonmark":  # Docusaurus's and Starlight's .md pages: their admonitions (directives) only
        return list(_mdx(text, start, expressions=False))
    if dialect == "python-markdown":
        return list(_python_markdown(text, start, set(extensions)))
    return []


# --------------------------------------------------------------------------
# Hugo's shortcodes (read before Markdown, as Hugo reads them)


_SHORTCODE = re.compile(r"\{\{<(?P<a>.*?)>\}\}|\{\{%(?P<b>.*?)%\}\}", re.DOTALL)
#: A backslash escape in a quoted value.
UNQUOTE = re.compile(r"\\(.)")
_PARAM = re.compile(r"""([A-Za-z_][\w-]*)[ \t]*=[ \t]*("((?:[^"\\]|\\.)*)"|`[^`]*`|[^\s"`]+)""", re.DOTALL)


@dataclass
class Shortcode:
    start: int
    end: int
    #: translatable parameters: (value start, value end, name[, how it is quoted])
    params: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class KeptParam:
    """A quoted shortcode parameter left as it is (not one the settings translate)."""

    line: int
    shortcode: str
    name: str
    value: str


def shortcodes(
    text: str, start: int, verbatim_names: Sequence[str], default_params: Sequence[str],
    translate: Sequence[tuple[str, Sequence[str]]], kept: list[KeptParam] | None = None,
) -> tuple[list[tuple], dict[int, Shortcode]]:
    """Hugo's shortcodes: the regions to mask, and the shortcodes with translatable
    parameters by start; the named, quoted parameters left as they are go to ``kept``."""
    found = []
    for m in _SHORTCODE.finditer(text, start):
        inner = (m.group("a") if m.group("a") is not None else m.group("b")).strip()
        if inner.startswith("/*"):
            found.append((m.start(), m.end(), "", False, m))
            continue
        closing = inner.startswith("/")
        name = inner.lstrip("/").split(None, 1)[0] if inner.lstrip("/") else ""
        found.append((m.start(), m.end(), name, closing, m))
    regions: list[tuple[int, int]] = []
    calls: dict[int, Shortcode] = {}
    verbatim = set(verbatim_names)
    default = set(default_params)
    chosen = {name: set(names) for name, names in translate}
    i = 0
    while i < len(found):
        s, e, name, closing, m = found[i]
        self_closing = (m.group("a") if m.group("a") is not None else m.group("b")).rstrip().endswith("/")
        if name and not closing and not self_closing and (name in verbatim or name.endswith(".inline")):
            j = next((k for k in range(i + 1, len(found)) if found[k][3] and found[k][2] == name), None)
            if j is not None:
                regions.append((s, found[j][1]))
                i = j + 1
                continue
        regions.append((s, e))
        if name and not closing:
            params = chosen.get(name, default)
            call = Shortcode(s, e)
            inner_start = m.start("a") if m.group("a") is not None else m.start("b")
            body = m.group("a") if m.group("a") is not None else m.group("b")
            for p in _PARAM.finditer(body):
                if p.group(3) is None or not p.group(3).strip():
                    continue
                if p.group(1) in params:
                    call.params.append((inner_start + p.start(3), inner_start + p.end(3), p.group(1)))
                elif kept is not None:
                    line = text.count("\n", 0, inner_start + p.start(3)) + 1
                    kept.append(KeptParam(line, name, p.group(1), UNQUOTE.sub(r"\1", p.group(3))))
            if call.params:
                calls[s] = call
        i += 1
    return regions, calls


# --------------------------------------------------------------------------
# MDX


_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})")
_ESM = re.compile(r"(?:import|export)\b")
#: Docusaurus's admonitions: ``:::note``, ``:::note[Title]``, ``:::note Title``, ``:::``.
_ADMONITION = re.compile(r"(?P<fence>:{3,})(?P<type>[A-Za-z][\w-]*)?(?P<rest>[^\n]*)")
_TAG_NAME = re.compile(r"</?[A-Za-z_$][\w$.:-]*|<>|</>")


def _lines(text: str, start: int) -> Iterator[tuple[int, int]]:
    pos = start
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        yield pos, end
        if end >= len(text):
            return
        pos = end + 1


def _mdx(text: str, start: int, expressions: bool = True) -> Iterator[Region]:
    fence: str | None = None
    blank = True
    skip_to = start
    for s, e in _lines(text, start):
        line = text[s:e].rstrip("\r")
        if s < skip_to:
            continue
        if fence is not None:
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            blank = False
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            blank = False
            continue
        if expressions and blank and _ESM.match(line):  # an import or export: to the next blank line
            end = _block_end(text, s)
            yield Region(s, end)
            skip_to = end
            blank = False
            continue
        indent = len(line) - len(line.lstrip(" \t>"))
        m = _ADMONITION.fullmatch(line, indent)
        if m:
            yield _admonition(s + indent, m)
            blank = False
            continue
        blank = not line.strip()
        if not blank and expressions:
            for region in _expressions(text, s, e):
                yield region
                skip_to = max(skip_to, region.end)


def _block_end(text: str, start: int) -> int:
    m = re.compile(r"\n[ \t]*(?:\r?\n|\Z)").search(text, start)
    return m.start() if m else len(text)


def _admonition(at: int, m: re.Match) -> Region:
    region = Region(at, at + len(m.group(0).rstrip()))
    rest = m.group("rest")
    base = at + m.start("rest") - m.start()
    if m.group("type") and rest.startswith("["):
        close = _bracket_end(rest)
        if close > 1 and rest[1:close - 1].strip():
            region.params.append((base + 1, base + close - 1, "title", "[]"))
    elif m.group("type") and rest.strip() and not rest.strip().startswith("{"):
        lead = len(rest) - len(rest.lstrip())
        region.params.append((base + lead, base + len(rest.rstrip()), "title", ""))
    return region


def _bracket_end(text: str) -> int:
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _expressions(text: str, s: int, e: int) -> Iterator[Region]:
    """``{expressions}`` and ``{/* comments */}`` that start on the line ``s:e``
    (they may go on over lines), outside code spans; inside a JSX tag, those of
    its attributes (a quoted attribute value holds none)."""
    i = s
    while i < e:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = _code_end(text, i + run, run)
            i = close if close > 0 else i + run
            continue
        if c == "<" and _TAG_NAME.match(text, i):
            i = yield from _tag(text, i)
            continue
        if c == "{":
            end = expression_end(text, i)
            if end < 0:  # as MDX's compiler refuses it
                raise ContentError("MDX: an expression opened with { is never closed (write \\{ for a brace)",
                                   None, text.count("\n", 0, i) + 1)
            yield Region(i, end)
            i = end
            continue
        i += 1


def _code_end(text: str, pos: int, run: int) -> int:
    """Where a code span opened by ``run`` backticks closes, before a blank line; -1: it does not."""
    stop = _block_end(text, pos)
    m = re.compile(r"(?<!`)`{%d}(?!`)" % run).search(text, pos, stop)
    return m.end() if m else -1


def _tag(text: str, i: int) -> Iterator[Region]:
    """A JSX tag from its ``<``: the expressions among its attributes; returns where it ends."""
    j = _TAG_NAME.match(text, i).end()  # type: ignore[union-attr]
    while j < len(text):
        c = text[j]
        if c in "\"'":
            close = text.find(c, j + 1)
            if close < 0:
                return j + 1
            j = close + 1
        elif c == "{":
            end = expression_end(text, j)
            if end < 0:
                return j + 1
            yield Region(j, end)
            j = end
        elif c == ">":
            return j + 1
        elif c == "<":
            return j
        else:
            j += 1
    return j


def expression_end(text: str, i: int) -> int:
    """Where the JavaScript expression ``{...}`` opened at ``i`` closes (after its
    ``}``), strings, templates and comments read as JavaScript reads them; -1: never."""
    depth = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "`":
            j = i + 1
            while j < n and text[j] != "`":
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith("${", j):
                    close = expression_end(text, j + 1)
                    if close < 0:
                        return -1
                    j = close
                    continue
                j += 1
            i = j + 1
            continue
        if text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0:
                return -1
            i = close + 2
            continue
        if text.startswith("//", i) and depth:
            close = text.find("\n", i)
            i = n if close < 0 else close
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


# --------------------------------------------------------------------------
# Python-Markdown (MkDocs)


#: Admonitions (``!!! note "Title"``), details (``??? note``, ``???+ note``) and content tabs (``=== "Tab"``).
_BLOCK = re.compile(r"(?P<marker>(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*|===[!+]?)"
                    r'(?:[ \t]+"(?P<title>.*)")?[ \t]*')
_SNIPPET = re.compile(r";?-{1,}8<-{1,}(?:[ \t]+.*)?")
_ABBR = re.compile(r"\*\[(?P<name>[^\]\n]+)\]:[ \t]*(?P<text>.*)")
#: md_in_html: an element whose content is Markdown (``<div markdown>``, ``markdown="1"``), on a line of its own.
_MD_OPEN = re.compile(r"""<(?P<tag>[A-Za-z][\w-]*)\b[^<>]*?\smarkdown(?:\s*=\s*["']?(?:1|block)["']?)?(?=[\s/>])[^<>]*>[ \t]*""")
_MD_CLOSE = re.compile(r"</(?P<tag>[A-Za-z][\w-]*)\s*>[ \t]*")
_NEEDS = {"!!!": ("admonition",), "???": ("pymdownx.details",), "===": ("pymdownx.tabbed",),
          "--8<--": ("pymdownx.snippets",), "*[": ("abbr",), "<": ("md_in_html",)}


def abbreviations(text: str, extensions: Sequence[str] = ()) -> tuple[str, ...]:
    """The abbreviations a page defines (``*[HTML]: ...``): Python-Markdown marks them
    wherever the page's text says them, so a translation must say them as they are."""
    if not _enabled("*[", set(extensions)):
        return ()
    return tuple(sorted({m.group(1).strip() for m in re.finditer(r"(?m)^\*\[([^\]\n]+)\]:", text)}))


def _enabled(construct: str, extensions: set[str]) -> bool:
    """Without a list of extensions (a page read alone), every construct is read."""
    return not extensions or any(name in extensions for name in _NEEDS[construct])


def _python_markdown(text: str, start: int, extensions: set[str]) -> Iterator[Region]:
    fence: tuple[str, int] | None = None
    snippets: int | None = None
    opened: list[str] = []  # md_in_html elements open: their tag lines are kept, their content read as Markdown
    for s, e in _lines(text, start):
        line = text[s:e].rstrip("\r")
        indent = len(line) - len(line.lstrip(" \t"))
        body = line[indent:]
        if fence is not None:
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0][0] and len(m.group(1)) >= len(fence[0]) and not line[m.end():].strip():
                fence = None
            continue
        if snippets is not None:
            if _SNIPPET.fullmatch(body) and body.strip("-8<; ") == "":
                yield Region(snippets, s + len(line))
                snippets = None
            continue
        m = _FENCE.match(line)
        if m:
            fence = (m.group(1), indent)
            continue
        if _enabled("--8<--", extensions) and _SNIPPET.fullmatch(body):
            if body.strip("-8<; ") == "":  # a block of file names, to its closing line
                snippets = s + indent
            else:
                yield Region(s + indent, s + len(line))
            continue
        m = _BLOCK.fullmatch(body)
        if m and _enabled(m.group("marker")[:3], extensions) and len(line.rstrip()) - indent >= 5:
            region = Region(s + indent, s + len(line.rstrip()), marker="-   ")
            if m.group("title") is not None and m.group("title").strip():
                region.params.append((s + indent + m.start("title"), s + indent + m.end("title"), "title", '"'))
            yield region
            continue
        m = _MD_OPEN.fullmatch(body)
        if m and _enabled("<", extensions):
            opened.append(m.group("tag").lower())
            yield Region(s + indent, s + len(line.rstrip()))
            continue
        m = _MD_CLOSE.fullmatch(body)
        if m and opened and m.group("tag").lower() == opened[-1]:
            opened.pop()
            yield Region(s + indent, s + len(line.rstrip()))
            continue
        m = _ABBR.fullmatch(body)
        if m and indent == 0 and _enabled("*[", extensions):
            region = Region(s, s + len(line.rstrip()))
            if m.group("text").strip():
                region.params.append((s + m.start("text"), s + len(m.group(0).rstrip()), "abbr", ""))
            yield region

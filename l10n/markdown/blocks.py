"""Markdown with front matter to a Document, and back, byte for byte.

``parse(text)`` cuts a file into untouched text, maintained front-matter fields
and translatable segments; ``Document.render()`` joins them again and gives the
input back exactly. Hugo shortcodes are found first and masked (same length, so
every offset stays valid) before markdown-it-py reads the structure, because
Hugo reads them before Markdown too.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from .. import anchors, limits
from ..document import CLOSE, VOID, Document, HeadingId, Piece, Segment
from ..errors import ContentError
from . import dialects, escapes, frontmatter, htmlblocks, inline
from .dialects import UNQUOTE, KeptParam, Shortcode

DEFAULT_KEYS = ("title", "linkTitle", "summary", "description", "lead", "subtitle")
#: Shortcode parameters people read, translated in every shortcode that has them.
DEFAULT_PARAMS = ("alt", "caption", "summary", "title")
#: Shortcodes whose inner content is code or data, never prose.
DEFAULT_VERBATIM = ("highlight", "code", "code-toggle", "math", "mermaid", "katex", "chart", "diagram", "raw", "html")


@dataclass(frozen=True)
class Options:
    """What counts as translatable; comes from the site configuration."""

    keys: Sequence[str] = DEFAULT_KEYS
    fields: Sequence[str] = ("lang", "translations")
    shortcode_params: Sequence[str] = DEFAULT_PARAMS
    #: Per shortcode, the parameters translated instead of ``shortcode_params``:
    #: ((name, (param, ...)), ...).
    shortcode_translate: Sequence[tuple[str, Sequence[str]]] = ()
    verbatim_shortcodes: Sequence[str] = DEFAULT_VERBATIM
    #: HTML attributes whose values are translated.
    html_attributes: Sequence[str] = htmlblocks.DEFAULT_ATTRIBUTES
    terms: Sequence[str] = ()
    math: bool = True
    #: How heading ids are made (Hugo's autoHeadingIDType; "" when it makes none),
    #: and whether a translation keeps the source's ids.
    heading_ids: str = "github"
    keep_ids: bool = False
    #: The site's Markdown (``dialects.DIALECTS``): Hugo's shortcodes, MDX, Python-Markdown...
    dialect: str = "hugo"
    #: How a heading states its id: "attr" (``{#id}``), "mdx-comment" (``{/* #id */}``).
    id_syntax: str = "attr"
    #: Python-Markdown's enabled extensions (empty: all of them).
    extensions: Sequence[str] = ()


_local = threading.local()


def parser(dialect: str = "hugo"):
    """This thread's markdown-it parser for a dialect (made once: building one costs milliseconds)."""
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    md = parsers.get(dialects.uses_indented_code(dialect))
    if md is None:
        md = parsers[dialects.uses_indented_code(dialect)] = inline.make_parser()
        if not dialects.uses_indented_code(dialect):
            md.disable("code")
    return md


_PATTERNS: dict[tuple, object] = {}


def _protect_pattern(options: Options):
    key = (tuple(options.terms), options.math, options.dialect == "python-markdown")
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = inline.protect_pattern(options.terms, options.math, attr_lists=key[2])
    return pattern


# --------------------------------------------------------------------------
# Lines


_EOL = re.compile(r"\r\n|\r|\n")
#: The line that closes front matter, with its line break.
_YAML_END = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.MULTILINE)
_TOML_END = re.compile(r"^\+\+\+[ \t]*(?:\r\n|\r|\n|\Z)", re.MULTILINE)


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end-of-content) of each line from ``start``; the end excludes the line break."""
    out = []
    pos = start
    for m in _EOL.finditer(text, start):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


# --------------------------------------------------------------------------
# Front matter


def _front_matter(text: str, start: int) -> tuple[str, int, int, int] | None:
    """(kind, body start, body end, end) of the front matter at ``start``, if any."""
    for fence, kind in (("---", "yaml"), ("+++", "toml")):
        if not text.startswith(fence, start):
            continue
        first = _EOL.match(text, start + 3)
        rest = text[start + 3 : first.start()] if first else text[start + 3 :]
        if first is None or rest.strip():
            return None
        body = first.end()
        closer = _YAML_END if kind == "yaml" else _TOML_END
        m = closer.search(text, body)
        if m is None:
            return kind, body, -1, -1
        return kind, body, m.start(), m.end()
    if text.startswith("{", start):
        try:
            _value, end = json.JSONDecoder().raw_decode(text, start)
        except ValueError:
            return None
        m = _EOL.match(text, end)
        return "json", start, end, m.end() if m else end
    return None


# --------------------------------------------------------------------------
# Shortcodes


def _shortcodes(
    text: str, start: int, options: Options, kept: list[KeptParam] | None = None,
) -> tuple[list[tuple], dict[int, Shortcode]]:
    """Masked regions, and the constructs with translatable parameters by start:
    Hugo's shortcodes (the named, quoted parameters left as they are go to
    ``kept``), or another dialect's constructs (``dialects``)."""
    if options.dialect == "hugo":
        return dialects.shortcodes(text, start, options.verbatim_shortcodes, options.shortcode_params,
                                   options.shortcode_translate, kept)
    found = dialects.regions(text, start, options.dialect, options.extensions)
    calls = {r.start + len(r.marker): Shortcode(r.start + len(r.marker), r.end, list(r.params)) for r in found if r.params}
    return [(r.start, r.end, r.marker) if r.marker else (r.start, r.end) for r in found], calls


def _mask(text: str, regions: list[tuple]) -> str:
    """Regions as inert text of the same length; a region's marker (``-   ``) over its first characters."""
    if not regions:
        return text
    out = []
    pos = 0
    for region in regions:
        s, e = region[0], region[1]
        out.append(text[pos:s])
        # continuation lines keep their indentation and quote markers, so that
        # the containers around a multi-line shortcode stay as they are
        masked = _MASKABLE.sub(lambda m: m.group(1) + inline.MASK * len(m.group(2)), text[s:e])
        if len(region) > 2:
            masked = region[2] + masked[len(region[2]):]
        out.append(masked)
        pos = e
    out.append(text[pos:])
    return "".join(out)


_MASKABLE = re.compile(r"((?:(?<=\n)[ \t>]*)?)([^\r\n]+)")


def _masked_piece(text: str, calls: dict[int, Shortcode], protect_plain) -> "callable":
    def build(start: int, end: int, masked: str) -> Piece:
        src = text[start:end]
        inside = [c for s, c in calls.items() if start <= s and c.end <= end]
        if not inside:
            return Piece(VOID, src, markup="shortcode")
        parts: list = []
        pos = start
        for call in sorted(inside, key=lambda c: c.start):
            for ps, pe, name, *quoting in call.params:
                parts.append(text[pos:ps])
                raw = text[ps:pe]
                style = quoting[0] if quoting else '"'
                value = UNQUOTE.sub(r"\1", raw) if style else raw
                line = text.count("\n", 0, ps) + 1
                seg = Segment("param", line, protect_plain(value), codec="quoted", key=name, style=style, src=raw)
                parts.append(seg)
                pos = pe
        parts.append(text[pos:end])
        return Piece(VOID, src, markup="shortcode", parts=[p for p in parts if p != ""])

    return build


# --------------------------------------------------------------------------
# Reading


def read_bytes(path: Path) -> bytes:
    try:
        return limits.read_file(path)
    except IsADirectoryError:
        raise ContentError("is a folder, not a file", path) from None
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror or exc}", path) from None


def decode(raw: bytes, path: Path | str | None) -> str:
    """The text of a content file, or a ContentError saying why it has none."""
    limits.check_size(raw, path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 3 and (raw[1:2] == b"\x00") != (raw[0:1] == b"\x00")
                                                   and raw.count(b"\x00") * 3 > len(raw)):
        raise ContentError("UTF-16 text; save the file as UTF-8", path, 1)
    if b"\x00" in raw[:8192]:
        raise ContentError("binary file, not Markdown text", path, 1)
    if b"\x00" in raw:  # text with a NUL byte further on: where it is
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ContentError("a NUL byte: a binary file, or damaged text", path, line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", path, line) from None
    if not text.strip("\ufeff \t\r\n"):
        raise ContentError("empty file, nothing to translate", path, 1)
    return text


def load(path: Path, options: Options | None = None, raw: bytes | None = None) -> Document:
    """A content file read, decoded and parsed (``raw``: its bytes, when already read)."""
    if raw is None:
        raw = read_bytes(path)
    return parse(decode(raw, path), str(path), options)


# --------------------------------------------------------------------------
# Parsing


def parse(text: str, path: str | None = None, options: Options | None = None) -> Document:
    """Parse a content file. Rendering the result gives ``text`` back exactly."""
    options = options or Options()
    if options.dialect == "mdx-detect":  # Docusaurus's markdown.format "detect": .mdx files are MDX
        mdx = str(path or "").endswith(".mdx")
        options = replace(options, dialect="mdx" if mdx else "commonmark",
                          id_syntax="attr" if not mdx and options.id_syntax == "mdx-comment" else options.id_syntax)
    try:
        return _parse(text, path, options)
    except RecursionError:
        raise ContentError(limits.NESTED, path) from None
    except ContentError as exc:
        if exc.path is None and path is not None:  # found where the file's name is not known
            raise ContentError(exc.message, path, exc.line) from None
        raise


def _parse(text: str, path: str | None, options: Options) -> Document:
    parts: list = []
    pos = 0
    if text.startswith("\ufeff"):
        parts.append("\ufeff")
        pos = 1
    doc = Document(parts, path=path)
    if options.dialect == "python-markdown" and "*[" in text:  # abbreviations are said as they are
        options = replace(options, terms=(*options.terms, *dialects.abbreviations(text, options.extensions)))
    protect = _protect_pattern(options)

    def protect_plain(value: str) -> list[Piece]:
        return inline.plain_pieces(value, protect)

    fm = _front_matter(text, pos)
    if fm is not None:
        kind, body, body_end, end = fm
        if body_end < 0:
            raise ContentError(f"front matter opened with {text[pos:pos + 3]} is never closed", path, 1)
        doc.front_matter = kind
        if kind == "json":
            try:
                doc.meta = json.loads(text[body:body_end])
            except RecursionError:
                raise ContentError(f"JSON front matter {limits.NESTED}", path, 1) from None
            except ValueError as exc:
                raise ContentError(f"invalid JSON front matter: {exc}", path, 1) from None
            parts.append(text[pos:end])
        else:
            parts.append(text[pos:body])
            fm_parts, doc.meta = frontmatter.parts(
                kind, text[body:body_end], body, text.count("\n", 0, body) + 1, path, options.keys, options.fields
            )
            for part in fm_parts:
                if isinstance(part, Segment):
                    part.pieces = protect_plain(part.pieces[0].text)
                elif not isinstance(part, str):
                    doc.fields[part.name] = part
            parts.extend(fm_parts)
            parts.append(text[body_end:end])
        pos = end
    _parse_body(text, pos, doc, options, protect)
    return doc


def _parse_body(text: str, start: int, doc: Document, options: Options, protect_re) -> None:
    if start >= len(text):
        return
    regions, calls = _shortcodes(text, start, options, doc.kept_params)
    masked = _mask(text, regions)
    lines = _lines(masked, start)
    normalized = "\n".join(masked[s:e] for s, e in lines)
    first_line = text.count("\n", 0, start) + (text.count("\r", 0, start) - text.count("\r\n", 0, start))
    md = parser(options.dialect)
    env = doc.env
    tokens = md.parse(normalized, env)

    def protect_plain(value: str) -> list[Piece]:
        return inline.plain_pieces(value, protect_re)

    protect = inline.Protect(protect_re, _masked_piece(text, calls, protect_plain))
    found: list[tuple[int, int, Segment | list]] = []
    row = [-1, 0]  # the table row being read: its line, and where its last cell ended
    containers: list[str] = []  # the blocks open around the token
    for i, token in enumerate(tokens):
        if token.nesting == 1:
            containers.append(token.tag if token.type == "heading_open" else token.type[:-5])
        elif token.nesting == -1 and containers:
            containers.pop()
        if token.type == "html_block" and token.map is not None:
            html = _html_block(token, text, masked, lines, protect, protect_plain, options)
            if html is not None:
                found.append(html)
            continue
        if token.type != "inline" or token.map is None:
            continue
        opener = tokens[i - 1].type if i else ""
        if opener in ("th_open", "td_open"):
            located = _locate_cell(token, masked, lines, row)
            kind, line_start, in_table = "cell", True, True  # a row may start with its first cell
        elif opener == "heading_open" and tokens[i - 1].markup.startswith("#"):
            located = _locate_atx(token, masked, lines)
            kind, line_start, in_table = "heading", True, False
        else:
            located = _locate_lines(token, masked, lines)
            kind = "heading" if opener == "heading_open" else ("term" if opener == "dt_open" else "paragraph")
            line_start, in_table = True, False
        line = first_line + token.map[0] + 1
        heading = _heading(tokens[i - 1], token, text, masked, lines, line, located, options) if kind == "heading" else None
        if heading is not None:
            doc.headings.append(heading)
        if located is None:
            if token.content.strip():
                doc.skipped.append((line, "could not map this block back to its source; left as it is"))
            continue
        src = inline.InlineText(located[0], text, located[1], located[2])
        pieces = inline.split_inline(md, env, src, protect)
        _add_titles(pieces, protect_plain, line)
        _add_attributes(pieces, protect_plain, line, options)
        seg = Segment(kind, line, pieces, line_start=line_start, in_table=in_table, block="/".join(containers),
                      style="mdx" if options.dialect == "mdx" else "")
        if heading is not None and inline.needs_engine(seg):
            heading.segment = seg
        found.append((src.at(0), src.at(len(src.content)), seg))
    found.sort(key=lambda f: f[0])
    pos = start
    parts = doc.parts
    for s, e, seg in found:
        if s < pos:
            continue
        if s > pos:
            parts.append(text[pos:s])
        if isinstance(seg, list):  # an HTML block's parts
            parts.extend(seg)
        elif inline.needs_engine(seg):
            parts.append(seg)
        else:  # no prose: only nested parts (shortcode parameters) can change
            for piece in seg.pieces:
                parts.extend(piece.parts if piece.parts else [piece.src])
        pos = e
    if pos < len(text):
        parts.append(text[pos:])
    if options.heading_ids:
        _heading_ids(doc, options)


def _heading(opener, token, text: str, masked: str, lines, line: int, located, options: Options) -> HeadingId | None:
    """A heading as the site generator reads it for its id: the raw Markdown of its
    (last) line, without container markers, closing hashes or attribute list (or,
    in MDX, the ``{/* #id */}`` comment that states it)."""
    level = int(opener.tag[1])
    first, last = token.map[0], token.map[1]
    if opener.markup.startswith("#"):
        s, e = lines[first]
        raw = text[s:e]
        parsed = anchors.parse_atx_heading(raw[raw.find("#"):]) if "#" in raw else None
        setext = False
    else:
        if located is None:
            return None
        _content, _starts, file_starts = located
        raw_lines = [text[fs : lines[first + k][1]].strip() for k, fs in enumerate(file_starts)]
        raw = "\n".join(raw_lines)
        parsed = anchors.parse_setext_heading(raw_lines, level)
        setext = True
        s, e = lines[first][0], lines[last - 1][1]
    if parsed is None:
        return None
    if options.dialect == "mdx" or options.id_syntax == "html-anchor":
        parsed = anchors.mdx_heading(parsed)
        if parsed is None:
            return None
    known = inline.MASK not in masked[s:e] or (parsed.id is not None and options.dialect != "hugo")
    return HeadingId(line, level, parsed.id, parsed.id is not None, setext=setext, id_text=parsed.id_text,
                     known=known)


def _heading_ids(doc: Document, options: Options) -> None:
    """Each heading's id, as Hugo hands them out over the page."""
    doc.keep_ids, doc.id_type, doc.id_syntax = options.keep_ids, options.heading_ids, options.id_syntax
    ids = anchors.HeadingIds(options.heading_ids)
    for heading in doc.headings:
        if not heading.known:
            continue  # a shortcode in it: Hugo's id depends on what it puts there
        if heading.explicit:
            ids.explicit(heading.id)  # type: ignore[arg-type]
        else:
            heading.id = ids.auto(heading.id_text)


Located = "tuple[str, list[int], list[int]] | None"


def _html_block(token, text: str, masked: str, lines, protect, protect_plain, options: Options):
    """(start, end, parts) of an HTML block with prose or readable attributes in it."""
    located = _locate_text(token.content.rstrip(), token.map[0], masked, lines)
    if located is None:
        return None
    src = inline.InlineText(located[0], text, located[1], located[2])
    parts = htmlblocks.html_parts(src, protect, options.html_attributes,
                                  lambda pos: text.count("\n", 0, src.at(pos)) + 1, protect_plain)
    if not any(isinstance(p, Segment) for p in parts):
        return None
    if options.dialect == "mdx":  # text in JSX: braces and tags escaped as MDX needs
        for part in parts:
            if isinstance(part, Segment) and part.codec == "html":
                part.style = "mdx"
    return src.at(0), src.at(len(src.content) - 1) + 1, parts


def _locate_lines(token, masked: str, lines) -> Located:
    return _locate_text(token.content, token.map[0], masked, lines)


def _locate_text(content: str, first: int, masked: str, lines) -> Located:
    """The file offsets of a block's content lines, each a line's end (its container
    prefix and indentation before it)."""
    if not content:
        return None
    content_lines = content.split("\n")
    if first + len(content_lines) > len(lines):
        return None
    content_starts, file_starts = [], []
    offset = 0
    last = len(content_lines) - 1
    for k, cl in enumerate(content_lines):
        s, e = lines[first + k]
        line = masked[s:e]
        candidate = line.rstrip() if k == last else line
        if not candidate.endswith(cl):
            return None
        content_starts.append(offset)
        file_starts.append(s + len(candidate) - len(cl))
        offset += len(cl) + 1
    return content, content_starts, file_starts


def _locate_atx(token, masked: str, lines) -> Located:
    s, e = lines[token.map[0]]
    line = masked[s:e]
    hashes = line.find("#")
    col = line.find(token.content, hashes + 1) if token.content else -1
    if hashes < 0 or col < 0:
        return None
    return token.content, [0], [s + col]


def _locate_cell(token, masked: str, lines, row: list[int]) -> Located:
    """A cell in its row's line. Cells come in order: ``row`` holds [line, where the
    previous cell ended], so a row of n cells is searched once, not n times."""
    if row[0] != token.map[0]:
        row[0], row[1] = token.map[0], 0
    if not token.content:
        return None
    s, e = lines[token.map[0]]
    # markdown-it unescapes "\|" in cells; the source form is what gets parsed here
    wanted = token.content.replace("|", "\\|")
    col = masked.find(wanted, s + row[1], e)
    if col < 0:
        return None
    row[1] = col - s + len(wanted)
    return wanted, [0], [col]


def _add_attributes(pieces: list[Piece], protect_plain, line: int, options: Options) -> None:
    """Inline HTML's readable attributes (``<abbr title="...">``) are translated on their own."""
    if not options.html_attributes:
        return
    wanted = set(options.html_attributes)
    for piece in pieces:
        if piece.markup in ("html_inline", "html") and piece.kind != CLOSE and piece.parts is None and "=" in piece.src:
            parts = htmlblocks.attribute_parts(piece.src, wanted, line, protect_plain)
            if any(isinstance(p, Segment) for p in parts):
                piece.parts = parts


#: Spaces and tabs, and up to one line break with the next line's container prefix.
_GAP = re.compile(r"[ \t]*(?:\n[ \t>]*)?")
#: A line break inside a title followed by a quote marker: the marker or the title's text?
_QUOTED_BREAK = re.compile(r"\n[ \t]*>")


def title_span(src: str) -> tuple[int, int] | None:
    """Where the title is in a link's closing markup (``](/url "title")``), quotes left
    out: read by the spec's rules for destinations and titles, so that what reads as
    a title to Markdown is one (``/url\u00a0"title"`` is all destination: a no-break
    space is no space there)."""
    if not src.startswith("](") or not src.endswith(")"):
        return None
    dest = parseLinkDestination(src, _GAP.match(src, 2).end(), len(src))  # type: ignore[union-attr]
    if not dest.ok:
        return None
    gap = _GAP.match(src, dest.pos).end()  # type: ignore[union-attr]
    if gap == dest.pos or gap >= len(src) - 1:
        return None
    title = parseLinkTitle(src, gap, len(src))
    if not title.ok or _GAP.match(src, title.pos).end() != len(src) - 1:  # type: ignore[union-attr]
        return None
    return gap + 1, title.pos - 1


def _add_titles(pieces: list[Piece], protect_plain, line: int) -> None:
    """Link and image titles are translated on their own, inside the closing piece."""
    for piece in pieces:
        if piece.kind != CLOSE or piece.markup not in ("link", "image"):
            continue
        found = title_span(piece.src)
        if found is None:
            continue
        a, b = found
        raw = piece.src[a:b]
        if not raw.strip() or _QUOTED_BREAK.search(raw):
            continue
        seg = Segment("title", line, escapes.value_pieces(raw, protect_plain, title=True), codec="quoted",
                      style=piece.src[a - 1], src=raw)
        piece.parts = [piece.src[:a], seg, piece.src[b:]]


def block_shape(text: str, options: Options | None = None) -> list[str]:
    """The blocks a content file's body reads as (markdown-it's block tokens: their
    kind, tag and depth), whatever words they hold: what a translation keeps of its
    source. A paragraph of nothing but punctuation is a paragraph here, as it is to
    the site generator (it holds no segment, so comparing segments would miss it)."""
    options = options or Options()
    pos = 1 if text.startswith("\ufeff") else 0
    fm = _front_matter(text, pos)
    if fm is not None and fm[2] >= 0:
        pos = fm[3]
    regions, _calls = _shortcodes(text, pos, options)
    masked = _mask(text, regions)[pos:].replace("\r\n", "\n")
    try:
        tokens = parser(options.dialect).parse(masked, {})
    except RecursionError:
        raise ContentError(limits.NESTED) from None
    return [f"{t.type}:{t.tag}:{t.level}" for t in tokens if t.type != "inline"]

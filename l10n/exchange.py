"""Translation units for translators' tools: XLIFF 1.2 and PO files, out and back in.

Every segment of an article (front-matter values, headings, paragraphs, list
items, cells, HTML-block text) is one unit. Its id is the digest of the
segment's source text (``3fa2c1d0e9``; ``3fa2c1d0e9.2`` for its second
occurrence in the file), so a re-export after the source changed keeps every
unchanged unit's id and a translator's work lines up; a unit whose source
changed has a new id, and an old file's unit for it is *stale*.

A unit's text is the segment's tagged text (``<g1>…</g1>``, ``<x2/>``, as
``markdown.tags`` numbers them), which ``xliff`` writes as XLIFF's inline
codes; in a PO file (po4a's and mdpo's convention) a message is the
segment's Markdown, line breaks as ``\\n``.

This module holds the units, reads and writes PO catalogs, and turns one
unit's translation into a segment's rendered text; ``commands.exchange``
runs export and import over a site.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from . import markdown, sentences
from .catalogs import unterminated
from .document import CLOSE, OPEN, TEXT, VOID, Document, Segment
from .errors import ContentError
from .markdown import plain, tags
from .markdown.render import Verify
from .translate import encode_parts, encode_plain

#: A tag of the tagged text: (closing "/", "g" or "x", number, void "/").
TAG = re.compile(r"<(/?)([gx])(\d+)(/?)>")


@dataclass
class Unit:
    """One segment, as a translator's tool sees it."""

    id: str
    #: The source: tagged text (``<g1>…</g1>``, ``<x2/>``) for XLIFF, Markdown for PO.
    source: str
    target: str | None = None
    #: new, machine, stale, edited, reviewed; on import, the file's own state.
    state: str = "new"
    line: int = 0
    #: What a translator is told: where it is, check findings, a previous translation.
    notes: list[str] = field(default_factory=list)
    #: What each tag stands for: ("g" or "x", number) -> (markup, source text).
    codes: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    #: Close memory matches: (similarity 0-100, source, translation).
    matches: list[tuple[int, str, str]] = field(default_factory=list)
    #: A PO entry marked fuzzy (import).
    fuzzy: bool = False
    #: XLIFF's state-qualifier of the target ("mt-suggestion": still the machine's draft).
    qualifier: str = ""
    #: Why the unit cannot be imported at all, found while reading it.
    error: str = ""
    #: The line of the unit in the exchange file (import), for messages.
    where: int = 0


@dataclass
class FileUnits:
    """The units of one article: its source's key (site-relative) and its translation's."""

    original: str
    units: list[Unit] = field(default_factory=list)
    target: str = ""
    #: The article's own language, when it is not the exchange's.
    source_lang: str = ""


@dataclass
class Exchange:
    """A whole exchange file: a language pair and the articles' units."""

    source_lang: str
    target_lang: str
    files: list[FileUnits] = field(default_factory=list)
    #: "xliff" or "po"
    format: str = "xliff"


# --------------------------------------------------------------------------
# Segments as units


def unit_ids(doc: Document) -> list[tuple[str, Segment]]:
    """Every segment of ``doc`` with its unit id, in document order."""
    seen: Counter = Counter()
    out = []
    for seg in doc.segments():
        key = seg.digest()
        seen[key] += 1
        out.append((key if seen[key] == 1 else f"{key}.{seen[key]}", seg))
    return out


def base_id(unit_id: str) -> str:
    return unit_id.split(".", 1)[0]


def tagged(seg: Segment) -> tuple[str, dict[tuple[str, int], tuple[str, str]]]:
    """The segment's tagged text and what each tag stands for (a value, such as a
    front-matter title, is its whole text: it has no markup to carry)."""
    pieces = seg.pieces
    if seg.codec != "markdown":  # a value: no markup but protected terms, edges included
        codes, out = {}, []
        for p in pieces:
            if p.kind == VOID:
                codes[("x", len(codes) + 1)] = (p.markup, p.src)
                out.append(f"<x{len(codes)}/>")
            else:
                out.append(p.text if p.kind == TEXT else p.src)
        return "".join(out), codes
    codes: dict[tuple[str, int], tuple[str, str]] = {}
    for i, name in tags.numbered(seg).items():
        m = TAG.fullmatch(name)
        if m and not m.group(1):
            codes[(m.group(2), int(m.group(3)))] = (pieces[i].markup, pieces[i].src)
    return tags.engine_text(seg), codes


def edges(seg: Segment) -> bool:
    """Whether the segment has markup at its edges that its tagged text leaves out
    (it is put back as it is): then a translator is shown the whole segment."""
    if seg.codec != "markdown":
        return False
    lo, hi = tags.core_range(seg.pieces)
    return any(p.src.strip() for p in seg.pieces[:lo] + seg.pieces[hi:])


def tagged_like(source: Segment, translation: Segment) -> str | None:
    """A translation's segment as tagged text numbered as its source's tags, or None
    when its markup is not the source's (a person changed a link, added emphasis)."""
    if source.codec != "markdown":
        text, _codes = tagged(translation)
        return text if Counter(TAG.findall(text)) == Counter(TAG.findall(tagged(source)[0])) else None
    names = tags.numbered(source)
    pool: dict[tuple, list[str]] = {}
    src_pieces = source.pieces
    for i, name in names.items():
        p = src_pieces[i]
        if p.kind in (VOID, OPEN):
            partner = _partner(src_pieces, i)
            pool.setdefault((p.kind, p.markup, _fixed(p), partner), []).append(name)
    pieces = translation.pieces
    lo, hi = tags.core_range(pieces)
    out: list[str] = []
    open_names: dict[int, str] = {}
    for i in range(lo, hi):
        p = pieces[i]
        if p.kind == TEXT:
            out.append(p.text)
            continue
        if p.kind == CLOSE:
            if p.pair not in open_names:
                return None
            out.append("</" + open_names.pop(p.pair)[1:])
            continue
        found = pool.get((p.kind, p.markup, _fixed(p), _partner(pieces, i)))
        if not found:
            return None
        name = found.pop(0)
        if p.kind == OPEN:
            open_names[p.pair] = name
        out.append(name)
    if open_names or any(pool.values()):
        return None
    return re.sub(r"  +", " ", "".join(out)).strip()


def _partner(pieces, i: int) -> str:
    """A paired piece's closing markup (a link's target), so both ends identify it."""
    p = pieces[i]
    if p.kind != OPEN:
        return ""
    return next((_fixed(q) for q in pieces[i + 1 :] if q.kind == CLOSE and q.pair == p.pair), "")


def _fixed(piece) -> str:
    """A piece of markup without the text translated inside it (a link's title, a
    shortcode's parameters): what stays the same in every translation."""
    if piece.kind == CLOSE and piece.markup in ("link", "image") and piece.src.startswith("]") and \
            not piece.src.startswith("]("):
        return "]["  # a reference link, however its label is written (full, collapsed, shortcut)
    if piece.parts is None:
        return piece.src
    return "\x00".join(part for part in piece.parts if isinstance(part, str))


def markdown_text(seg: Segment) -> str:
    """A segment as a PO message holds it: its Markdown, each line break a plain ``\\n``
    (no list indentation or quote marker), as po4a writes it."""
    prefixes = _joints(seg)
    out = []
    for p in seg.pieces:
        src = p.src
        if "\n" in src:
            for joint in sorted(set(p.joints) | prefixes, key=len, reverse=True):
                if joint.strip("\r\n"):  # a line break and the next line's container prefix
                    src = src.replace(joint, "\n")
        out.append(src)
    return "".join(out)


def _joints(seg: Segment) -> set[str]:
    """The line breaks of a segment with their container prefixes (``\\n> ``, ``\\n   ``)."""
    found = {j for p in seg.pieces if p.kind == TEXT for j in p.joints}
    found.update(p.src[p.src.index("\n"):] for p in seg.pieces
                 if p.kind != TEXT and "\n" in p.src and not p.src.strip(" \t>\r\n\\"))
    return found


def normalized(text: str) -> str:
    """What two messages that differ only in spaces and line wrapping share."""
    return " ".join(text.split())


# --------------------------------------------------------------------------
# A unit's translation into a segment


def apply_tagged(seg: Segment, text: str, verify: Verify | None) -> str | None:
    """Render a tagged translation into ``seg``; why it cannot be, else None."""
    sent, codes = tagged(seg)
    if seg.codec != "markdown":
        if Counter(TAG.findall(text)) != Counter(TAG.findall(sent)):
            return "its inline codes are not the source's (one is missing, doubled or new)"
        parts: list[tuple[str, bool]] = []
        pos = 0
        for m in TAG.finditer(text):  # each code as its source wrote it: an entity stays one
            markup, src = codes[(m.group(2), int(m.group(3)))]
            parts += [(text[pos : m.start()], False), (src, markup in plain.AS_WRITTEN)]
            pos = m.end()
        seg.rendered = encode_parts(seg, parts + [(text[pos:], False)])
        seg.outcome = "aligned"
        return None
    if Counter(m.group(0) for m in TAG.finditer(text)) != Counter(m.group(0) for m in TAG.finditer(sent)):
        return "its inline codes are not the source's (one is missing, doubled or new)"
    if _parents(text) != _parents(sent):
        return "its inline codes are not nested as in the source (a code moved into or out of a pair)"
    if not tags.apply_translation(seg, text, verify, sent):
        return "its inline codes do not read as the source's markup there"
    if seg.rendered is None:
        seg.rendered = seg.source
    return None


def _parents(text: str) -> dict[str, str]:
    """Each tag's enclosing pair in tagged text."""
    out: dict[str, str] = {}
    stack: list[str] = []
    for m in TAG.finditer(text):
        closing, kind, number, _void = m.groups()
        name = kind + number
        if closing:
            if stack:
                stack.pop()
            continue
        out[name] = stack[-1] if stack else ""
        if kind == "g":
            stack.append(name)
    return out


def apply_plain(seg: Segment, text: str) -> str | None:
    """A value (front matter, a parameter, an attribute) written as its source writes values."""
    seg.rendered = encode_plain(seg, text) if seg.codec != "markdown" else text
    seg.outcome = "aligned"
    return None


def apply_markdown(seg: Segment, text: str) -> str | None:
    """Render a Markdown translation (a PO msgstr) into ``seg``; why it cannot be, else None.

    A person's deliberate changes are kept (a localized link, a reworded code
    span); what would change the page's block structure, or leave markup that
    closes nothing, is refused."""
    if seg.codec not in ("markdown", "html"):
        return apply_plain(seg, text)
    if not text.strip():
        return "it is empty"
    source = markdown_text(seg)
    if "\n\n" in text.strip("\n").replace("\r", "") and "\n\n" not in source:
        return "it would change the page's block structure (a blank line splits it)"
    if "\n" in text.strip("\n") and (seg.in_table or seg.kind == "heading") and "\n" not in source:
        return f"a {'cell' if seg.in_table else 'heading'} holds one line: its translation has a line break"
    if seg.codec == "html":
        return _apply_html(seg, text, source)
    try:
        shape, theirs = _blocks(text), _blocks(source)
        unbalanced = _literal_marks(text) - _literal_marks(source)
    except ContentError as exc:
        return f"it does not read as Markdown ({exc.message})"
    ours, theirs_kept = _kept_marks(source), _kept_marks(text)
    if ours != theirs_kept:
        lost = sorted(set(ours.split()) - set(theirs_kept.split())) or sorted(set(theirs_kept.split()) - set(ours.split()))
        return f"it changes markup the page needs as it is ({', '.join(lost) or 'a shortcode, alert or heading id'})"
    if seg.codec == "markdown":
        if shape != theirs:
            return "it would change the page's block structure (" + _what_blocks(text) + ")"
        if seg.in_table and _pipes(text) != _pipes(source):
            return "it would change the table's cells (an unescaped |)"
        if unbalanced:
            mark = next(iter(unbalanced))
            return f"its markup is unbalanced (a {mark!r} that opens or closes nothing)"
    joints = Counter(j for p in seg.pieces if p.kind == TEXT for j in p.joints)
    joints.update(_joints(seg))
    if "\n" in text.strip():
        joint = joints.most_common(1)[0][0] if joints else None
        lines = text.strip("\n").split("\n")
        if joint is None:  # the source is one line: soft breaks read as spaces
            text = lines[0] + "".join(("\n" if line_ends_hard(prev) else " ") + line.lstrip()
                                      for prev, line in zip(lines, lines[1:]))
        else:
            text = joint.join(lines)
    seg.rendered = text.strip("\n") if seg.codec == "markdown" else text
    seg.outcome = "aligned"
    return None


_HTML_TAG = re.compile(r"<[^<>]*>")
#: Markup a translation must keep as it is: shortcodes (opening and closing), alert
#: markers, heading attributes.
_KEPT = re.compile(r"\{\{[<%]\s*/?\s*[\w.-]+|^\s*\[![A-Za-z]+\]|\{[#.][^}]*\}", re.M)


def _kept_marks(text: str) -> str:
    return " ".join(sorted(m.group(0).replace(" ", "") for m in _KEPT.finditer(text)))


def _apply_html(seg: Segment, text: str, source: str) -> str | None:
    """HTML-block text: the same tags and entities as the source, and no other markup."""
    if Counter(_HTML_TAG.findall(text)) != Counter(_HTML_TAG.findall(source)):
        return "its HTML tags are not the source's (one is missing, changed or new)"
    rest = _HTML_TAG.sub("", text)
    if "<" in rest or ">" in rest and ">" not in _HTML_TAG.sub("", source):
        return "it holds a '<' that is no tag of the source's (write &lt;)"
    if Counter(re.findall(r"&#?\w+;", text)) - Counter(re.findall(r"&#?\w+;", source)) or \
            re.search(r"&(?!#?\w+;)", rest):
        return "it holds an '&' that is no entity of the source's (write &amp;)"
    lines = text.strip("\n").split("\n")
    joint = next(iter(_joints(seg)), "\n")
    seg.rendered = joint.join(lines)
    seg.outcome = "aligned"
    return None


def line_ends_hard(line: str) -> bool:
    return line.endswith(("  ", "\\"))


def _blocks(text: str) -> list[str]:
    """The block shape a text reads as on its own (paragraph, list, heading...)."""
    doc = markdown.parse(text.strip("\n") + "\n")
    return [s.block.split("/", 1)[0] + ":" + s.kind for s in doc.segments() if s.kind not in ("attr",)]


def _what_blocks(text: str) -> str:
    shape = _blocks(text)
    return "reads as " + (", ".join(dict.fromkeys(shape)) if shape else "nothing")


def _pipes(text: str) -> int:
    return len(re.findall(r"(?<!\\)\|", text))


def _literal_marks(text: str) -> Counter:
    """Markup characters left as literal text: a delimiter that found no partner."""
    doc = markdown.parse(text.strip("\n") + "\n")
    found: Counter = Counter()
    for seg in doc.segments():
        for p in seg.pieces:
            if p.kind == TEXT:
                found.update(ch for ch in p.text if ch in "*`[]")
    return found


# --------------------------------------------------------------------------
# PO (gettext): Babel writes and reads it


def write_po(exchange: Exchange) -> bytes:
    """The units as one PO catalog: msgctxt the article and unit id, msgid the Markdown source."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po as babel_write

    catalog = Catalog(locale=None, project="l10n export", fuzzy=False)
    catalog.language_team = exchange.target_lang
    for file in exchange.files:
        for unit in file.units:
            flags = {"fuzzy"} if unit.target is not None and unit.state in ("machine", "stale") else set()
            comments = list(unit.notes) + [f"memory {score}%: {src} -> {tgt}" for score, src, tgt in unit.matches]
            # the context names the article too: the same paragraph in two articles is two messages
            catalog.add(unit.source, unit.target or "", locations=[(file.original, unit.line)], flags=flags,
                        auto_comments=comments, context=f"{file.original}#{unit.id}")
    out = io.BytesIO()
    babel_write(out, catalog, width=0, sort_output=False, include_previous=True)
    text = out.getvalue().decode("utf-8")
    # Babel writes no Language header without a locale; translators' tools want one
    text = text.replace('"MIME-Version: 1.0\\n"', f'"Language: {exchange.target_lang}\\n"\n"MIME-Version: 1.0\\n"', 1)
    return text.replace(f'"Language-Team: {exchange.target_lang}\\n"\n', "", 1).encode("utf-8")


def read_po(data: bytes, where: str) -> Exchange:
    """A PO catalog's entries as units (no file grouping: ``original`` is "")."""
    from babel.messages.pofile import PoFileError
    from babel.messages.pofile import read_po as babel_read

    bad = unterminated(data)
    if bad is not None:  # Babel reads on; msgfmt (and so every other tool) refuses it
        raise ContentError("end-of-line within string (a quote is never closed)", where, bad)
    declared = re.search(rb"charset=([\w.-]+)", data[:4096])
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        catalog = babel_read(io.BytesIO(data), abort_invalid=True, charset=charset)
    except LookupError:
        raise ContentError(f"PO catalog in an unknown charset {charset!r}", where) from None
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise ContentError(f"not a readable PO catalog ({exc})", where) from None
    lang = str(catalog.locale) if catalog.locale else ""
    header = dict(catalog.mime_headers)
    lang = header.get("Language", "") or lang
    exchange = Exchange("", lang.replace("_", "-"), format="po")
    file = FileUnits("")
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        string = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        unit = Unit(message.context or "", message.id, string or None, fuzzy=message.fuzzy,
                    where=message.lineno or 0)
        unit.state = "fuzzy" if message.fuzzy else ("translated" if string else "new")
        unit.notes = [f"{path}:{line}" for path, line in message.locations]
        file.units.append(unit)
    exchange.files.append(file)
    return exchange


def sentence_pairs(units: Sequence[Unit]) -> list[tuple[str, str]]:
    """A catalog's pairs as plain text, sentence by sentence where both sides have as
    many sentences (else the whole block): what the translation memory keeps."""
    pairs = []
    for source, target in pairs_from_catalog(units):
        try:
            a = [plain.plain(s) for s in markdown.parse(source.strip("\n") + "\n").segments()]
            b = [s for s in markdown.parse(target.strip("\n") + "\n").segments()]
        except ContentError:
            continue
        if len(a) != 1 or len(b) != 1:
            continue
        # the translation's code named as its source's, wherever the translator put it
        form = a[0]
        whole = plain.plain(b[0], like=form).text
        ours = [s for s, _ in sentences.split(form.text)]
        theirs = [t for t, _ in sentences.split(whole)]
        split = list(zip(ours, theirs)) if len(ours) == len(theirs) else [(form.text, whole)]
        # a pair whose code the translator changed, moved to another sentence or wrote
        # as prose would put a stand-in into a later translation: not kept
        pairs.extend((s, t) for s, t in split if form.named_in(s) == form.named_in(t))
    return pairs



def pairs_from_catalog(units: Sequence[Unit], fuzzy: bool = False) -> Iterator[tuple[str, str]]:
    """(source Markdown, translation) pairs a catalog holds, down to single segments:
    a message holding several blocks (a quote, a list) gives one pair per block
    when its translation has the same blocks."""
    for unit in units:
        if not unit.target or (unit.fuzzy and not fuzzy):
            continue
        yield unit.source, unit.target
        flat, translated = normalized(unit.source), normalized(unit.target)
        if " : " in flat and flat.count(" : ") == translated.count(" : "):
            # a definition list whose lines po4a wrapped into one: term and definitions
            yield from zip(flat.split(" : "), translated.split(" : "))
        if "\n" not in unit.source.strip() and not unit.source.lstrip().startswith((">", "-", "*", "+")):
            continue
        try:
            ours = [s for s in markdown.parse(unit.source.strip("\n") + "\n").segments() if s.kind != "attr"]
            theirs = [s for s in markdown.parse(unit.target.strip("\n") + "\n").segments() if s.kind != "attr"]
        except ContentError:
            continue
        if ours and [(s.kind, s.block) for s in ours] == [(s.kind, s.block) for s in theirs]:
            for a, b in zip(ours, theirs):
                if markdown_text(a) != unit.source:
                    yield markdown_text(a), markdown_text(b)


_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def _fences(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(opening line, closing line) of each fenced code block among ``lines``."""
    i = 0
    while i < len(lines):
        opener = _FENCE_LINE.match(lines[i])
        if not opener:
            i += 1
            continue
        fence = opener.group(1)
        end = next((j for j in range(i + 1, len(lines))
                    if lines[j].strip().startswith(fence[0] * len(fence)) and not lines[j].strip().strip(fence[0])),
                   None)
        if end is None:
            return
        yield i, end
        i = end + 1


def translate_code(part: str, code: dict[str, str]) -> tuple[str, list[str], list[str]]:
    """Fenced code blocks in a run of untouched source text whose content a catalog
    translates (po4a gives each code block a message: a translated comment, an
    example's strings): the text with them replaced; the contents replaced; and why
    others were refused. Only whole contents between a fence and its closing fence
    are replaced, and a translation may not open or close a fence."""
    if not code or "```" not in part and "~~~" not in part:
        return part, [], []
    lines = part.splitlines(keepends=True)
    out: list[str] = []
    applied: list[str] = []
    refused: list[str] = []
    pos = 0
    for start, end in _fences(lines):
        out.extend(lines[pos : start + 1])
        pos = start + 1  # the content stays, unless its translation replaces it
        content = "".join(lines[start + 1 : end])
        translation = code.get(content.replace("\r\n", "\n"))
        if translation is None or translation == content:
            continue
        if any(_FENCE_LINE.match(line) for line in translation.splitlines()):
            refused.append(f"its translation of the code block at {content.splitlines()[0][:40]!r} opens or "
                           "closes a fence")
            continue
        newline = "\r\n" if content.endswith("\r\n") else "\n"
        text = translation if translation.endswith("\n") else translation + "\n"
        out.append(text.replace("\r\n", "\n").replace("\n", newline) if newline != "\n" else text)
        applied.append(content.replace("\r\n", "\n"))
        pos = end  # the closing fence follows
    out.extend(lines[pos:])
    return "".join(out), applied, refused


def fenced_blocks(text: str) -> list[str]:
    """The contents of a text's fenced code blocks, in order (line breaks as ``\\n``)."""
    lines = text.splitlines(keepends=True)
    return ["".join(lines[start + 1 : end]).replace("\r\n", "\n") for start, end in _fences(lines)]


def kept_code(source: str, translation: str) -> dict[str, str]:
    """What a translation has in the source's code blocks where it differs (a person's
    translated comment), when both have the same blocks in the same order."""
    ours, theirs = fenced_blocks(source), fenced_blocks(translation)
    if len(ours) != len(theirs):
        return {}
    return {a: b for a, b in zip(ours, theirs) if a != b and ours.count(a) == 1}

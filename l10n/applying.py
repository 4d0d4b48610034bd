"""A translation unit's text into its segment, through the encoding engines' output takes.

An XLIFF target is tagged text (``<g1>…</g1>``, ``<x2/>``): its codes must be
the source's, nested as in the source, and its words are written back as an
engine's words are (escaped wherever Markdown or HTML would read them as
markup). A PO ``msgstr`` is the segment's Markdown: a person's deliberate
changes are kept (a localised link, a reworded code span), what would change
the page's block structure, drop markup the page needs (a shortcode, an
alert's marker, a heading's id) or leave markup unbalanced is refused. A
catalog's translation of a whole fenced code block replaces its content when
it changes words only.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, Sequence

from .document import TEXT, Document, Segment
from .errors import ContentError
from .exchange import TAG, fragment, has_markup, joints, markdown_text, tagged
from .markdown import plain, tags
from .markdown.inline import has_word, needs_engine
from .markdown.render import Verify
from .translate import encode_parts, encode_plain




def apply_tagged(seg: Segment, text: str, verify: Verify | None) -> str | None:
    """Render a tagged translation into ``seg``; why it cannot be, else None."""
    sent, codes = tagged(seg)
    if not has_markup(seg):
        why = codes_kept(seg, text)
        if why is None:
            apply_value(seg, plain_of(seg, text, xliff=True))
        return why
    if Counter(m.group(0) for m in TAG.finditer(text)) != Counter(m.group(0) for m in TAG.finditer(sent)):
        return "its inline codes are not the source's (one is missing, doubled or new)"
    if _parents(text) != _parents(sent):
        return "its inline codes are not nested as in the source (a code moved into or out of a pair)"
    if seg.codec == "html":
        verify = None  # HTML text is escaped as HTML: no word reads as markup (as an engine's)
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


def apply_markdown(seg: Segment, text: str, keep_id: str | None = None) -> str | None:
    """Render a Markdown translation (a PO msgstr) into ``seg``; why it cannot be, else None.

    A person's deliberate changes are kept (a localized link, a reworded code
    span); what would change the page's block structure, or leave markup that
    closes nothing, is refused. A heading may keep the id l10n wrote on it
    (``keep_id``, the source's) as exported, or leave it out (l10n writes it
    again); another id would break the links to it."""
    if seg.codec not in ("markdown", "html"):
        return apply_plain(seg, text)
    if not text.strip():
        return "it is empty"
    source = markdown_text(seg)
    if seg.kind == "heading":
        text, why = _heading_id(text, source, keep_id)
        if why:
            return why
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
    breaks = Counter(j for p in seg.pieces if p.kind == TEXT for j in p.joints)
    breaks.update(joints(seg))
    if "\n" in text.strip():
        joint = breaks.most_common(1)[0][0] if breaks else None
        lines = text.strip("\n").split("\n")
        if joint is None:  # the source is one line: soft breaks read as spaces
            text = lines[0] + "".join(("\n" if line_ends_hard(prev) else " ") + line.lstrip()
                                      for prev, line in zip(lines, lines[1:]))
        else:
            text = joint.join(lines)
    seg.rendered = text.strip("\n") if seg.codec == "markdown" else text
    seg.outcome = "aligned"
    return None


#: A heading's attribute list at its end: ``{#id .class}``.
_ATTRIBUTES = re.compile(r"[ \t]*\{([^{}]*)\}[ \t]*$")


def _heading_id(text: str, source: str, keep_id: str | None) -> tuple[str, str | None]:
    """A heading's translation without the id l10n keeps on it (written again on
    render), or why its id cannot be taken."""
    found = _ATTRIBUTES.search(text.rstrip("\n"))
    if found is None:
        return text, None
    tokens = found.group(1).split()
    ids = [t for t in tokens if t.startswith("#")]
    own = _ATTRIBUTES.search(source.rstrip("\n"))
    if not ids or (own is not None and any(t.startswith("#") for t in own.group(1).split())):
        return text, None  # no id, or the source's own: the markup check holds it
    if keep_id and ids == [f"#{keep_id}"]:
        rest = [t for t in tokens if t != ids[0]]
        return text[: found.start()] + (" {" + " ".join(rest) + "}" if rest else ""), None
    needed = f"{{#{keep_id}}}" if keep_id else "the id its words give it"
    return text, f"it gives the heading the id {{{ids[0]}}}; the links to it need {needed}"


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
    joint = next(iter(joints(seg)), "\n")
    seg.rendered = joint.join(lines)
    seg.outcome = "aligned"
    return None


def line_ends_hard(line: str) -> bool:
    return line.endswith(("  ", "\\"))


def _blocks(text: str) -> list[str]:
    """The block shape a text reads as on its own (paragraph, list, heading...)."""
    doc = fragment(text)
    return [s.block.split("/", 1)[0] + ":" + s.kind for s in doc.segments() if s.kind not in ("attr",)]


def _what_blocks(text: str) -> str:
    shape = _blocks(text)
    return "reads as " + (", ".join(dict.fromkeys(shape)) if shape else "nothing")


def _pipes(text: str) -> int:
    return len(re.findall(r"(?<!\\)\|", text))


def _literal_marks(text: str) -> Counter:
    """Markup characters left as literal text: a delimiter that found no partner."""
    doc = fragment(text)
    found: Counter = Counter()
    for seg in doc.segments():
        for p in seg.pieces:
            if p.kind == TEXT:
                found.update(ch for ch in p.text if ch in "*`[]")
    return found




_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
#: What code may not gain in translation: shortcodes (Hugo expands them even in a
#: fenced block) and HTML elements, by name.
_CODE_MARKUP = re.compile(r"\{\{[<%]\s*/?\s*[\w.-]*|<\s*/?\s*[A-Za-z][\w-]*|<!--")


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


def translate_code(part: str, code: dict[str, str]) -> tuple[str, list[str], list[tuple[str, str]]]:
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
    refused: list[tuple[str, str]] = []  # (why, the block's content)
    pos = 0
    for start, end in _fences(lines):
        out.extend(lines[pos : start + 1])
        pos = start + 1  # the content stays, unless its translation replaces it
        content = "".join(lines[start + 1 : end])
        translation = code.get(content.replace("\r\n", "\n"))
        if translation is None or translation == content:
            continue
        if any(_FENCE_LINE.match(line) for line in translation.splitlines()):
            refused.append((f"its translation of the code block at {content.splitlines()[0][:40]!r} opens or "
                            "closes a fence", content))
            continue
        added = sorted((Counter(_CODE_MARKUP.findall(translation)) - Counter(_CODE_MARKUP.findall(content))).elements())
        if added:  # Hugo expands shortcodes inside code blocks: a code translation changes words only
            refused.append((f"its translation of the code block at {content.splitlines()[0][:40]!r} adds "
                            f"{added[0]!r}, which the block does not hold: a code block's translation changes words "
                            "only", content))
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


def kept_id(doc: Document | None, seg: Segment) -> str | None:
    """The id l10n keeps on a heading's translation (the source's), if ``seg`` is one."""
    if doc is None or seg.kind != "heading" or not doc.keep_ids:
        return None
    return next((h.id for h in doc.headings if h.segment is seg and h.known), None)


def wordless(seg: Segment, text: str) -> str | None:
    """Why a translation with no word cannot stand for a block's text that has words,
    else None: the page would hold a block that reads as no segment (``---`` written as
    ``\\---``), which every later check, export and review pairs with the wrong source."""
    if seg.codec in ("markdown", "html") and needs_engine(seg) and not has_word(TAG.sub("", text)):
        return "it holds no words (only punctuation or markup); a block's translation needs its words"
    return None


def codes_kept(seg: Segment, text: str) -> str | None:
    """Why a value's tagged translation cannot be read (its codes are not the source's)."""
    sent, _codes = tagged(seg)
    if Counter(TAG.findall(text)) != Counter(TAG.findall(sent)):
        return "its inline codes are not the source's (one is missing, doubled or new)"
    return None


def plain_of(seg: Segment, text: str, xliff: bool) -> list[tuple[str, bool]]:
    """A value's translation in parts: (text, whether it stays as written). XLIFF: each
    code is its source's text, an entity or escape as it was written (one stays one)."""
    if not xliff:
        return [(text, False)]
    _sent, codes = tagged(seg)
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in TAG.finditer(text):
        markup, src = codes[(m.group(2), int(m.group(3)))]
        parts += [(text[pos : m.start()], False), (src, markup in plain.AS_WRITTEN)]
        pos = m.end()
    return parts + [(text[pos:], False)]


def apply_value(seg: Segment, parts: list[tuple[str, bool]]) -> None:
    """A value's translation (``plain_of``) written as the segment's source writes values."""
    seg.rendered = encode_parts(seg, parts)
    seg.outcome = "aligned"

"""Documents in, translated documents out: whole plain sentences to the engine, markup put back by alignment.

Every segment is read as plain text (``markdown.plain``): no markup reaches
the engine, and each sentence is translated whole, once per run (duplicates
are sent once, the translation memory answers what it knows). The markup of
the segment is then projected onto the translated words (``align.project``),
by the engine's own word alignment where it gives one (``translate_aligned``:
Argos through CTranslate2's attention, copy, pseudo), else by locating each
marked span's own translation in the sentence's. Engines that declare they
keep tags (``keeps_tags``) are sent the tagged segment first, and their
output is verified; what fails goes the plain way. A sentence is never cut
into fragments, and no paragraph stays in the source language because its
markup was hard to place: what could not be placed well is a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import align, anchors, detect, sentences
from .calls import Pair, Pairs
from .document import VOID, Document, Segment
from .engines import Engine
from .errors import Problem
from .markdown import frontmatter, htmlblocks, inline, plain, tags
from .markdown.escapes import escape_references
from .markdown.render import make_verifier


# --------------------------------------------------------------------------
# Documents


@dataclass
class _Work:
    """One segment on its way: its plain form, its sentences, and what came back."""

    doc: Document
    seg: Segment
    form: plain.Plain
    #: (start, end) of each sentence in form.text, and the whitespace after it
    parts: list[tuple[int, int, str]] = field(default_factory=list)
    outputs: list[tuple[str, Pairs | None]] = field(default_factory=list)
    #: the texts sent to the engine for it (one refused fails its document)
    sent: list[str] = field(default_factory=list)
    #: the texts whose translations make its own (its sentences), for its confidence
    scored: list[str] = field(default_factory=list)


def translate_documents(
    docs: Sequence[Document],
    pair: Pair | Engine,
    source: str = "",
    target: str = "",
    verify: bool = True,
    glossary: dict[str, str] | None = None,
) -> list[Problem]:
    """Translate every segment of ``docs`` in place, through ``pair`` (or an engine
    and the codes ``source`` and ``target``, without a memory). Raises EngineError
    when the engine fails or breaks its contract; then no document was changed.
    A problem of severity "error" names a document the engine failed alone (a
    translation over its size limit): nothing may be written for it."""
    if not isinstance(pair, Pair):
        pair = Pair(pair, source, target)
    verifiers = {id(doc): make_verifier(doc.env) for doc in docs} if verify else {}
    if glossary:
        apply_glossary(docs, glossary)
    notices: list[Problem] = []
    work = [_Work(doc, seg, plain.plain(seg)) for doc in docs for seg in doc.segments()
            if seg.rendered is None and inline.needs_engine(seg)]  # a preset one is already translated
    # a segment holding others (a link with a title, a shortcode with parameters) is
    # rendered with their translations: they go first, then it
    holders = [w for w in work if any(True for _ in w.seg.children())] if pair.keeps_tags else []
    held = {id(w) for w in holders}
    for batch in ([w for w in work if id(w) not in held], holders) if holders else (work,):
        if pair.keeps_tags:
            batch = _tagged(batch, pair, verifiers)
        _sentences(batch, pair)
        located = _lookups(batch, pair)
        for item in batch:
            notices.extend(_place(item, located, verifiers.get(id(item.doc))))
            item.seg.confidence = _weakest(item, pair) if item.seg.outcome != "kept" else None
    for doc in docs:
        keep_heading_ids(doc)
    return _failed(work, pair, notices) if pair.refused else notices


def _failed(work: list[_Work], pair: Pair, notices: list[Problem]) -> list[Problem]:
    """The documents that sent a text whose translation was refused: one error each,
    in place of their notices."""
    failed: dict[int, Problem] = {}
    for item in work:
        text = next((t for t in item.sent if t in pair.refused), None)
        if text is not None and id(item.doc) not in failed:
            failed[id(item.doc)] = Problem(item.doc.path, item.seg.line, pair.refused[text])
    paths = {problem.path for problem in failed.values()}
    return [n for n in notices if n.path not in paths] + list(failed.values())


def keep_heading_ids(doc: Document) -> None:
    """Translated headings keep the ids their source headings had, so every link to
    them still works: where a heading's translation would get another id, the
    source's is written as its attribute (``## Escena {#scene}``)."""
    if not doc.keep_ids:
        return
    ids = anchors.HeadingIds(doc.id_type)
    for heading in doc.headings:
        if not heading.known:
            continue
        if heading.explicit:
            ids.explicit(heading.id)  # type: ignore[arg-type]
            continue
        seg = heading.segment
        text = heading.id_text
        if seg is not None and seg.rendered is not None:
            text = _id_text(seg.rendered, heading)
        if seg is None or ids.next_id(text) == heading.id:
            ids.auto(text)
            continue
        seg.rendered = anchors.add_id(seg.render(), heading.id, doc.id_syntax)  # type: ignore[arg-type]
        ids.explicit(heading.id)  # type: ignore[arg-type]


def _id_text(rendered: str, heading) -> str:
    if heading.setext:
        return anchors.parse_setext_heading([line.strip() for line in rendered.split("\n")], heading.level).id_text
    parsed = anchors.parse_atx_heading("#" * heading.level + " " + rendered)
    return parsed.id_text if parsed is not None else rendered


def _tagged(work: list[_Work], pair: Pair, verifiers) -> list[_Work]:
    """Engines that keep tags get the tagged segment; what they break goes the plain way."""
    sendable = [w for w in work if w.seg.codec == "markdown" and tags.can_use_tags(w.seg)]
    sent = [tags.engine_text(w.seg) for w in sendable]
    for item, text in zip(sendable, sent):
        item.sent.append(text)
    outputs = pair.texts(sent)
    done = set()
    for item, text, out in zip(sendable, sent, outputs):
        if tags.apply_translation(item.seg, out, verifiers.get(id(item.doc)), text):
            done.add(id(item))
            item.seg.confidence = pair.scores.get(text)
    return [w for w in work if id(w) not in done]


def _weakest(item: _Work, pair: Pair) -> float | None:
    """A segment's confidence: its weakest sentence's; None when one has none."""
    found = [pair.scores.get(text) for text in item.scored]
    if not found or any(value is None for value in found):
        return None
    return min(found)  # type: ignore[type-var]


def _sentences(work: list[_Work], pair: Pair) -> None:
    """Every sentence of every segment, translated whole, each distinct one once."""
    todo: list[str] = []
    for item in work:
        pos = 0
        for sentence, space in sentences.split(item.form.text):
            item.parts.append((pos, pos + len(sentence), space))
            if item.form.prose(pos, pos + len(sentence)):  # not only names (``X1.``)
                todo.append(sentence)
                item.sent.append(sentence)
                item.scored.append(sentence)
            pos += len(sentence) + len(space)
    results = dict(zip(todo, pair.aligned(todo))) if todo else {}
    for item in work:
        for start, end, _space in item.parts:
            sentence = item.form.text[start:end]
            item.outputs.append(results.get(sentence, (sentence, None)))


def _lookups(work: list[_Work], pair: Pair) -> dict[str, str]:
    """Engines that give no alignment: the translation of each marked span's own text,
    to find where it went in its sentence's translation."""
    wanted = []
    for item in work:
        if all(links is not None or out == item.form.text[s:e]
               for (s, e, _sp), (out, links) in zip(item.parts, item.outputs)):
            continue
        for span in item.form.spans:
            if span.kind != "anchor" and span.end > span.start:
                text = item.form.text[span.start : span.end]
                if item.form.prose(span.start, span.end) and text.strip() != item.form.text.strip():
                    wanted.append(" ".join(text.split()))
                    item.sent.append(wanted[-1])
    return dict(zip(wanted, pair.texts(wanted))) if wanted else {}


def _place(item: _Work, located: dict[str, str], verify) -> list[Problem]:
    """Project the segment's markup onto its translation and render it."""
    seg, form = item.seg, item.form
    notices: list[Problem] = []
    target_parts: list[str] = []
    links: list[align.Link] = []
    edges: list[align.Link] = []  # where each sentence starts and ends, in both texts
    offset = 0
    for (start, end, space), (out, pairs) in zip(item.parts, item.outputs):
        sentence = form.text[start:end]
        if not out.strip() and sentence.strip():
            notices.append(Problem(item.doc.path, seg.line, "the engine returned nothing for a sentence; "
                                   "it is kept in the source language", "warning"))
            out, pairs = sentence, None
        if out != sentence:
            out = _SPACES.sub(" ", out).strip(" \t\r\n")  # no-break spaces are text, not layout
        if out == sentence:
            sentence_links = align.identity_links(sentence, out)
        elif pairs is not None:
            sentence_links = align.links_from_pairs(sentence, out, pairs)
        else:
            sentence_links = _locate(form, start, end, out, located) + align.same_words(sentence, out)
        links += [(a + start, b + start, c + offset, d + offset) for a, b, c, d in sentence_links]
        edges += [(start, start, offset, offset), (end, end, offset + len(out), offset + len(out))]
        target_parts.append(out + (space if space else ""))
        offset += len(out) + len(space)
    target = "".join(target_parts).rstrip()
    if target == form.text and not _forced(seg):
        seg.outcome = "unchanged"  # keep the source's exact spelling
        return notices
    align.project(form.spans, form.text, target, links + edges)
    if _strays(form, target):
        notices.append(Problem(item.doc.path, seg.line, "the engine gave back a stand-in for code more often than "
                               "it was sent; the extra one is left out", "warning"))
    if seg.codec not in ("markdown", "html"):
        parts = plain.plain_value(seg, form, target)
        value = "".join(text for text, _written in parts)
        added = frontmatter.markup_added(frontmatter.value_of(seg), value) if seg.codec in ("yaml", "toml") else []
        if added:  # a theme may print the value as HTML or Markdown: no escape is safe in all of them
            seg.outcome = "kept"
            what = ", ".join(dict.fromkeys(f"{label} {token}" for label, token in added))
            notices.append(Problem(item.doc.path, seg.line, f"the engine added markup to {seg.key} ({what}); the "
                                   "value is kept in the source language", "warning"))
            return notices
        seg.rendered = encode_parts(seg, parts)
        seg.outcome = "aligned"
    else:
        if seg.codec == "html":
            verify = None  # HTML text: escaped, so no engine output reads as markup
        if not plain.apply(seg, form, target, verify):
            notices.append(_fallback(item, target, verify, edges))
    guessed = [s for s in form.spans if s.guessed and s.ref and s.ref[0] != "break"]
    if guessed:
        notices.append(Problem(item.doc.path, seg.line, f"{len(guessed)} piece{'s' * (len(guessed) != 1)} of markup "
                               "placed by position: no alignment reached the words around it", "warning"))
    return [n for n in notices if n is not None]


def _locate(form: plain.Plain, start: int, end: int, out: str, located: dict[str, str]) -> list[align.Link]:
    """Links for a sentence whose engine gave no alignment: each marked span inside
    it, where its own translation is found in the sentence's."""
    links: list[align.Link] = []
    found_at: list[tuple[int, int, tuple[int, int]]] = []  # source range -> where it was found
    spans = [s for s in form.spans if s.kind != "anchor" and start <= s.start and s.end <= end and s.end > s.start]
    todo = sorted(spans, key=lambda s: (s.kind != "atom", s.start))
    # exact matches first, in the source's order, then the words most like a span
    for fuzzy in (False, True):
        for span in list(todo):
            text = " ".join(form.text[span.start : span.end].split())
            if text.strip() == form.text[start:end].strip():
                found: tuple[int, int] | None = (0, len(out))
            else:
                # spans apart in the source are apart in the translation: two words that
                # look up alike ("which" and "how" both "qué") do not take the same word
                taken = [t for a, b, t in found_at if b <= span.start or a >= span.end]
                if text in form.names:  # a name stand-in comes through as it is, or is lost
                    found = None if fuzzy else _name_in(form, out, text, taken)
                elif not form.prose(span.start, span.end):  # an escaped "*", an entity's "—": as it is
                    found = None if fuzzy or not text.strip() else align.find(
                        out, text, (span.start - start) / max(1, end - start), taken)
                else:
                    # words that came through as they are (terms) are where they are; else
                    # the span's own translation, as it is, then the words most like it
                    own = located.get(text, "")
                    width = len([w for w in align.words(text) if any(ch.isalnum() for ch in text[w[0]:w[1]])])
                    expected = (span.start - start) / max(1, end - start)
                    found = None
                    for candidate in ((own, text) if fuzzy else (text, own)):
                        if candidate:
                            found = align.locate(out, candidate, expected, taken, width, fuzzy)
                        if found:
                            break
            if found:
                links.append((span.start - start, span.end - start, *found))
                found_at.append((span.start, span.end, found))
                todo.remove(span)
    return links


def _name_in(form: plain.Plain, out: str, name: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where a name stand-in (``X1``) is in an engine's output: as it was sent, else as
    engines change it (``x1``, ``X 1``); not where another span was found."""
    for match in [*re.finditer(rf"{name}(?!\d)", out), *form.found(name, out)]:
        if not any(match.start() < b and a < match.end() for a, b in taken):
            return match.span()
    return None


def _strays(form: plain.Plain, target: str) -> int:
    """Stand-ins an engine gave back more often than it was sent (``X1 X1``), or that
    no markup took: left out of the translation (``form.drop``); how many."""
    kept = [s.erase or s.target for s in form.spans if s.kind == "atom" and s.target]
    form.drop = []
    for name in form.names:
        for match in form.found(name, target):
            a, b = match.span()
            if any(x < b and a < y for x, y in kept):
                continue
            if a > 0 and target[a - 1] == " " and (b == len(target) or target[b] in " .,;:!?"):
                a -= 1  # with the space before it
            form.drop.append((a, b))
    return len(form.drop)


_EMPHASIS = {"em", "strong", "s"}
_SPACES = re.compile(r"[ \t\r\n]+")


def _fallback(item: _Work, target: str, verify, edges: list[align.Link]) -> Problem | None:
    """Markup the projection placed where it would not read as the source's: emphasis
    trimmed to its words; else every span in the source's order, in proportion; else
    the emphasis left out (with a warning); links and code always stay."""
    seg, form = item.seg, item.form
    pieces = seg.pieces

    def emphasis_of(spans):
        return [s for s in spans if s.ref and s.ref[0] == "pair" and pieces[s.ref[1]].markup in _EMPHASIS]

    for span in emphasis_of(form.spans):  # first: the emphasis on its words only, punctuation outside
        a, b = span.target  # type: ignore[misc]
        while a < b and not target[a].isalnum():
            a += 1
        while b > a and not target[b - 1].isalnum():
            b -= 1
        if b > a:
            span.target = (a, b)
    if plain.apply(seg, form, target, verify):
        return None
    form.spans = plain.plain(seg).spans  # afresh, placed by position alone: the source's order is kept
    align.project(form.spans, form.text, target, edges)
    _strays(form, target)  # a name's stand-in no markup took now
    if plain.apply(seg, form, target, verify):
        return Problem(item.doc.path, seg.line, "markup placed by position: the engine's words could not be "
                       "matched to the source's", "warning")
    emphasis = emphasis_of(form.spans)
    dropped = Counter(f"{pieces[s.ref[1]].markup}_open" for s in emphasis)  # type: ignore[index]
    form.spans = [s for s in form.spans if s not in emphasis]
    check = make_verifier(item.doc.env, dropped) if verify is not None else None
    if emphasis and plain.apply(seg, form, target, check):
        return Problem(item.doc.path, seg.line, "emphasis could not be placed on the translated words; left out",
                       "warning")
    seg.outcome = "kept"
    return Problem(item.doc.path, seg.line, "translation would break the markup; source text kept", "warning")


def _forced(seg: Segment) -> bool:
    """Whether a glossary term of the segment takes another text in the target."""
    return any(p.kind == VOID and p.parts is not None and p.markup == "protected" for p in seg.pieces)


def encode_plain(seg: Segment, text: str) -> str:
    """A plain-text translation written as the segment's source writes values."""
    if seg.codec in ("yaml", "toml"):
        return frontmatter.encode_value(seg, text)
    if seg.codec == "attr":  # an HTML attribute's value
        return _DELIMITERS.sub(lambda m: m.group(0)[0] + " " + m.group(0)[1:], htmlblocks.escape_attribute(text, seg.style))
    # quoted: shortcode parameters and link titles ("title", 'title' or (title))
    text = text.replace("\\", "\\\\")
    for quote in ("()" if seg.style == "(" else seg.style):
        text = text.replace(quote, "\\" + quote)
    if seg.style == "[]":  # an MDX admonition's [title]: braces and tags would be MDX
        text = re.sub(r"[{}<]", r"\\\g<0>", text)
    if seg.kind == "title":  # Markdown reads entities in a title
        text = escape_references(text)
    # shortcode delimiters from an engine would open or close a shortcode
    return _DELIMITERS.sub(lambda m: m.group(0)[0] + " " + m.group(0)[1:], text)


_DELIMITERS = re.compile(r"\{\{[<%]|[>%]\}\}")


def encode_parts(seg: Segment, parts: Sequence[tuple[str, bool]]) -> str:
    """A plain translation in parts (``plain.plain_value``) written as the segment's
    source writes values; the parts kept as written (entities) as they are."""
    if seg.codec in ("yaml", "toml") or not any(written for _text, written in parts):
        return encode_plain(seg, "".join(text for text, _written in parts))
    return "".join(text if written else encode_plain(seg, text) for text, written in parts)


def apply_glossary(docs: Iterable[Document], glossary: dict[str, str]) -> None:
    """Protected terms with a forced translation into this language render as it.

    The engine reads the term as it is (its stand-in); the words it becomes are
    replaced by the text the glossary gives it in the target."""
    for doc in docs:
        for seg in doc.segments():
            for piece in seg.pieces:
                if piece.kind == VOID and piece.markup == "protected" and piece.src in glossary:
                    piece.parts = [glossary[piece.src]]


def reset(docs: Iterable[Document]) -> None:
    """Forget applied translations, so the documents can go into another language."""
    for doc in docs:
        for seg in doc.segments():
            seg.rendered = None
            seg.outcome = ""
            for piece in seg.pieces:
                if piece.kind == VOID and piece.markup == "protected" and piece.parts is not None:
                    piece.parts = None  # a glossary term, back to its source
            seg.confidence = None
        for f in doc.fields.values():
            f.replacement = None


def untranslated_share(doc: Document) -> float:
    """The share of a translated document's words that are still as in its source."""
    same = total = 0
    for seg in doc.segments():
        words = detect.count_words(seg.text)
        total += words
        if seg.rendered is None or seg.rendered == seg.original:
            same += words
    return same / total if total else 0.0

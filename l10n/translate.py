"""Documents in, translated documents out: batched engine calls over segments.

Every segment of every document going into one language pair is sent in one
batch (duplicates once). Outputs are checked and put back through the
segment's codec; what cannot be aligned is translated again fragment by
fragment, and what still fails keeps its source text. Each such case is
reported as a warning (:class:`~l10n.errors.Problem`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable, Sequence

from .document import VOID, Document, Segment
from .engines import Engine
from .errors import EngineError, Problem
from .markdown import frontmatter, inline, tags
from .markdown.blocks import parser
from .markdown.render import Verify



def translate_documents(
    docs: Sequence[Document],
    engine: Engine,
    source: str,
    target: str,
    verify: bool = True,
    translate: Callable[[list[str]], list[str]] | None = None,
    glossary: dict[str, str] | None = None,
) -> list[Problem]:
    """Translate every segment of ``docs`` from ``source`` into ``target``, in place.

    ``translate``, when given, replaces the direct engine call (a translation
    memory wraps the engine this way). Raises EngineError when the engine
    fails or breaks its contract; then no document was changed.
    """
    call = translate or (lambda texts: call_engine(engine, texts, source, target))
    checks = {id(doc): make_verifier(doc.env) for doc in docs} if verify else {}
    if glossary:
        apply_glossary(docs, glossary)
    work: list[tuple[Document, Segment, bool]] = []
    for doc in docs:
        for seg in doc.segments():
            if seg.rendered is None and inline.needs_engine(seg):  # a preset one is already translated
                work.append((doc, seg, tags.can_use_tags(seg)))
    whole = [tags.engine_text(seg) for _doc, seg, tagged in work if tagged]
    outputs = _batched(call, whole)
    notices: list[Problem] = []
    retry: list[tuple[Document, Segment]] = []
    results = iter(zip(whole, outputs))
    for doc, seg, tagged in work:
        if not tagged:
            retry.append((doc, seg))
            continue
        sent, output = next(results)
        if not _apply(seg, output, checks.get(id(doc)), sent):
            retry.append((doc, seg))
    if retry:
        pieces = [tags.fragments(seg) for _doc, seg in retry]
        flat = _batched(call, [f for group in pieces for f in group])
        pos = 0
        for (doc, seg), group in zip(retry, pieces):
            outs = flat[pos : pos + len(group)]
            pos += len(group)
            if seg.codec == "markdown" and tags.apply_fragments(seg, outs, checks.get(id(doc))):
                notices.append(Problem(doc.path, seg.line, "inline markup could not be aligned; translated piece by piece", "warning"))
            elif seg.codec != "markdown" and _apply(seg, " ".join(outs) if len(outs) != 1 else outs[0], None):
                notices.append(Problem(doc.path, seg.line, "protected text could not be aligned; translated piece by piece", "warning"))
            else:
                seg.outcome = "kept"
                notices.append(Problem(doc.path, seg.line, "translation would break the markup; source text kept", "warning"))
    return notices


def _batched(call: Callable[[list[str]], list[str]], texts: list[str]) -> list[str]:
    """Each distinct text goes to the engine once."""
    if not texts:
        return []
    unique = list(dict.fromkeys(texts))
    done = dict(zip(unique, call(unique)))
    return [done[t] for t in texts]


def engine_call(engine: Engine, name: str, source: str, target: str, memory=None) -> Callable[[list[str]], list[str]]:
    """The engine call for a language pair (codes), behind the translation memory
    when there is one and the engine wants it (pseudo and copy cost nothing)."""
    def call(texts: list[str]) -> list[str]:
        return call_engine(engine, texts, source, target)

    if memory is None or not getattr(engine, "memory", True):
        return call
    model_for = getattr(engine, "model_for", None)
    model = model_for(source, target) if model_for else str(getattr(engine, "model", "") or "")
    return memory.wrap(call, name, model, source, target)


def call_engine(engine: Engine, texts: list[str], source: str, target: str) -> list[str]:
    """One engine call, with its contract checked."""
    name = type(engine).__name__
    try:
        out = engine.translate_batch(texts, source, target)
    except EngineError:
        raise
    except Exception as exc:  # an engine's failure is reported, not a traceback
        raise EngineError(f"engine {name} failed translating {source}->{target}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(out, (list, tuple)) or len(out) != len(texts):
        got = len(out) if isinstance(out, (list, tuple)) else type(out).__name__
        raise EngineError(f"engine {name} returned {got} translations for {len(texts)} texts ({source}->{target})")
    if not all(isinstance(t, str) for t in out):
        raise EngineError(f"engine {name} returned a translation that is not a string ({source}->{target})")
    return list(out)


def _apply(seg: Segment, output: str, verify: Verify | None, sent: str | None = None) -> bool:
    if sent is None:
        sent = tags.engine_text(seg)
    if seg.codec == "markdown":
        return tags.apply_translation(seg, output, verify, sent)
    if output == sent and not _forced(seg):
        seg.outcome = "unchanged"
        return True
    plain = tags.plain_translation(seg, output)
    if plain is None:
        return False
    value = seg.pieces and "".join(p.src for p in seg.pieces)
    if plain == value and not _forced(seg):
        return True  # unchanged: keep the source's exact spelling
    seg.rendered = encode_plain(seg, plain)
    seg.outcome = "aligned"
    return True


def _forced(seg: Segment) -> bool:
    """Whether a glossary term of the segment takes another text in the target."""
    return any(p.kind == VOID and p.parts is not None and p.markup == "protected" for p in seg.pieces)


def encode_plain(seg: Segment, text: str) -> str:
    """A plain-text translation written as the segment's source writes values."""
    if seg.codec in ("yaml", "toml"):
        return frontmatter.encode_value(seg, text)
    # quoted: shortcode parameters and link titles
    text = text.replace("\\", "\\\\").replace(seg.style, "\\" + seg.style)
    # shortcode delimiters from an engine would open or close a shortcode
    return _DELIMITERS.sub(lambda m: m.group(0)[0] + " " + m.group(0)[1:], text)


_DELIMITERS = re.compile(r"\{\{[<%]|[>%]\}\}")


def apply_glossary(docs: Iterable[Document], glossary: dict[str, str]) -> None:
    """Protected terms with a forced translation into this language render as it.

    A term never reaches the engine (it is protected like a do-not-translate
    term); here it is given the text it takes in the target."""
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
        for f in doc.fields.values():
            f.replacement = None


_MARKUP = {"em_open", "strong_open", "s_open", "link_open", "image", "code_inline", "html_inline", "footnote_ref", "hardbreak"}


def make_verifier(env: dict) -> Verify:
    """A check that a rendered segment has exactly the inline markup of its source."""
    md = parser()

    def signature(text: str) -> Counter:
        tokens: list = []
        md.inline.parse(text, md, env, tokens)
        counts: Counter = Counter()
        stack = [(tok, "") for tok in tokens]
        while stack:
            tok, where = stack.pop()
            if tok.type in _MARKUP:
                counts[where + tok.type] += 1
            if tok.children:  # markup inside an image's alt text is only text
                stack.extend((child, "alt:") for child in tok.children)
        return counts

    def verify(seg: Segment, rendered: str) -> bool:
        return signature(_flatten(rendered)) == signature(_flatten(seg.original))

    return verify


_JOINT = re.compile(r"\r?\n[ \t>]*")


def _flatten(text: str) -> str:
    return _JOINT.sub("\n", text)

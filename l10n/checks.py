"""``l10n check``: quality checks over translated segments and catalogs.

A translation and its source are parsed alike and their segments lined up
(:func:`align`). Each check is a small function of one aligned pair that
yields ``(severity, message)``, as Translate Toolkit's pofilter and Weblate
do; :func:`examine` runs them all and gives each finding its file and line.
Errors are what breaks a page (markup, link targets, code, shortcodes lost or
changed, a segment missing, a placeholder gone); warnings are what a
reviewer should look at.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from importlib.metadata import entry_points
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import unquote

from .detect import count_words, judge
from .document import CLOSE, OPEN, TEXT, VOID, Document, Segment
from .errors import ConfigError
from .markdown.frontmatter import markup_added, value_of
from .write import digest

ERROR = "error"
WARNING = "warning"
#: A translation this share of whose words is still the source's is untranslated.
UNTRANSLATED_SHARE = 0.5
#: A segment shorter than this (characters of prose) is not judged by length.
LENGTH_MIN = 20
#: Target length / source length outside these bounds is suspicious.
LENGTH_RATIO = (0.33, 3.0)
#: A segment of at least this many words left as in the source is reported.
SAME_MIN_WORDS = 5


@dataclass(frozen=True)
class Finding:
    """One problem at one place."""

    path: str
    line: int
    severity: str
    check: str
    message: str
    #: What identifies the finding where it was found: a digest of the source's and the
    #: translation's text there (the pair of segments, or the whole page), the check and the
    #: message. Accepting a finding records this id; a change to either text ends it.
    id: str = ""

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.check}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Context:
    """What the checks of one translation need to know."""

    source_lang: str
    target_lang: str
    #: Do-not-translate terms.
    terms: Sequence[str] = ()
    #: Glossary of the target language: source term -> forced translation.
    glossary: dict[str, str] = field(default_factory=dict)
    #: The heading ids of another page a link names (``other.md``, ``{{< ref "other" >}}``),
    #: in the source's language (False) or the translation's (True); None when unknown.
    page_ids: Callable[[str, bool], set[str] | None] | None = None


@dataclass
class SegmentPair:
    """A source segment and its translation, either of which may be missing."""

    source: Segment | None
    target: Segment | None
    findings: list[Finding] = field(default_factory=list)

    def label(self) -> str:
        """``line 12/13  paragraph``: where the pair is, in the source and the translation."""
        seg = self.source or self.target
        assert seg is not None
        kind = f"{seg.kind} {seg.key}" if seg.key else seg.kind
        lines = "/".join(str(s.line) if s is not None else "-" for s in (self.source, self.target))
        return f"line {lines}  {kind}"


Check = Callable[[Segment, Segment, Context], Iterator[tuple[str, str]]]


# --------------------------------------------------------------------------
# Alignment


def _shape(seg: Segment) -> tuple[str, str, str]:
    """What pairs a segment with its translation's: its kind and key, and where it
    stands in the page (a list item, a cell, a heading's level)."""
    return (seg.kind, seg.key, seg.block)


def align(source: Document, target: Document) -> list[SegmentPair]:
    """The segments of a source and its translation, paired in order.

    A translation l10n wrote has the source's segments one for one. Where a
    person added or removed some, segments are paired by structure: first by
    where they stand (kind, list item, cell, heading level) and what they must
    keep (link targets, code), so one missing item is one finding; what is left
    by where they stand alone; equal runs that still differ in length stand alone."""
    ours, theirs = list(source.segments()), list(target.segments())
    a, b = [_shape(s) for s in ours], [_shape(s) for s in theirs]
    if a == b:
        return [SegmentPair(s, t) for s, t in zip(ours, theirs)]
    pairs: list[SegmentPair] = []
    keyed_a = [shape + (_kept(s),) for shape, s in zip(a, ours)]
    keyed_b = [shape + (_kept(s),) for shape, s in zip(b, theirs)]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keyed_a, keyed_b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.extend(SegmentPair(s, t) for s, t in zip(ours[i1:i2], theirs[j1:j2]))
            continue
        # what the markup did not settle: by where they stand alone
        for sub, k1, k2, l1, l2 in SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False).get_opcodes():
            left, right = ours[i1 + k1 : i1 + k2], theirs[j1 + l1 : j1 + l2]
            if sub == "equal" or (sub == "replace" and len(left) == len(right)):
                pairs.extend(SegmentPair(s, t) for s, t in zip(left, right))
            else:
                pairs.extend(SegmentPair(s, None) for s in left)
                pairs.extend(SegmentPair(None, t) for t in right)
    return pairs


def _kept(seg: Segment) -> tuple[str, ...]:
    """What a translation keeps of a segment as it is: link targets, URLs, code."""
    out = []
    for piece in seg.pieces:
        if piece.kind == CLOSE and piece.markup in ("link", "image"):
            out.append(piece.src)
        elif piece.markup in ("code_inline", "autolink", "html_code"):
            out.append(piece.src)
    return tuple(out)


def same_share(pairs: Sequence[SegmentPair]) -> float:
    """The share of the source's words whose segments the translation leaves as they are."""
    same = total = 0
    for pair in pairs:
        if pair.source is None:
            continue
        words = count_words(pair.source.text)
        total += words
        if pair.target is not None and pair.target.text == pair.source.text:
            same += words
    return same / total if total else 0.0


# --------------------------------------------------------------------------
# Checks of one pair


_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")


def _numbers(text: str) -> Counter:
    # 1,000 and 1.000 and 1 000 are one number in different locales
    return Counter(re.sub(r"\D", "", m.group(0)) for m in _NUMBER.finditer(text))


def check_numbers(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """Numbers differ (1,000 and 1.000 are the same number)."""
    ours, theirs = _numbers(src.text), _numbers(tgt.text)
    if ours != theirs:
        lost, added = ours - theirs, theirs - ours
        parts = []
        if lost:
            parts.append("missing " + ", ".join(sorted(lost.elements())))
        if added:
            parts.append("added " + ", ".join(sorted(added.elements())))
        yield WARNING, "numbers differ: " + "; ".join(parts)


_LABELS = {
    "link": "link target",
    "image": "image source",
    "autolink": "URL",
    "code_inline": "inline code",
    "shortcode": "shortcode",
    "html_inline": "HTML tag",
    "html": "HTML tag",
    "html_code": "HTML code",
    "footnote_ref": "footnote reference",
}


def label_of(markup: str) -> str:
    return _LABELS.get(markup, markup.replace("_", " ") or "markup")


def _protected(seg: Segment, ctx: Context) -> Counter:
    """The markup of a segment that a translation must keep: (what, text)."""
    skip = set(ctx.terms) | set(ctx.glossary) | set(ctx.glossary.values())
    out: Counter = Counter()
    for piece in seg.pieces:
        if piece.kind == TEXT or (piece.kind == OPEN and piece.markup != "html"):
            continue
        if piece.kind == CLOSE and piece.markup not in ("link", "image", "html"):
            continue  # emphasis: its words move, nothing to compare
        if piece.markup in ("softbreak", "hardbreak", "text_special", "escape"):
            continue
        if seg.kind == "heading" and _STATED_ID.fullmatch(piece.src):
            continue  # an id a heading states ({/* #id */}, <a id="x"></a>): the anchors check's
        if piece.markup == "protected":
            if piece.src in skip:
                continue  # do-not-translate and glossary terms: their own checks
            if seg.kind == "heading" and piece.src.startswith("{"):
                rest = _HEADING_ID.sub("", piece.src)  # a heading's id has a check of its own (anchors)
                if not rest.strip("{} \t,"):
                    continue
                out[("attribute list", " ".join(rest.split()))] += 1
                continue
            label = "URL" if "://" in piece.src or piece.src.startswith("www.") else "math" if piece.src.startswith("$") else "markup"
        else:
            label = label_of(piece.markup)
        if piece.kind == CLOSE and (piece.text or piece.src.startswith("][")):
            # a reference link: [text][], [text] and [text][label] all name a label
            label = piece.text or piece.src[2:-1] or ""
            out[(label_of(piece.markup), "[" + " ".join(label.lower().split()) + "]")] += 1
            continue
        # translatable parts (shortcode parameters, link titles) may change; the rest may not
        text = "".join(p if isinstance(p, str) else "\u2026" for p in piece.parts) if piece.parts else piece.src
        out[(label, " ".join(text.split()))] += 1
    return out


_STATED_ID = re.compile(r"\{/\*\s*#\S+\s*\*/\}|<a id=\"[^\"<>]*\">|</a>")
_HEADING_ID = re.compile(r"""(?<=[{\s,])(?:#[^\s},]*|id="(?:[^"\\]|\\.)*"|id=[^\s},]+)""")


def check_markup(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """URLs, link targets, inline code, shortcodes or HTML tags lost, added or changed;
    HTML, shortcodes or template syntax added to a front-matter value."""
    if src.codec in ("yaml", "toml") and tgt.codec in ("yaml", "toml"):
        for label, token in markup_added(value_of(src), value_of(tgt)):
            yield ERROR, f"{label} added to a front-matter value: {token}"
        return
    if src.codec not in ("markdown", "html") or tgt.codec not in ("markdown", "html"):
        return
    ours, theirs = _protected(src, ctx), _protected(tgt, ctx)
    if ours == theirs:
        return
    lost, added = ours - theirs, theirs - ours
    for (label, text), _n in sorted(lost.items()):
        changed = next(((lb, t) for (lb, t) in added if lb == label), None)
        if changed is not None:
            added[changed] -= 1
            if added[changed] <= 0:
                del added[changed]
            yield ERROR, f"{label} changed: {_short(text)} became {_short(changed[1])}"
        else:
            yield ERROR, f"{label} lost: {_short(text)}"
    for (label, text), _n in sorted(added.items()):
        yield ERROR, f"{label} added: {_short(text)}"


def check_length(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """The translation is suspiciously short or long."""
    a, b = len(src.text), len(tgt.text)
    if a < LENGTH_MIN or not b:
        return
    ratio = b / a
    if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
        yield WARNING, f"length ratio {ratio:.2f} (translation {b} characters, source {a})"


def check_untranslated(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """A segment of some length is still exactly the source."""
    if src.text and tgt.text == src.text and count_words(src.text) >= SAME_MIN_WORDS:
        yield WARNING, "not translated: the same as the source"


def _count(term: str, text: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text))


def check_terms(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """A do-not-translate term of the source's prose is not in the translation as it is
    (a term inside a link target, code or a shortcode is no prose: never a finding)."""
    for term in ctx.terms:
        if term in ctx.glossary:
            continue
        wanted = _count(term, _prose(src))
        if wanted and _count(term, tgt.original) < wanted:
            yield WARNING, f"do-not-translate term {term!r} translated or lost"


def check_glossary(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """A glossary term of the source's prose is not translated as the glossary says."""
    for term, forced in ctx.glossary.items():
        wanted = _count(term, _prose(src))
        if wanted and _count(forced, _prose(tgt)) < wanted:
            yield WARNING, f"glossary: {term!r} should be translated {forced!r}"


def _prose(seg: Segment) -> str:
    """A segment's words: its text and its protected terms, never its markup (link
    targets, code, shortcodes)."""
    return " ".join(p.text if p.kind == TEXT else p.render() for p in seg.pieces
                    if p.kind == TEXT or (p.kind == VOID and p.markup == "protected"))


_END_PUNCT = {"。": ".", "．": ".", "！": "!", "？": "?", "：": ":", "；": ";", "؟": "?", "।": ".", "…": "...", "、": ","}


#: Closing quotes and brackets (and pseudo-localisation's padding) after the final punctuation.
_CLOSERS = " \t\n)]}\"'”’»›」』⟧·*_`"


def _edge(text: str) -> str:
    text = text.rstrip(_CLOSERS)
    if text.endswith("..."):
        return "..."
    last = text[-1:] if text else ""
    last = _END_PUNCT.get(last, last)
    return last if last in ".!?:;," else ""


def check_edges(src: Segment, tgt: Segment, ctx: Context) -> Iterator[tuple[str, str]]:
    """Leading or trailing whitespace, or final punctuation, differ."""
    a, b = src.original, tgt.original
    if a[: len(a) - len(a.lstrip())] != b[: len(b) - len(b.lstrip())]:
        yield WARNING, "leading whitespace differs"
    if a[len(a.rstrip()) :] != b[len(b.rstrip()) :]:
        yield WARNING, "trailing whitespace differs"
    if src.text and tgt.text and _edge(src.text) != _edge(tgt.text):
        yield WARNING, f"ends with {_edge(tgt.text) or 'no punctuation'!r}, the source with {_edge(src.text) or 'none'!r}"


# --------------------------------------------------------------------------
# Checks of a whole translation


#: A word of prose: letters only (names like ``my_id``, ``config.toml`` and paths are none).
_PROSE_WORD = re.compile(r"(?<![\w./:\\-])[^\W\d_]{2,}(?![\w./:\\-])")
#: A kept parameter value with at least this many words reads as prose.
PARAM_WORDS = 2


def reads_as_prose(value: str) -> bool:
    """Whether a parameter's value reads as words for people, not a name, path or setting."""
    if "://" in value or value.strip().startswith(("/", "#", ".", "{")):
        return False
    words = _PROSE_WORD.findall(value)
    return len(words) >= PARAM_WORDS and " " in value.strip() and sum(map(len, words)) >= 0.6 * len(value.strip())


def check_params(source: Document, target: Document, ctx: Context) -> Iterator[tuple[int, str, str]]:
    """Shortcode parameters that read as prose, left in the source language because
    no setting translates them: once per shortcode and parameter name in a file
    (``l10n check`` says it once per run)."""
    ours = {(k.shortcode, k.name, k.value) for k in source.kept_params}
    seen = set()
    for kept in target.kept_params:
        if (kept.shortcode, kept.name) in seen or (kept.shortcode, kept.name, kept.value) not in ours:
            continue
        if reads_as_prose(kept.value):
            seen.add((kept.shortcode, kept.name))
            yield kept.line, WARNING, (
                f"{{{{< {kept.shortcode} >}}}} parameter {kept.name} reads as prose and is not translated; "
                f"to translate it, add [shortcodes.{kept.shortcode}] translate = [\"{kept.name}\"] to l10n.toml")


#: Links that name a heading: Markdown links and reference definitions, HTML
#: hrefs, and Hugo's ref and relref shortcodes.
_LINKS = re.compile(
    r"""\]\(\s*<?(?P<md>[^\s()<>]*\#[^\s()<>]*)"""
    r"""|^[ \t>]*\[[^\]\n]+\]:[ \t]*<?(?P<ref>\S*\#[^\s>]*)"""
    r"""|\bhref\s*=\s*["'](?P<href>[^"']*\#[^"']*)["']"""
    r"""|\{\{[<%]\s*(?:rel)?ref\s+(?:"|`)(?P<sc>[^"`]*\#[^"`]*)(?:"|`)""",
    re.MULTILINE,
)
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t>]*\1[ \t]*$", re.MULTILINE | re.DOTALL)


def heading_links(doc: Document) -> list[tuple[int, str, str, bool]]:
    """(line, page, fragment, verbatim) of every link to a heading; page "" is this page.
    Fragments of Markdown and HTML links are percent-decoded; ref's are as written."""
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), doc.render())
    out = []
    for m in _LINKS.finditer(text):
        kind = m.lastgroup or ""
        page, _hash, fragment = m.group(kind).partition("#")
        if kind != "sc":
            if page and not page.endswith((".md", ".markdown", ".mdx")):
                continue  # a URL: nothing to look up
            fragment = unquote(fragment)
        out.append((text.count("\n", 0, m.start()) + 1, page, fragment, kind == "sc"))
    return out


def _stated(anchor: str, syntax: str) -> str:
    """How a page of the site states a heading's id."""
    return {"mdx-comment": f"{{/* #{anchor} */}}", "html-anchor": f'<a id="{anchor}"></a>'}.get(syntax, f"{{#{anchor}}}")


def check_anchors(source: Document, target: Document, ctx: Context) -> Iterator[tuple[int, str, str]]:
    """Links to a heading that work in the source and point to no heading of the
    translation's page (a translated heading that lost its id)."""
    ours = {h.id for h in source.headings if h.id is not None}
    theirs = {h.id for h in target.headings if h.id is not None}
    unknown = any(not h.known for h in target.headings)
    source_links = {(page, fragment) for _line, page, fragment, _v in heading_links(source)}
    seen = set()
    for line, page, fragment, _verbatim in heading_links(target):
        if (page, fragment) not in source_links or (page, fragment) in seen:
            continue
        if not page:
            if fragment in ours and fragment not in theirs and not unknown:
                seen.add((page, fragment))
                yield line, ERROR, (f"link to #{fragment} points to no heading of this page: the source's heading "
                                    f"has that id and its translation another; set anchors = \"keep\" in l10n.toml, "
                                    f"or write {_stated(fragment, target.id_syntax)} after the translated heading")
            continue
        if ctx.page_ids is None:
            continue
        before, after = ctx.page_ids(page, False), ctx.page_ids(page, True)
        if before is not None and after is not None and fragment in before and fragment not in after:
            seen.add((page, fragment))
            yield line, ERROR, (f"link to {page}#{fragment} points to no heading of that page's translation "
                                f"(its source has one with that id)")


#: Checks of a whole translation and its source: (line, severity, message).
DocumentCheck = Callable[[Document, Document, Context], Iterator[tuple[int, str, str]]]
DOCUMENT_CHECKS: dict[str, DocumentCheck] = {
    "anchors": check_anchors,
    "params": check_params,
}

#: The checks that ship with l10n, by name (also registered as entry points).
BUILTIN: dict[str, Check] = {
    "markup": check_markup,
    "numbers": check_numbers,
    "untranslated": check_untranslated,
    "length": check_length,
    "do-not-translate": check_terms,
    "glossary": check_glossary,
    "punctuation": check_edges,
}
#: Other packages add checks under this entry-point group, as Babel's checkers do.
GROUP = "l10n.checks"
_registered: dict[str, Check] | None = None


def registered() -> dict[str, Check]:
    """Every check of a pair of segments, by name: the built-in ones, then those
    installed through the ``l10n.checks`` entry point (loaded once)."""
    global _registered
    if _registered is None:
        found = dict(BUILTIN)
        for ep in entry_points(group=GROUP):
            if ep.name not in found:
                try:
                    found[ep.name] = ep.load()
                except Exception as exc:  # a broken plug-in is named, not a traceback
                    raise ConfigError(f"check {ep.name!r} cannot be loaded from {ep.value}: {exc}") from None
        _registered = found
    return _registered


def _short(text: str, size: int = 60) -> str:
    text = repr(text)
    return text if len(text) <= size else text[: size - 4] + "...'"


# --------------------------------------------------------------------------
# One translation


@dataclass
class Examination:
    """A translation's segments paired with its source's, with what the checks found."""

    pairs: list[SegmentPair]
    #: Findings about the whole file (untranslated, structure).
    findings: list[Finding]

    def all(self) -> list[Finding]:
        out = list(self.findings)
        for pair in self.pairs:
            out.extend(pair.findings)
        return sorted(out, key=lambda f: (f.line, f.severity != ERROR, f.check))


def finding_id(source: str, target: str, check: str, message: str) -> str:
    """The id of a finding in a pair of texts (a pair of segments, or two whole pages)."""
    return digest("\0".join((source, target, check, message)))[:12]


def examine(source: Document, target: Document, ctx: Context, path: str, detector=None) -> Examination:
    """Run every check over a translation (``path``, as shown) and its source."""
    pairs = align(source, target)
    findings: list[Finding] = []
    whole = (source.render_without_fields(), target.render_without_fields())

    def of_page(line: int, severity: str, check: str, message: str) -> Finding:
        return Finding(path, line, severity, check, message, finding_id(*whole, check, message))

    def of_pair(pair: SegmentPair, line: int, severity: str, check: str, message: str) -> Finding:
        texts = [s.original if s is not None else "" for s in (pair.source, pair.target)]
        return Finding(path, line, severity, check, message, finding_id(*texts, check, message))

    share = same_share(pairs)
    if share >= UNTRANSLATED_SHARE:
        findings.append(of_page(1, WARNING, "untranslated", f"{share:.0%} of the prose is the same as the source"))
    elif detector is not None:
        verdict = judge(detector, target, ctx.target_lang, source_lang=ctx.source_lang)
        if verdict.status == "untranslated":
            findings.append(of_page(1, WARNING, "untranslated", f"the text reads as {verdict.detected} "
                                    f"(p={verdict.confidence:.2f}), the source's language"))
    for name, document_check in DOCUMENT_CHECKS.items():
        for line, severity, message in document_check(source, target, ctx):
            findings.append(of_page(line, severity, name, message))
    for pair in pairs:
        if pair.target is None:
            assert pair.source is not None
            pair.findings.append(of_pair(pair, _nearest_line(pairs, pair), ERROR, "structure",
                                         f"{pair.source.kind} of source line {pair.source.line} has no translation"))
            continue
        if pair.source is None:
            pair.findings.append(of_pair(pair, pair.target.line, ERROR, "structure",
                                         f"{pair.target.kind} that the source does not have"))
            continue
        for name, check in registered().items():
            if name == "untranslated" and share >= UNTRANSLATED_SHARE:
                continue  # said once for the file
            for severity, message in check(pair.source, pair.target, ctx):
                pair.findings.append(of_pair(pair, pair.target.line, severity, name, message))
    return Examination(pairs, findings)


def _nearest_line(pairs: list[SegmentPair], pair: SegmentPair) -> int:
    """The line in the translation nearest to where a missing segment would be."""
    line = 1
    for other in pairs:
        if other is pair:
            break
        if other.target is not None:
            line = other.target.line
    return line


def context_for(cfg, source_lang: str, target_lang: str) -> Context:
    """The checks' context for a translation between two of the site's languages (keys)."""
    return Context(cfg.code(source_lang), cfg.code(target_lang), tuple(cfg.terms_for(target_lang)),
                   cfg.glossary_for(target_lang))

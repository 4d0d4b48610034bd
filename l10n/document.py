"""The document model: translatable segments and the untouched text between them.

A :class:`Document` is a list of parts. A ``str`` part is source text that no
step may change; a :class:`Segment` is translatable text; a :class:`Field` is a
front-matter value that l10n maintains (``lang``, ``translations``). Joining
the parts of a freshly parsed document gives its input back exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator, Union

#: Piece kinds. TEXT is prose an engine sees; VOID is markup that stays as it
#: is (code, URLs, HTML tags, shortcodes...); OPEN and CLOSE are paired markup
#: (emphasis, links) that must end up around the corresponding words.
TEXT = "text"
VOID = "void"
OPEN = "open"
CLOSE = "close"


@dataclass(eq=False, slots=True)
class Piece:
    """One run of a segment's source: prose or markup."""

    kind: str
    src: str
    #: TEXT: the plain text an engine sees (escapes decoded, lines joined).
    text: str = ""
    #: OPEN/CLOSE: the number that pairs them.
    pair: int = 0
    #: What markup this is: "em", "strong", "link", "code_inline", "shortcode"...
    markup: str = ""
    #: TEXT: the line breaks (newline plus container prefix) inside ``src``...
    joints: tuple[str, ...] = ()
    #: ...and where each is in ``text`` (the space it reads as).
    breaks: tuple[int, ...] = ()
    #: VOID/CLOSE holding translatable parts (shortcode parameters, link
    #: titles): the parts that ``src`` is made of.
    parts: list[Part] | None = None

    def render(self) -> str:
        if self.parts is None:
            return self.src
        return render_parts(self.parts)


@dataclass(eq=False, slots=True)
class Segment:
    """A run of translatable text: a paragraph, heading, cell, front-matter value..."""

    #: "paragraph", "heading", "cell", "term", "meta", "param", "title", "html" (text of an
    #: HTML block), "attr" (an HTML attribute's value)
    kind: str
    #: 1-based line in the file where the segment starts.
    line: int
    pieces: list[Piece]
    #: How a translation is written back: "markdown", "html", "yaml", "toml", "quoted", "attr".
    codec: str = "markdown"
    #: Front-matter key path or shortcode parameter name.
    key: str = ""
    #: Codec detail: YAML/TOML scalar style, or the quote character.
    style: str = ""
    #: Whether the segment starts a line (Markdown would read a marker there).
    line_start: bool = False
    #: Inside a table cell, where ``|`` must be escaped.
    in_table: bool = False
    #: Front-matter values and parameters: the value as written in the file
    #: (quoted, escaped); the pieces then hold the value itself.
    src: str | None = None
    #: Front-matter values: the indentation of the key's line, and the line break.
    indent: str = ""
    newline: str = "\n"
    #: The translated source text, once a translation was applied.
    rendered: str | None = None
    #: How the translation was applied: "", "aligned", "fragments", "kept".
    outcome: str = ""
    #: How sure the engine was of its translation, 0-1 (its weakest sentence's); None: unknown.
    confidence: float | None = None
    #: Where the segment stands in the page's structure: its containers and block,
    #: "bullet_list/list_item/paragraph", "h2" (what check pairs a translation by).
    block: str = ""

    @property
    def source(self) -> str:
        if self.src is not None:
            return self.src
        return "".join(p.render() for p in self.pieces)

    @property
    def original(self) -> str:
        """The exact source text, ignoring any translation inside it."""
        if self.src is not None:
            return self.src
        return "".join(p.src for p in self.pieces)

    @property
    def text(self) -> str:
        """The segment's prose as plain text, markup left out (an escaped character or an
        entity is its character: ``snake\\_case`` reads ``snake_case``)."""
        return " ".join("".join(p.text if p.kind == TEXT or p.markup in ("entity", "escape") else " "
                                for p in self.pieces).split())

    def render(self) -> str:
        return self.rendered if self.rendered is not None else self.source

    def children(self) -> Iterator[Segment]:
        for piece in self.pieces:
            if piece.parts:
                for part in piece.parts:
                    if isinstance(part, Segment):
                        yield from part.children()
                        yield part

    def digest(self) -> str:
        return hashlib.sha1(self.original.encode("utf-8")).hexdigest()[:10]


@dataclass(eq=False, slots=True)
class Field:
    """A front-matter value that l10n maintains, such as ``lang`` or ``translations``."""

    name: str
    src: str
    value: Any
    #: "yaml" or "toml"
    syntax: str
    #: The indentation of the line holding the key (for block lists).
    indent: str = ""
    #: "flow", "seq" (block list), a scalar style, or "null".
    style: str = ""
    newline: str = "\n"
    replacement: str | None = None
    #: Why l10n leaves this field as it is ("": it maintains it).
    held: str = ""

    def render(self) -> str:
        return self.replacement if self.replacement is not None else self.src


@dataclass(eq=False, slots=True)
class HeadingId:
    """A heading and the id the site generator gives it on its page (links use it)."""

    line: int
    level: int
    #: The id (None until the page's ids are made, and where it is not known).
    id: str | None
    #: Whether the heading says its id itself (``{#id}``).
    explicit: bool
    #: The heading's segment (None: a heading with no words).
    segment: Segment | None = None
    #: A setext heading (underlined), whose id is made from its last line.
    setext: bool = False
    #: The raw text the id is made from.
    id_text: str = ""
    #: False where the id cannot be known (a shortcode in the heading: Hugo's id
    #: depends on what it puts there).
    known: bool = True


Part = Union[str, Segment, Field]


def render_parts(parts: list[Part]) -> str:
    return "".join(p if isinstance(p, str) else p.render() for p in parts)


@dataclass(eq=False)
class Document:
    """A parsed content file."""

    parts: list[Part]
    path: str | None = None
    #: "yaml", "toml" or None.
    front_matter: str | None = None
    #: The front matter's values, as YAML or TOML loads them.
    meta: dict[str, Any] = field(default_factory=dict)
    #: Maintained fields found in the front matter, by name.
    fields: dict[str, Field] = field(default_factory=dict)
    #: Markup that could not be mapped to the source, kept untranslated: (line, reason).
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: The Markdown parser's environment (reference definitions, footnotes),
    #: needed to read the document's inline markup again.
    env: dict[str, Any] = field(default_factory=dict)
    #: Every heading with its id, in order (see ``anchors``).
    headings: list[HeadingId] = field(default_factory=list)
    #: Whether translations keep the source's heading ids (``anchors = "keep"``),
    #: and how ids are made (Hugo's ``autoHeadingIDType``).
    keep_ids: bool = False
    id_type: str = "github"
    #: How a heading states its id: "attr" (``{#id}``), "mdx-comment" (``{/* #id */}``).
    id_syntax: str = "attr"
    #: Quoted shortcode parameters left untranslated (``blocks.KeptParam``), for checks.
    kept_params: list[Any] = field(default_factory=list)

    def segments(self) -> Iterator[Segment]:
        """Every segment, nested ones (shortcode parameters, titles) first."""
        for part in self.parts:
            if isinstance(part, Segment):
                yield from part.children()
                yield part

    def render(self) -> str:
        return render_parts(self.parts)

    def field_line(self, target: Field) -> int:
        """The line of a maintained field's key (a block list's items start on the lines after it)."""
        text = ""
        for part in self.parts:
            if part is target:
                return text.rstrip().count("\n") + 1
            text += part if isinstance(part, str) else part.render()
        return 1

    def render_without_fields(self) -> str:
        """The document with maintained fields left out: what edits are judged by."""
        return "".join(
            "" if isinstance(p, Field) else (p if isinstance(p, str) else p.render())
            for p in self.parts
        )

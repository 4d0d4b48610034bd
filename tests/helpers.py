"""What tests share: structure signatures read with a plain parser, and small file and CLI helpers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from l10n import markdown
from l10n.document import VOID

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_md.use(footnote_plugin).use(deflist_plugin)
SHORTCODE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}", re.DOTALL)
#: A translated shortcode parameter (the default names): its value may change.
PARAM = re.compile(r"\b(" + "|".join(markdown.DEFAULT_PARAMS) + r')="(?:[^"\\]|\\.)*"')
IGNORED = {"text", "softbreak", "text_special", "inline"}


@dataclass
class Signature:
    blocks: list[str]
    inline: Counter
    code: Counter
    targets: Counter
    html: Counter
    shortcodes: Counter
    protected: Counter
    #: protected text in plain values (front matter, parameters): none may be lost
    plain: Counter


def _mask(text: str) -> str:
    """Shortcodes as inert text of the same length (Hugo reads them before Markdown);
    continuation lines keep their indentation and quote markers."""
    def inert(m: re.Match) -> str:
        return re.sub(r"((?:(?<=\n)[ \t>]*)?)([^\r\n]+)", lambda k: k.group(1) + "\ue000" * len(k.group(2)), m.group(0))

    return SHORTCODE.sub(inert, text)


FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)\r?\n.*?^\1[ \t]*\r?$", re.DOTALL | re.MULTILINE)


def signature(text: str) -> Signature:
    """Everything that must come through translation unchanged."""
    m = FRONT_MATTER.match(text)
    body = text[m.end() :] if m else text
    doc = markdown.parse(text)
    tokens = _md.parse(_mask(body))
    blocks, inline, code, targets, html = [], Counter(), Counter(), Counter(), Counter()
    for tok in tokens:
        if tok.type in ("fence", "code_block", "html_block"):
            code[body_slice(body, tok)] += 1
        if tok.type != "inline":
            blocks.append(tok.type)
            continue
        for child in tok.children or []:
            if child.type in IGNORED:
                continue
            inline[child.type] += 1
            if child.type in ("link_open", "image"):
                targets[child.attrs.get("href") or child.attrs.get("src")] += 1
            if child.type in ("code_inline", "html_inline"):
                html[child.content] += 1
    shortcodes = Counter(PARAM.sub(r"\1=…", m.group(0)) for m in SHORTCODE.finditer(body))
    protected: Counter = Counter()
    plain: Counter = Counter()
    for seg in doc.segments():
        for piece in seg.pieces:
            # shortcodes are counted one by one above; a run of them is one piece
            if piece.kind == VOID and piece.parts is None and piece.markup != "shortcode":
                (protected if seg.codec == "markdown" else plain)[piece.src] += 1
    return Signature(blocks, inline, code, targets, html, shortcodes, protected, plain)


def body_slice(text: str, tok) -> str:
    lines = text.splitlines()
    return "\n".join(lines[tok.map[0] : tok.map[1]]) if tok.map else tok.content


def translate_text(text: str, engine, target: str = "es", options=None) -> tuple[str, list]:
    """Parse, translate with ``engine`` and render one file's text."""
    from l10n.translate import translate_documents

    doc = markdown.parse(text, options=options)
    notices = translate_documents([doc], engine, "en", target)
    return doc.render(), notices


#: Emphasis tokens: the only markup l10n may leave out, and only saying so (a warning).
EMPHASIS = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}


def assert_same_structure(source: str, target: str, where: str = "", emphasis_dropped: bool = False) -> None:
    """Blocks, links, code, HTML, shortcodes and protected text as in the source;
    emphasis too, unless ``emphasis_dropped`` (a warning said it could not be placed)."""
    a, b = signature(source), signature(target)
    for name in ("blocks", "inline", "code", "targets", "html", "shortcodes", "protected"):
        left, right = getattr(a, name), getattr(b, name)
        if name == "inline" and emphasis_dropped:
            left = Counter({k: v for k, v in left.items() if k not in EMPHASIS})
            right = Counter({k: v for k, v in right.items() if k not in EMPHASIS})
        if left != right:
            if isinstance(left, Counter):
                detail = f"lost {dict(left - right)!r:.300} gained {dict(right - left)!r:.300}"
            else:
                i = next((k for k, (x, y) in enumerate(zip(left, right)) if x != y), min(len(left), len(right)))
                detail = f"from block {i}: {left[i:i + 6]} != {right[i:i + 6]}"
            raise AssertionError(f"{where}: {name} differ: {detail}")
    lost = a.plain - b.plain
    if lost:
        raise AssertionError(f"{where}: protected text lost from front matter or parameters: {dict(lost)!r:.300}")


#: Prose langdetect reads with confidence, in English and in Spanish.
EN = (
    "The collector receives telemetry data from your services and sends it to one or more backends. "
    "You can run it as an agent beside each application or as a gateway that many applications share. "
    "Its configuration describes receivers, processors and exporters, and the pipelines that connect them. "
)
ES = (
    "El colector recibe datos de telemetría de tus servicios y los envía a uno o más destinos. "
    "Puedes ejecutarlo como un agente junto a cada aplicación o como una pasarela que comparten muchas aplicaciones. "
    "Su configuración describe receptores, procesadores y exportadores, y las canalizaciones que los conectan. "
)


def write(path, text: str):
    """Write ``text`` to ``path``, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def invoke(runner, *args):
    """``l10n ARGS...`` through click's runner, exceptions raised."""
    from l10n.cli import cli

    return runner.invoke(cli, list(args), catch_exceptions=False)


def translate(runner, *args):
    return invoke(runner, "translate", *args)


def snapshot(folder) -> dict:
    """Every file's bytes and modification time: what a no-op run must leave as it was."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "state.lock" not in p.name
    }


def cells(site) -> dict:
    from l10n.commands.status import run_status

    return {c.target: c for c in run_status().cells()}


def dropped_emphasis(notices) -> bool:
    return any("emphasis could not be placed" in n.message for n in notices)

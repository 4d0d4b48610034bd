"""Bounds on hostile input: how big a file, how deep a nesting, how many YAML values, how long a translation.

A content file, front matter or table that goes past one of them is an error
that names the file, never a run that crashes, hangs or fills the memory:
a YAML "billion laughs" (aliases of aliases) expands to a bounded number of
values, nesting past Python's recursion limit is refused, and a Markdown
file is at most a few megabytes. An engine's translation is at most a few
times its source, so no engine can make a page many times larger.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import yaml

from .errors import ContentError

#: The largest content file l10n reads (bytes): pages are prose, not data.
MAX_BYTES = 4 * 1024 * 1024
#: The largest exchange file (XLIFF, PO) l10n reads: a whole site's units with notes and matches.
MAX_EXCHANGE = 256 * 1024 * 1024
#: The most values a YAML document may expand to through its aliases.
MAX_VALUES = 100_000
#: An engine's translation of a text is at most GROWTH times the text's length plus
#: EXTRA characters. Over the corpus's 3,488 sentences pseudo-localisation is at most
#: 1.6 times its source (11 characters more for short ones) and Apertium en->es 2.0
#: times ("Media types", 11 characters: "Tipos de medios de comunicación", 31); an
#: LLM spelling out an acronym ("API": 40 characters) still fits.
GROWTH = 3
EXTRA = 40


def read_file(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes, at most ``limit`` + 1 of them (enough for ``check_size`` to refuse
    a larger file without holding it whole). Never waits: a FIFO, socket or device
    (which a plain read would wait on for ever, or read without end) is an OSError
    saying so, as a folder is ``IsADirectoryError``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)", str(path))
        return handle.read(limit + 1)


def check_size(raw: bytes, path: Path | str | None) -> None:
    if len(raw) > MAX_BYTES:
        raise ContentError(f"file of {len(raw) / 1048576:.1f} MB: l10n reads content files up to "
                           f"{MAX_BYTES // 1048576} MB", path)


def check_exchange(size: int, path: Path | str | None) -> None:
    if size > MAX_EXCHANGE:
        raise ContentError(f"exchange file of {size / 1048576:.0f} MB: l10n reads XLIFF and PO files up to "
                           f"{MAX_EXCHANGE // 1048576} MB; split it (l10n export --per-article)", path)


def longest_translation(text: str) -> int:
    """The most characters a translation of ``text`` may have (an engine's or an imported one)."""
    return GROWTH * len(text) + EXTRA


def check_translation(text: str, translation: str) -> str | None:
    """Why an engine's translation of ``text`` is refused as too long, or None."""
    if len(translation) <= longest_translation(text):
        return None
    return (f"the engine's translation of a text of {len(text):,} characters has {len(translation):,}, more than "
            f"l10n takes ({GROWTH} times the text plus {EXTRA}: {longest_translation(text):,})")


def too_long(source: str, translation: str) -> str:
    """Why an imported translation is too long to be one of ``source`` ("" when it is not)."""
    if len(translation) <= longest_translation(source):
        return ""
    return (f"it is {len(translation):,} characters long, its source {len(source):,}: a translation is at most "
            f"{GROWTH} times as long as its source, plus {EXTRA}")


def yaml_values(node: yaml.Node) -> int:
    """How many values a composed YAML document holds once its aliases are expanded
    (each node counted once per place it appears), without expanding anything."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children = _children(current)
        if done or not children:
            sizes[key] = 1 + sum(sizes.get(id(c), 0) for c in children)
            if sizes[key] > MAX_VALUES:
                return sizes[key]
            continue
        stack.append((current, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_yaml(node: yaml.Node | None, path: Path | str | None, line: int | None = None) -> None:
    """Refuse a YAML document whose aliases expand it past MAX_VALUES values."""
    if node is not None and yaml_values(node) > MAX_VALUES:
        raise ContentError(f"YAML aliases (*name) expand this to more than {MAX_VALUES:,} values; "
                           "write the values out, or use fewer aliases", path, line)


def safe_yaml(text: str, path: Path | str | None):
    """``yaml.safe_load`` within the bounds: composed, checked, then constructed."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        check_yaml(node, path)
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


NESTED = "nested too deeply to read"

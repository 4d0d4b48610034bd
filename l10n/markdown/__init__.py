"""Markdown with front matter <-> Document: blocks, front matter, inline spans, rendering."""

from __future__ import annotations

from .blocks import (
    DEFAULT_KEYS,
    DEFAULT_PARAMS,
    DEFAULT_VERBATIM,
    Options,
    decode,
    load,
    parse,
    read_bytes,
)

__all__ = ["DEFAULT_KEYS", "DEFAULT_PARAMS", "DEFAULT_VERBATIM", "Options", "decode", "load", "parse", "read_bytes"]

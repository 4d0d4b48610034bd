"""Markdown with front matter <-> Document: blocks, front matter, inline spans, HTML blocks, rendering."""

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
from .htmlblocks import DEFAULT_ATTRIBUTES

__all__ = ["DEFAULT_ATTRIBUTES", "DEFAULT_KEYS", "DEFAULT_PARAMS", "DEFAULT_VERBATIM", "Options", "decode", "load",
           "parse", "read_bytes"]

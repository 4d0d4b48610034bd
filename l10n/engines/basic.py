"""The engines every install has: ``copy`` and ``pseudo``."""

from __future__ import annotations

import math
import re
from typing import Sequence


class CopyEngine:
    """Returns its input: makes translation stubs for people to translate."""

    model = "copy/1"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return list(texts)


_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_TAGS = re.compile(r"(<\s*/?\s*[gx]\s*\d+\s*/?\s*>)", re.IGNORECASE)
_VOWELS = set("aeiouAEIOU")


class PseudoEngine:
    """Pseudo-localisation: accented look-alikes, about 35% longer, in brackets.

    Deterministic. Text that reaches a page unchanged was never translated, and
    a layout that survives 35% longer strings survives most languages.
    """

    model = "pseudo/1"
    expansion = 0.35

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self.pseudo(t) for t in texts]

    def pseudo(self, text: str) -> str:
        if not text.strip():
            return text
        parts = _TAGS.split(text)
        letters = 0
        out = []
        for i, part in enumerate(parts):
            if i % 2:  # a tag: markup placeholders stay as they are
                out.append(part)
                continue
            chars = []
            for ch in part:
                chars.append(ch.translate(_ACCENTS))
                if ch in _VOWELS:
                    chars.append(ch.translate(_ACCENTS))
                letters += ch.isalpha()
            out.append("".join(chars))
        body = "".join(out)
        visible = len(_TAGS.sub("", text))
        grown = len(_TAGS.sub("", body)) + 2
        pad = max(0, math.ceil(visible * (1 + self.expansion)) - grown)
        return "⟦" + body + "·" * pad + "⟧"

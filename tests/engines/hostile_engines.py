"""Test engines, registered through a real ``l10n.engines`` entry point by conftest."""

from __future__ import annotations

import re
import zlib
from typing import Sequence

TAG = re.compile(r"<\s*/?\s*[gx]\s*\d+\s*/?\s*>")
SPECIALS = [
    "*bold*", "_under_", "[link](http://evil.example)", "<b>tag</b>", "# heading", "1. item",
    "| cell |", "`code`", "{{< shortcode >}}", "&amp;", "back\\", "---", "> quote", "- dash",
    "![img](x.png)", "<http://auto.example>", "~~strike~~", "$x$", "{#id}", "  ",
]


class HostileEngine:
    """Does what real NMT does wrong, deterministically per input text."""

    model = "hostile/1"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self.mangle(t) for t in texts]

    def mangle(self, text: str) -> str:
        seed = zlib.crc32(text.encode("utf-8"))
        behaviour = seed % 12
        tags = TAG.findall(text)
        words = TAG.sub(" ", text).split()
        special = SPECIALS[(seed // 12) % len(SPECIALS)]
        if behaviour == 0:
            return ""
        if behaviour == 1 and tags:  # drop a tag
            return text.replace(tags[seed % len(tags)], "", 1).upper()
        if behaviour == 2 and tags:  # duplicate a tag
            t = tags[seed % len(tags)]
            return text.replace(t, t + " " + t, 1)
        if behaviour == 3 and tags:  # move a tag to the end
            t = tags[0]
            return text.replace(t, "", 1) + " " + t
        if behaviour == 4 and tags:  # translate a tag
            return text.replace(tags[-1], "<grupo" + tags[-1].strip("<>/gx") + ">", 1)
        if behaviour == 5:  # split URLs and paths
            return re.sub(r"([./:])(\w)", r"\1 \2", text)
        if behaviour == 6:  # reorder sentences
            parts = re.split(r"(?<=[.!?]) ", text)
            return " ".join(reversed(parts))
        if behaviour == 7:  # markdown-special text, tags kept
            return special + " " + text + " " + special
        if behaviour == 8:  # change case, keep tags
            return TAG.sub(lambda m: m.group(0), text.swapcase()).replace("<G", "<g").replace("</G", "</g").replace("<X", "<x")
        if behaviour == 9 and tags:  # swap an open and a close tag
            return text[::-1] if len(tags) < 2 else text.replace(tags[0], "@@", 1).replace(tags[1], tags[0], 1).replace("@@", tags[1], 1)
        if behaviour == 10:  # line-start specials after a newline
            return text + "\n" + special + "\n1. " + " ".join(words[:3])
        return special + " " + " ".join(reversed(words))


class RaisingEngine:
    def translate_batch(self, texts, source, target):
        raise RuntimeError("model exploded")


class ShortEngine:
    def translate_batch(self, texts, source, target):
        return list(texts)[:-1]


class InterruptingEngine:
    """Translates one batch, then the user presses Ctrl-C."""

    parallel = False

    def __init__(self):
        self.calls = 0

    def translate_batch(self, texts, source, target):
        self.calls += 1
        if self.calls > 1:
            raise KeyboardInterrupt
        return [t.upper() for t in texts]


class SpacelessEngine:
    """Drops the spaces around placeholders, as engines do for Chinese and Japanese."""

    def translate_batch(self, texts, source, target):
        return [TAG.sub(lambda m: m.group(0), t).replace(" <", "<").replace("> ", ">") for t in texts]


class CountingEngine:
    """Upper-cases, and counts every text it is sent (class-wide, for tests)."""

    model = "counting/1"
    sent: list[str] = []

    def translate_batch(self, texts, source, target):
        CountingEngine.sent.extend(texts)
        return [t.upper() for t in texts]


class ReversingEngine:
    """Reverses the words of each sentence (the last word first) and says so: a real
    reordering with its alignment (translate_aligned), as an engine of its own."""

    model = "reversing/1"
    sent: list[str] = []

    def translate_batch(self, texts, source, target):
        return [text for text, _pairs in self.translate_aligned(texts, source, target)]

    def translate_aligned(self, texts, source, target):
        ReversingEngine.sent.extend(texts)
        out = []
        for text in texts:
            words = text.split()
            out.append((" ".join(reversed(words)), [(i, len(words) - 1 - i) for i in range(len(words))]))
        return out


class TagKeepingEngine:
    """Says it keeps tags (as large language models do), and does: upper-cases the text
    around them. Sent tagged segments, it must return them verified."""

    keeps_tags = True
    model = "tagkeeping/1"
    sent: list[str] = []

    def translate_batch(self, texts, source, target):
        TagKeepingEngine.sent.extend(texts)
        return ["".join(part if TAG.fullmatch(part) else part.upper() for part in re.split(f"({TAG.pattern})", t))
                for t in texts]


class TagBreakingEngine(TagKeepingEngine):
    """Says it keeps tags, and drops them: its segments must go the plain way."""

    model = "tagbreaking/1"

    def translate_batch(self, texts, source, target):
        TagKeepingEngine.sent.extend(texts)
        return [TAG.sub("", t).upper() for t in texts]


def check_shouting(source, target, context):
    """A third-party check (registered through l10n.checks): a translation in capitals."""
    letters = [ch for ch in target.text if ch.isalpha()]
    if len(letters) >= 8 and all(ch.isupper() for ch in letters) and not source.text.isupper():
        yield "warning", "the translation shouts (all capitals)"


class SlowEngine:
    """Pseudo-localisation that takes its time ($L10N_SLOW seconds a batch), in
    worker processes: a run long enough to be killed in the middle."""

    model = "slow/1"
    parallel = True
    memory = False
    detectable = False

    def translate_batch(self, texts, source, target):
        import os
        import time

        from l10n.engines.basic import PseudoEngine

        time.sleep(float(os.environ.get("L10N_SLOW", "0.2")))
        return PseudoEngine().translate_batch(texts, source, target)


class GrowingEngine:
    """Pads every text that holds "more" a thousand times; upper-cases the others."""

    memory = False

    def translate_batch(self, texts, source, target):
        return [t * 1000 if "more" in t else t.upper() for t in texts]


class ScoringEngine:
    """Pseudo-localises (every letter doubled is too long: each vowel gets an accent) and
    says how sure it is: less sure of a longer text, deterministically."""

    model = "scoring/1"

    def translate_batch(self, texts, source, target):
        return [text for text, _pairs, _logprob in self.translate_scored(texts, source, target)]

    def translate_scored(self, texts, source, target):
        table = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")
        return [(t.translate(table), None, -0.03 * len(t.split()) - 0.01 * (zlib.crc32(t.encode()) % 7))
                for t in texts]

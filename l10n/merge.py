"""``--merge``: a person's translation whose source changed keeps its unchanged segments.

The translation's segments line up one for one with the source's segments it
was made from (their digests are in provenance): each unchanged source
segment keeps the person's translation of it, and only the changed ones go to
the engine; the person's text of a changed one is kept in provenance as
``previous``. When the source changed only inside segments, the merge is made
on the person's file itself, so their text outside the segments (a
translated slug, a code comment) stays too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import markdown
from .document import Document
from .errors import L10nError
from .provenance import (
    TargetRecord,
    diff_segments,
    hand_updated,
    segment_digests,
    skeleton,
)


@dataclass
class Kept:
    """What a merge keeps of a person's translation."""

    #: The person's translations of unchanged source segments, by source-segment digest.
    texts: dict[str, list[str]]
    #: What the person had written for the segments that changed, by new digest.
    previous: dict[str, str]
    #: The translation itself, when the source changed only inside segments.
    base: Document | None = None
    #: (translation segment index, source segment index) of changed segments.
    replaced: list[tuple[int, int]] = field(default_factory=list)

    def preset(self, doc: Document) -> dict:
        """Give ``doc``'s unchanged segments the person's translation (the rest go
        to the engine); what provenance records of the merge."""
        queues = {key: list(texts) for key, texts in self.texts.items()}
        machine: list[str] = []
        count = 0
        for seg in doc.segments():  # nested segments first, then the one holding them
            key = seg.digest()
            if queues.get(key):
                seg.rendered = queues[key].pop(0)
                seg.outcome = "kept"
                count += 1
            else:
                machine.append(key)
        return {"merged": {"kept": count, "machine": machine},
                "previous": {key: text for key, text in self.previous.items() if key in machine}}

    def parts(self, doc: Document) -> list:
        """The merged document's parts: the person's file with the changed segments
        translated again, or (when the source changed outside them) the source's."""
        if self.base is None:
            return doc.parts
        ours, theirs = list(doc.segments()), list(self.base.segments())
        for i, j in self.replaced:
            theirs[i].rendered = ours[j].render()
        return self.base.parts


def kept(record: TargetRecord, target: Path, doc: Document, options) -> Kept | str:
    """What --merge keeps of the person's translation at ``target`` of ``doc``, or why it cannot."""
    old = record.segments
    try:
        base = markdown.load(target, options)
    except L10nError as exc:
        return f"edited: cannot be read ({exc.message}); --force overwrites it"
    theirs = list(base.segments())
    if not old or len(theirs) != len(old):
        return ("edited: its source changed, and its segments no longer line up with the source's; "
                "update it by hand (l10n status says which segments changed) or --force")
    texts: dict[str, list[str]] = {}
    for key, seg in zip(old, theirs):
        texts.setdefault(key, []).append(seg.original)
    new = segment_digests(doc)
    diff = diff_segments(old, new)
    updated = hand_updated(record, new, theirs)  # already translated again by a person: theirs
    for j, i in updated.items():
        texts.setdefault(new[j], []).insert(0, theirs[i].original)
    previous = {new[j]: theirs[i].original for i, j in diff.replaced if j not in updated}
    result = Kept(texts, previous)
    if record.skeleton == skeleton(doc) and not diff.added and not diff.removed:
        result.base, result.replaced = base, diff.replaced
    return result

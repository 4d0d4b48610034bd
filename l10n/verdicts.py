"""Whether an imported unit may change its page: a person's change, a draft, an approval, a conflict.

A unit changes a page only when a person changed it. What an export carried
is known from the unit itself: its state (a machine draft says
``needs-review-translation``/``mt-suggestion`` in XLIFF, ``fuzzy`` in PO) and
the digests l10n wrote beside it (``exported``: its target as exported;
``page``: the page's segment then). So:

- a target still as exported is nobody's new text: a draft changes nothing,
  and an approval of it (a reviewer set ``signed-off``) counts only while the
  page still says what was exported;
- a target a person changed, or confirmed, replaces machine words, and a
  person's words only where the page still says what the translator saw (or,
  for a file that does not say, where the page is as l10n last recorded it);
  else it is a conflict, which ``--force`` (the file wins) settles;
- nothing a draft holds is ever written over a person's text, ``--force`` or
  not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import align
from .document import Document, Segment
from .exchange import Unit, exported_digest, markdown_text, tagged_like, unit_ids
from .limits import too_long
from .provenance import TargetRecord
from .xliff import DONE_STATES

@dataclass(frozen=True)
class Verdict:
    """What a unit does to its segment."""

    #: apply (the unit's text replaces the segment's), approve (the segment's text stays,
    #: now a person's), keep (nothing), draft (a machine draft: nothing), moved (an approval
    #: of text the page no longer holds), conflict, refused.
    action: str
    #: apply and approve: "reviewed" or "edited" (a person's, not yet approved).
    tier: str = ""
    why: str = ""


@dataclass
class Current:
    """A segment's translation in the page now."""

    #: The page's segment (its text as the file writes it: ``seg.original``).
    seg: Segment
    #: Its text as an XLIFF target (None: its markup is not the source's) and as a PO message.
    tagged: str | None
    markdown: str
    #: Whose words these are: "reviewed", "edited" (a person's), or "" (the machine's).
    tier: str

    @property
    def persons(self) -> bool:
        return bool(self.tier)


def confirmed(unit: Unit, xliff: bool) -> bool:
    """Whether a unit's state says a person translated or approved its target."""
    if not xliff:
        return not unit.fuzzy
    if unit.qualifier == "mt-suggestion" and unit.state not in ("signed-off", "final"):
        return False  # the machine's suggestion, whatever else the state says
    return unit.state in DONE_STATES or unit.state == ""


def judge(unit: Unit, current: Current | None, *, xliff: bool, as_is: bool, force: bool, fuzzy: bool,
          status: str) -> Verdict:
    """What ``unit`` does to a segment whose translation is ``current`` now (None: the
    page has none). ``as_is``: the page is as l10n last recorded it (written, imported
    or approved: nobody edited it since)."""
    target = unit.target or ""
    if unit.error:
        return Verdict("refused", why=unit.error)
    if not target.strip():
        return Verdict("keep")
    long = too_long(unit.source, target)
    if long:
        return Verdict("refused", why=long)
    person = confirmed(unit, xliff)
    tier = "reviewed" if person and status == "reviewed" else "edited"
    form = None if current is None else (current.tagged if xliff else current.markdown)
    known = unit.exported is not None
    changed = known and exported_digest(target) != unit.exported
    # whether the page still says, there, what the file was made from
    saw = None if unit.page is None else exported_digest(current.seg.original if current else "") == unit.page
    if known and not changed:  # the target as l10n exported it: nobody's new words
        if not person:
            return Verdict("draft")
        if saw or (saw is None and form == target):
            return Verdict("approve", tier)
        return Verdict("moved", why="approved in the file as exported, but the page has changed there since the "
                                    "export: not recorded (look at the page's text, and approve it there)")
    if not known and not person:
        if xliff or not (fuzzy and unit.fuzzy):
            return Verdict("draft")
        # --fuzzy: a catalog's fuzzy entries are someone's drafts, never over a person's words
        if current is not None and current.persons and form != target:
            return Verdict("conflict", why="a fuzzy entry, over a person's translation: never imported, --force or not")
        return Verdict("apply", "edited")
    if current is None or not current.persons:
        return Verdict("apply", tier)
    if form == target:
        return Verdict("approve", tier)
    if force or (saw if saw is not None else as_is):
        return Verdict("apply", tier)
    if saw is not None:
        why = "the page's translation there is a person's and changed since the export"
    else:
        why = ("the page's translation there is a person's, edited since l10n recorded it (l10n review --approve "
               "records the page as it is)")
    return Verdict("conflict", why=why + "; import --force puts the file's in its place")


# --------------------------------------------------------------------------
# The page now


@dataclass
class Page:
    """A translation as it is before an import: its document (None: there is none yet)
    and each source segment's translation in it, by the segment's index among the
    source's units."""

    doc: Document | None
    current: dict[int, Current]
    #: The page is as l10n last recorded it (written, imported or approved).
    as_is: bool
    #: Every segment of the page with words is the machine's (a page l10n may rebuild).
    machine: bool


def page_now(source: Document, source_key: str, theirs: Document | None, raw: bytes | None,
             record: TargetRecord | None, path: Path, options) -> Page:
    """Whose words each segment of a translation holds, from its record."""
    if theirs is None or raw is None:
        return Page(None, {}, False, True)
    ours = record is not None and record.source == source_key
    as_is = ours and not record.edited_since(raw, path, options)
    index = {id(seg): i for i, (_uid, seg) in enumerate(unit_ids(source))}
    machine_segments = set((record.merged or {}).get("machine", ())) if ours else set()
    recorded = record.target_segments if ours else []
    pairs = [p for p in align(source, theirs) if p.source is not None and p.target is not None
             and id(p.source) in index]
    by_position = len(recorded) == len(pairs)
    current: dict[int, Current] = {}
    for n, pair in enumerate(pairs):
        s, t = pair.source, pair.target
        same = t.original == s.original
        if not ours:
            tier = "" if same else "edited"  # a translation l10n did not write: a person's, not approved
        elif not as_is:  # edited since l10n recorded it: where we cannot tell, every segment counts
            changed_here = not by_position or t.digest() != recorded[n]
            tier = "edited" if changed_here and not same else _recorded_tier(record, s, machine_segments)
        else:
            tier = _recorded_tier(record, s, machine_segments)
        current[index[id(s)]] = Current(t, tagged_like(s, t), markdown_text(t), tier)
    machine = not any(c.persons for c in current.values()) and (ours and as_is)
    return Page(theirs, current, as_is, machine)


def _recorded_tier(record: TargetRecord, seg: Segment, machine_segments: set[str]) -> str:
    """Whose words a segment is, as the record of a page l10n wrote says."""
    if record.reviewed:
        return "reviewed"
    if record.merged or record.engine == "person":
        return "" if seg.digest() in machine_segments else "edited"
    return ""

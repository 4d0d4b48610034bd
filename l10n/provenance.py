"""Provenance: the record l10n keeps of every source and translation, and what it says now.

One :class:`SourceRecord` per article (its bytes' digest, language, the
languages it exists in) and one :class:`TargetRecord` per translation l10n
wrote or a person approved (what it was made from, by which engine, the
digest of every source segment, the file's digest as written, approval).
This is the one module that makes records, and the one that decides, from
them, whether a translation is current, edited by a person, reviewed or
stale; ``state`` keeps them in ``.l10n/state.json``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable, Sequence

from . import markdown
from .document import Document
from .errors import L10nError
from .limits import read_file
from .write import digest


@dataclass
class SourceRecord:
    """An article's source as l10n last saw it."""

    #: Digest of the file's bytes.
    raw: str
    #: The article's language (a site key).
    lang: str
    #: Every language the article exists in (keys), as its translations lists say.
    langs: list[str] = field(default_factory=list)
    #: Digest of its text without the fields l10n maintains.
    sha: str = ""
    #: Words of prose.
    words: int = 0
    #: The digests of its segments, and of its text outside them (what its translations
    #: were made from, while they are current: each says so once, here).
    segments: list[str] = field(default_factory=list)
    skeleton: str = ""


@dataclass
class TargetRecord:
    """A translation: what it was made from, by what, and who approved it."""

    #: The source's key.
    source: str
    #: The translation's language (a site key).
    lang: str
    #: The source's text digest when the translation was made (or approved).
    source_sha: str = ""
    #: The digests of the source's segments then, in order.
    segments: list[str] = field(default_factory=list)
    #: engine:model that made it, or "person".
    engine: str = ""
    time: str = ""
    #: Digest of the file as written; and of its text without maintained fields.
    raw: str = ""
    sha: str = ""
    #: Digest of the settings it was made under (keys, terms, glossary...).
    options: str = ""
    #: Digest of the source's text outside its segments.
    skeleton: str = ""
    #: When a person approved it ("" = never).
    reviewed: str = ""
    #: Half or more of its prose is still the source's.
    untranslated: bool = False
    #: --merge: {"kept": n, "machine": [segment digests translated by the engine]}.
    merged: dict[str, Any] | None = None
    #: --merge: what a person had written for segments whose source changed, by digest.
    previous: dict[str, str] = field(default_factory=dict)
    #: The digests of the translation's own segments (after approval or a merge).
    target_segments: list[str] = field(default_factory=list)
    #: Findings of l10n check, cached by the bytes they were found in.
    check: dict[str, Any] | None = None
    #: How sure the engine was of each segment's translation, in the order of ``segments``:
    #: percents separated by spaces, "-" where none is known ("" when none is).
    confidence: str = ""
    #: The ids of findings a person accepted (``checks.finding_id``): each holds while the
    #: texts it was found in are as they were.
    accepted: list[str] = field(default_factory=list)

    @property
    def is_persons(self) -> bool:
        """Whether it holds a person's work: approved, or merged into by --merge."""
        return bool(self.reviewed or self.merged)

    def edited_since(self, raw: bytes | None, path: Path, options, raw_digest: str | None = None) -> bool:
        """Whether the file's text (maintained fields aside) differs from what was
        recorded; an unreadable file counts as edited. ``raw_digest``: the digest of
        its bytes when known (then they are read only when it differs)."""
        if (raw_digest if raw_digest is not None else digest(raw or b"")) == self.raw:
            return False
        if raw is None:
            try:
                raw = read_file(path)
            except OSError:
                return True
        try:
            text = markdown.load(path, options, raw).render_without_fields()
        except L10nError:
            return True
        return digest(text) != self.sha


def confidence_text(values: Sequence[float | None]) -> str:
    """Confidences (0-1, or None) as a record keeps them: percents, "-" for none."""
    if all(value is None for value in values):
        return ""
    return " ".join("-" if value is None else str(round(100 * value)) for value in values)


def confidences(record: TargetRecord | None) -> list[int | None]:
    """A record's confidences, in percent, in the order of its ``segments`` (None: unknown)."""
    if record is None or not record.confidence:
        return []
    return [int(v) if v.isdigit() and int(v) <= 100 else None for v in record.confidence.split()]


def weakest(record: TargetRecord | None) -> int | None:
    """A translation's weakest segment's confidence, in percent; None when none is known."""
    known = [v for v in confidences(record) if v is not None]
    return min(known) if known else None


# --------------------------------------------------------------------------
# Names


class Keys:
    """How provenance names files: paths relative to the site root, with slashes."""

    def __init__(self, site: Path):
        self.site = site
        self._prefix = os.path.join(os.path.abspath(site), "")

    def key(self, path: Path | str) -> str:
        return relative(os.path.abspath(path), self._prefix)

    def path(self, key: str) -> Path:
        return self.site / key


def relative(full: str, prefix: str) -> str:
    """``full`` without ``prefix`` when it starts with it, with slashes."""
    rel = full[len(prefix) :] if full.startswith(prefix) else full
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def made_from(state, site: Path):
    """Which source l10n translated a file from, as its provenance says: ``path -> Path | None``.
    A file whose record is not read yet has the whole state read, once (a translation
    without a source beside it is rare: an orphan, or a page in its own language)."""
    keys = Keys(site)

    def source_of(path: Path) -> Path | None:
        key = keys.key(path)
        record = state.targets.get(key)
        if record is None and key not in state.owner:
            state.ensure_all()
            record = state.targets.get(key)
        return site / record.source if record is not None else None

    return source_of


# --------------------------------------------------------------------------
# What the records say of a translation now


@dataclass(frozen=True)
class Standing:
    """What provenance says of one existing translation file, against its source now."""

    record: TargetRecord | None
    #: l10n wrote (or a person approved) it from this very source.
    ours: bool
    #: Its text differs from what was recorded (a person changed it).
    edited: bool
    #: It was made from (or approved against) an older version of the source.
    source_changed: bool

    @property
    def person(self) -> str | None:
        """"edited" or "reviewed" when it holds a person's work, else None."""
        if self.record is None or not self.ours:
            return None
        if self.edited or self.record.merged:
            return "edited"
        return "reviewed" if self.record.reviewed else None


def standing(record: TargetRecord | None, source_key: str, source_sha: str, raw: bytes | None, path: Path,
             options, raw_digest: str | None = None) -> Standing:
    """Judge an existing translation (its bytes ``raw``, or their digest) by its record."""
    if record is None or record.source != source_key:
        return Standing(record, False, True, False)
    return Standing(record, True, record.edited_since(raw, path, options, raw_digest), record.source_sha != source_sha)


def up_to_date(state, keys: Keys, source_key: str, raw_digest: str | None, siblings: set[str],
               wanted: dict[str, Path], made_under: dict[str, tuple[str, str]],
               digest_of: Callable[[Path], str | None]) -> bool:
    """Whether an article (its bytes' digest) and its translations ``wanted`` (language:
    path) are as l10n left them, judged from hashes alone (``digest_of``): nothing is
    parsed. ``made_under``: each language's engine id and settings id now."""
    recorded = state.sources.get(source_key)
    if recorded is None or not recorded.sha or recorded.raw != raw_digest:
        return False
    if set(recorded.langs) != {recorded.lang, *siblings, *(t for t in wanted if t != recorded.lang)}:
        return False
    for lang, target in wanted.items():
        if lang == recorded.lang:
            continue
        record = state.targets.get(keys.key(target))
        if record is None or record.source != source_key or record.source_sha != recorded.sha:
            return False  # not ours, or made from an older source (and kept: a person's work)
        # a person's translation stays as it is whatever engine or settings are used now
        engine_id, settings_id = made_under[lang]
        if not record.is_persons and (record.engine != engine_id or record.options != settings_id):
            return False
        if digest_of(target) != record.raw:
            return False
    return True


def reason_to_make(record: TargetRecord | None, target: Path, source_key: str, source_sha: str, options,
                   engine_id: str, settings_id: str, force: bool = False, merge: bool = False,
                   one_off: bool = False) -> str | None:
    """Why a translation must be (re)made, or None when it is current.

    A reason starting with "edited", "reviewed" or "not written by l10n" is a
    person's work, which is kept; "kept" another engine's translation that a
    one-off engine (``one_off``: --engine without --replace) leaves alone;
    "merge": a person's work whose source changed, to be updated segment by
    segment (--merge)."""
    if not target.exists():
        return "new"
    if force:
        return "--force"
    if record is None:
        return "not written by l10n (l10n review --approve adopts it, --force overwrites it)"
    if record.source != source_key:
        return f"edited: l10n made it from {record.source} (--force overwrites it)"
    try:
        raw = read_file(target)
    except OSError:
        return "edited: cannot be read (--force overwrites it)"
    now = standing(record, source_key, source_sha, raw, target, options)
    person = now.person
    if person is not None:
        if not now.source_changed:
            if person == "reviewed":
                return None
            if not now.edited:  # --merge made it: a person's work with new machine segments
                return "edited: holds a person's translation (merged), not yet approved (--force overwrites it)"
            return "edited: changed since l10n wrote it (--force overwrites it)"
        if merge:
            return "merge"
        return (f"{person}: its source changed (--merge translates the changed segments and keeps the rest, "
                "--force overwrites it)")
    if one_off and record.engine.split(":", 1)[0] != engine_id.split(":", 1)[0]:
        return (f"kept: made by {record.engine}; a one-off --engine {engine_id.split(':', 1)[0]} replaces another "
                "engine's translations only with --replace")
    if now.source_changed:
        return "source changed"
    if record.engine != engine_id:
        if record.engine.split(":", 1)[0] != engine_id.split(":", 1)[0]:
            return f"made by {record.engine}; the engine is now {engine_id}"
        return f"made by {record.engine}"
    if record.options != settings_id:
        return "settings changed"
    return None


@dataclass
class SegmentDiff:
    """How a source's segments changed: pairs (old index, new index) of changed
    segments, new segments' indexes, and removed segments' old indexes."""

    replaced: list[tuple[int, int]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def diff_segments(old: Sequence[str], new: Sequence[str]) -> SegmentDiff:
    """Line up two lists of segment digests (as provenance records them)."""
    diff = SegmentDiff()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, list(old), list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        diff.replaced += list(zip(range(i1, i1 + common), range(j1, j1 + common)))
        diff.added += list(range(j1 + common, j2))
        diff.removed += list(range(i1 + common, i2))
    return diff


def skeleton(doc: Document) -> str:
    """A digest of a document's text outside its segments and maintained fields."""
    return digest("\0".join(p for p in doc.parts if isinstance(p, str)))


def segment_digests(doc: Document) -> list[str]:
    return [seg.digest() for seg in doc.segments()]


def hand_updated(record: TargetRecord, new: Sequence[str], theirs: Sequence[Any]) -> dict[int, int]:
    """The changed source segments whose translation a person has updated since
    l10n recorded it: {new source index: translation segment index}.

    ``new``: the source's segment digests now; ``theirs``: the translation's
    segments now. Known only where provenance has the translation's own segment
    digests (recorded on approval and after a merge) and the segments line up."""
    old, recorded = record.segments, record.target_segments
    if not old or len(recorded) != len(old) or len(theirs) != len(old):
        return {}
    return {j: i for i, j in diff_segments(old, new).replaced if theirs[i].digest() != recorded[i]}


def caught_up(record: TargetRecord, source: Document, translation: Document) -> bool:
    """Whether a person has updated every segment of a translation whose source
    changed (only changes inside segments; nothing added or removed)."""
    new = segment_digests(source)
    diff = diff_segments(record.segments, new)
    if diff.added or diff.removed or record.skeleton != skeleton(source):
        return False
    updated = hand_updated(record, new, list(translation.segments()))
    return bool(diff.replaced) and all(j in updated for _i, j in diff.replaced)


def approved(record: TargetRecord | None, source_key: str, lang: str, source: Document, source_sha: str,
             translation: Document, raw: bytes, now: str) -> TargetRecord:
    """The record of a translation a person approved (adopting one l10n did not write)."""
    base = record if record is not None else TargetRecord(source_key, lang, engine="person")
    return replace(
        base, source=source_key, lang=lang, source_sha=source_sha, segments=segment_digests(source),
        raw=digest(raw), sha=digest(translation.render_without_fields()), skeleton=skeleton(source),
        target_segments=segment_digests(translation), reviewed=now, time=base.time or now,
        # a person vouched for every word: the engine's doubt no longer says what to read first
        untranslated=False, merged=None, previous={}, confidence="",
    )

"""Orphans and renames: translations whose source is gone, the source they follow, records of files gone.

A translation l10n made from a source that no longer exists is an *orphan*:
Hugo still publishes it, so ``status`` reports it and ``--check`` fails on it.
When the source was renamed (another source holds the bytes it had, or its
text without the fields l10n maintains, or the same ``translationKey``), and
that source has no translation in the orphan's language yet, ``l10n
translate`` moves the translation to where the renamed source's goes, with its
record, as ``git mv`` would: no word of it changes, a person's work included.
Records of files that no longer exist are forgotten on a run over the whole
site, so the state holds what the site holds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .content import Article, Layout
from .errors import ContentError
from .survey import Survey, shown
from .write import writable

#: The front-matter field Hugo pairs translations by, whatever their file names.
TRANSLATION_KEY = "translationKey"


@dataclass
class Rename:
    """An orphan translation and where it goes: its source was renamed."""

    orphan: Path
    lang: str
    #: The source it was made from (gone), and the one that took its place.
    gone: Path
    source: Path
    target: Path


def orphans(survey: Survey) -> list[tuple[Article, str]]:
    """The orphan translations under the survey's paths, with their language."""
    found = []
    for article, _lay in survey.articles:
        if article.orphan_of is None:
            continue
        record = survey.state.targets.get(survey.key(article.source))
        found.append((article, record.lang if record is not None else (article.suffix_lang or "")))
    return found


def renames(survey: Survey) -> list[Rename]:
    """Where each orphan translation goes, when its source was renamed (else nothing)."""
    lost = orphans(survey)
    if not lost:
        return []
    sources = [(a, lay) for a, lay in survey.articles if a.orphan_of is None]
    by_raw: dict[str, list[tuple[Article, Layout]]] = {}
    for article, lay in sources:
        printed = survey.fingerprint(article.source)
        if printed is not None:
            by_raw.setdefault(printed, []).append((article, lay))
    out = []
    for orphan, lang in lost:
        assert orphan.orphan_of is not None
        gone = survey.key(orphan.orphan_of)
        survey.state.ensure(gone)
        was = survey.state.sources.get(gone)
        candidates = by_raw.get(was.raw, []) if was is not None else []
        if not candidates and was is not None:  # edited in the rename: its text, or the key it shares
            candidates = [(a, lay) for a, lay in sources if _same_text(survey, a, was.sha)]
        if not candidates:
            key = _translation_key(survey, orphan.source)
            candidates = [(a, lay) for a, lay in sources if key and _translation_key(survey, a.source) == key]
        free = [(a, lay) for a, lay in candidates if lang and not lay.target(a, lang).exists()]
        if len(free) == 1:
            article, lay = free[0]
            out.append(Rename(orphan.source, lang, orphan.orphan_of, article.source, lay.target(article, lang)))
    return out


def _same_text(survey: Survey, article: Article, sha: str) -> bool:
    recorded = survey.state.sources.get(survey.key(article.source))
    if recorded is not None and recorded.raw == survey.fingerprint(article.source):
        return recorded.sha == sha
    try:
        return survey.source(article, parse=True).sha == sha
    except ContentError:
        return False


def _translation_key(survey: Survey, path: Path) -> str:
    try:
        doc = survey.parse(path)
    except ContentError:
        return ""
    value = (doc.meta or {}).get(TRANSLATION_KEY) if isinstance(doc.meta, dict) else None
    return str(value) if value else ""


def move(survey: Survey, rename: Rename) -> None:
    """Move a translation where its renamed source's goes, with its record; nothing of
    its text changes (its translations list is updated by the run, as any sibling's).
    Under the site's lock, never through a link."""
    state = survey.state
    old_key, new_key = survey.key(rename.orphan), survey.key(rename.target)
    record = state.targets.get(old_key)
    with state.writing():
        writable(rename.orphan, survey.confined)
        writable(rename.target, survey.confined)
        if rename.target.exists() or not rename.orphan.is_file():
            raise ContentError("changed during the run; run again", rename.target)
        if record is not None:
            moved = replace(record, source=survey.key(rename.source))
            state.journal("targets", new_key, moved)
        rename.target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(rename.orphan, rename.target)
        except OSError as exc:
            raise ContentError(f"cannot move it: {exc.strerror or exc}", rename.orphan) from None
    if record is not None:
        state.forget(old_key)
        state.set_target(new_key, moved, wrote=True)


def follow(survey: Survey) -> list[tuple[Rename, ContentError | None]]:
    """Every orphan whose source was renamed moved where that source's translation
    goes (record and all, a person's words as they are): each with why not, if not.
    The survey finds its articles again when any moved."""
    done = []
    for rename in renames(survey):
        try:
            move(survey, rename)
            done.append((rename, None))
        except ContentError as exc:
            done.append((rename, exc))
    if any(failed is None for _r, failed in done):
        survey.forget_articles()
    return done


def prune(survey: Survey) -> int:
    """Forget the records of files that no longer exist (a run over the whole site):
    translations gone, and sources gone with every translation of theirs. How many."""
    state = survey.state
    state.ensure_all()
    gone = 0
    for key in list(state.targets):
        if not (survey.site / key).exists():
            state.forget(key)
            gone += 1
    left = {record.source for record in state.targets.values()}
    for key in list(state.sources):
        if key not in left and not (survey.site / key).exists():
            state.forget_source(key)
            gone += 1
    return gone


def describe(rename: Rename) -> str:
    return f"{shown(rename.orphan)} -> {shown(rename.target)} (its source {shown(rename.gone)} is now {shown(rename.source)})"


def orphan_detail(article: Article, moves: list[Rename]) -> str:
    """What status says of an orphan: whose translation it was, and what to do."""
    assert article.orphan_of is not None
    to = next((r for r in moves if r.orphan == article.source), None)
    if to is not None:
        return f"its source was renamed to {shown(to.source)}: l10n translate moves it to {shown(to.target)}"
    return (f"its source {shown(article.orphan_of)} is gone, and the site still publishes it: delete it, or "
            "rename it as its source was")


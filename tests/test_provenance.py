"""Provenance: what a translation's record says of it now (current, edited, reviewed, stale)."""

from __future__ import annotations

from dataclasses import replace

from l10n import markdown
from l10n.provenance import (
    TargetRecord,
    approved,
    caught_up,
    diff_segments,
    reason_to_make,
    segment_digests,
    skeleton,
)
from l10n.write import digest

SOURCE = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n"
MACHINE = "# Título\n\nPrimer párrafo.\n\nSegundo párrafo.\n"


def test_segment_diffs_say_what_changed_was_added_and_removed():
    diff = diff_segments(["a", "b", "c", "d"], ["a", "B", "c", "e", "f"])
    assert diff.replaced == [(1, 1), (3, 3)] and diff.added == [4] and diff.removed == []
    diff = diff_segments(["a", "b", "c"], ["a", "c"])
    assert diff.replaced == [] and diff.added == [] and diff.removed == [1]


def _made(tmp_path, text=MACHINE, **fields):
    source = markdown.parse(SOURCE)
    target = tmp_path / "post.es.md"
    target.write_text(text, encoding="utf-8")
    record = TargetRecord("content/post.md", "es", source_sha=digest(source.render_without_fields()),
                          segments=segment_digests(source), engine="pseudo", raw=digest(MACHINE.encode()),
                          sha=digest(MACHINE), options="o", skeleton=skeleton(source))
    return source, target, replace(record, **fields)


def test_reasons_to_make_a_translation_again(tmp_path):
    source, target, record = _made(tmp_path)
    sha = record.source_sha
    args = ("content/post.md", sha, None, "pseudo", "o")
    assert reason_to_make(record, target, *args) is None
    assert reason_to_make(record, tmp_path / "missing.es.md", *args) == "new"
    assert reason_to_make(record, target, *args, force=True) == "--force"
    assert reason_to_make(None, target, *args).startswith("not written by l10n")
    assert reason_to_make(record, target, "content/post.md", "changed", None, "pseudo", "o") == "source changed"
    assert reason_to_make(record, target, "content/post.md", sha, None, "argos:x", "o") == \
        "made by pseudo; the engine is now argos:x"
    assert reason_to_make(record, target, "content/post.md", sha, None, "pseudo:2", "o") == "made by pseudo"
    assert reason_to_make(record, target, "content/post.md", sha, None, "argos:x", "o", one_off=True).startswith(
        "kept: made by pseudo")
    assert reason_to_make(record, target, "content/post.md", sha, None, "pseudo", "p") == "settings changed"


def test_a_persons_work_is_never_a_reason_to_make_it_again(tmp_path):
    source, target, record = _made(tmp_path, MACHINE.replace("Primer", "El primer"))
    sha = record.source_sha
    assert reason_to_make(record, target, "content/post.md", sha, None, "argos:x", "p").startswith("edited")
    _source, target, reviewed = _made(tmp_path, reviewed="2026-01-01T00:00:00Z")
    assert reason_to_make(reviewed, target, "content/post.md", sha, None, "argos:x", "p") is None
    why = reason_to_make(reviewed, target, "content/post.md", "changed", None, "argos:x", "p")
    assert why.startswith("reviewed: its source changed")
    assert reason_to_make(reviewed, target, "content/post.md", "changed", None, "pseudo", "o", merge=True) == "merge"


def test_an_approval_records_the_translations_own_segments_and_catching_up(tmp_path):
    source, target, record = _made(tmp_path)
    translation = markdown.parse(MACHINE)
    done = approved(record, "content/post.md", "es", source, record.source_sha, translation, MACHINE.encode(), "now")
    assert done.reviewed == "now" and done.engine == "pseudo"
    assert done.target_segments == segment_digests(translation)
    # the source's second paragraph changes; a person updates its translation: caught up
    changed = markdown.parse(SOURCE.replace("Second", "The second"))
    assert not caught_up(done, changed, translation)
    assert caught_up(done, changed, markdown.parse(MACHINE.replace("Segundo", "El segundo")))
    adopted = approved(None, "content/post.md", "es", source, record.source_sha, translation, MACHINE.encode(), "now")
    assert adopted.engine == "person"

"""Golden pairs: tests/data/<case>/source.md and its pseudo translation, expected.es.md
(with the Markdown options in options.json, when the case has one).

Regenerate one after a deliberate change with ``L10N_GOLDEN=update``, then read
the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import assert_same_structure, translate_text

from l10n import markdown
from l10n.engines.basic import PseudoEngine

CASES = sorted(p.parent for p in (Path(__file__).parent / "data").glob("*/source.md"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path):
    source = (case / "source.md").read_bytes().decode("utf-8")
    settings = case / "options.json"
    options = markdown.Options(**json.loads(settings.read_text())) if settings.exists() else None
    out, _notices = translate_text(source, PseudoEngine(), options=options)
    expected_path = case / "expected.es.md"
    if os.environ.get("L10N_GOLDEN") == "update":
        expected_path.write_bytes(out.encode("utf-8"))
    assert out == expected_path.read_bytes().decode("utf-8")
    assert_same_structure(source, out, case.name, options=options)

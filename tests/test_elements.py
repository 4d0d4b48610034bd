"""HTML elements by what l10n does with them, and whose content stays as written."""

from __future__ import annotations

import pytest

from l10n.markdown import elements


@pytest.mark.parametrize("tag, kept", [
    ("<kbd>", True), ("<KBD>", True), ("<code class='x'>", True), ("<samp>", True), ("<var>", True),
    ("<script>", True), ('<span translate="no">', True), ("<span class='a notranslate'>", True),
    ("<span>", False), ('<span translate="yes">', False), ("<b class=notranslated>", False), ("</kbd>", False),
])
def test_a_start_tag_says_whether_its_element_is_kept_as_written(tag, kept):
    assert elements.kept_tag(tag) is kept


def test_the_sets_do_not_overlap_where_they_must_not():
    assert not elements.CODE & elements.INLINE
    assert not elements.NEVER & elements.INLINE
    assert {"br", "img", "wbr"} <= elements.EMPTY

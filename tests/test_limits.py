"""Bounds on hostile input: file size and YAML aliases (l10n/limits.py)."""

from __future__ import annotations

import pytest
import yaml

from l10n import limits
from l10n.errors import ContentError


def test_a_file_up_to_the_size_bound_is_read_and_one_byte_more_is_refused():
    limits.check_size(b"x" * limits.MAX_BYTES, "big.md")
    with pytest.raises(ContentError, match="l10n reads content files up to 4 MB") as err:
        limits.check_size(b"x" * (limits.MAX_BYTES + 1), "big.md")
    assert err.value.path == "big.md"


def test_read_file_never_waits_and_reads_no_more_than_it_may(tmp_path):
    import os

    (tmp_path / "a.md").write_bytes(b"x" * 100)
    assert limits.read_file(tmp_path / "a.md") == b"x" * 100
    assert limits.read_file(tmp_path / "a.md", limit=10) == b"x" * 11  # one more: check_size then refuses
    os.mkfifo(tmp_path / "pipe.md")  # a plain read would wait for a writer for ever
    with pytest.raises(OSError, match="not a regular file"):
        limits.read_file(tmp_path / "pipe.md")
    with pytest.raises(OSError, match="not a regular file"):
        limits.read_file("/dev/zero")  # a read without end
    with pytest.raises(IsADirectoryError):
        limits.read_file(tmp_path)


def test_yaml_values_count_an_alias_each_place_it_is_used():
    # the mapping, its two keys, and the list of two (three values) twice
    assert limits.yaml_values(yaml.compose("a: &x [1, 2]\nb: *x\n")) == 9
    assert limits.yaml_values(yaml.compose("just text")) == 1


def test_safe_yaml_loads_within_the_bounds_and_refuses_an_alias_bomb():
    assert limits.safe_yaml("title: Hello\ntags: [a, b]\n", "a.md") == {"title": "Hello", "tags": ["a", "b"]}
    assert limits.safe_yaml("", "a.md") is None
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n" for prev, name in zip("abcde", "bcdef"))  # 10**6 values
    with pytest.raises(ContentError, match="expand this to more than 100,000 values") as err:
        limits.safe_yaml(bomb, "bomb.md")
    assert err.value.path == "bomb.md"

"""Work split over forked worker processes, results in order (l10n/parallel.py)."""

from __future__ import annotations

import os

import pytest

from l10n import parallel


def test_chunks_keep_every_item_in_order_about_four_a_worker():
    items = list(range(100))
    chunks = parallel.chunked(items, 2, 5)
    assert [i for chunk in chunks for i in chunk] == items
    assert [len(c) for c in chunks] == [13] * 7 + [9]  # 100 items, 8 chunks for 2 workers
    assert [len(c) for c in parallel.chunked(items, 2, 5, most=10)] == [10] * 10
    assert [len(c) for c in parallel.chunked(items, 8, 20)] == [20] * 5  # never fewer than least
    assert parallel.chunked([], 4, 1) == []


def _work(shared, item):
    return shared + item, os.getpid()


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this platform")
def test_fork_map_gives_results_in_order_from_worker_processes():
    results = list(parallel.fork_map(_work, list(range(10)), 3, shared=100))
    assert [value for value, _pid in results] == list(range(100, 110))
    assert os.getpid() not in {pid for _value, pid in results}


def test_one_worker_or_one_item_is_done_here():
    here = os.getpid()
    assert list(parallel.fork_map(_work, [1, 2, 3], 1, shared=10)) == [(11, here), (12, here), (13, here)]
    assert list(parallel.fork_map(_work, [5], 4, shared=10)) == [(15, here)]

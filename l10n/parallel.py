"""Work split over forked worker processes, results in order.

Forking shares what the parent already loaded (parsers, language profiles,
the work list) without pickling it; only each call's argument and result
cross between processes.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(func: Callable[[Any, T], R], items: Sequence[T], workers: int, shared: Any = None) -> Iterator[R]:
    """``func(shared, item)`` for every item, in ``workers`` forked processes
    (here, in order, when one worker or no fork is possible)."""
    global _SHARED
    if workers <= 1 or len(items) < 2 or not can_fork():
        for item in items:
            yield func(shared, item)
        return
    _SHARED = (func, shared)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context) as pool:
            yield from pool.map(_call, items)
    finally:
        _SHARED = None


def _call(item: Any) -> Any:
    assert _SHARED is not None
    func, shared = _SHARED
    return func(shared, item)

"""Work split over forked worker processes, results in order.

Forking shares what the parent already loaded (parsers, language profiles,
the work list) without pickling it; only each call's argument and result
cross between processes. A worker dies with its parent: on Linux the kernel
kills it when the parent goes (``PR_SET_PDEATHSIG``), elsewhere it sees its
parent gone within a second; so a run killed at any moment leaves no process
behind writing files or holding its output open.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def chunked(items: Sequence[T], workers: int, least: int, most: int | None = None) -> list[Sequence[T]]:
    """``items`` cut into chunks for ``workers`` processes: about four chunks a
    worker (so a slow one does not hold the rest up), at least ``least`` items each
    (a process costs more than a few items), at most ``most``."""
    size = max(least, -(-len(items) // (max(1, workers) * 4)))
    if most is not None:
        size = min(size, most)
    return [items[i : i + size] for i in range(0, len(items), size)]


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
        with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context,
                                 initializer=_die_with, initargs=(os.getpid(),)) as pool:
            yield from pool.map(_call, items)
    finally:
        _SHARED = None


def _die_with(parent: int) -> None:
    """In a worker: end when the parent process does."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # gone already, before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _call(item: Any) -> Any:
    assert _SHARED is not None
    func, shared = _SHARED
    return func(shared, item)

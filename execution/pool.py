"""Many jobs on a pool of local processes, one per core, each warmed once; results in order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def run_on_pool(work: Callable[[Job], Result], jobs: Sequence[Job], prepare: Callable[..., None] | None = None,
                prepare_arguments: tuple[Any, ...] = (), progress: Callable[[int], None] | None = None
                ) -> Iterator[Result]:
    """Yield `work(job)` for each of `jobs`, in order: one job runs here, several in parallel on one
    process per core, each running `prepare(*prepare_arguments)` once first. `progress(n)` is called
    as each result arrives, with how many arrived."""
    if len(jobs) == 1:
        yield work(jobs[0])
        if progress:
            progress(1)
        return
    # Imported here: a command with one source should not pay for multiprocessing's imports.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(len(jobs), os.cpu_count() or 1)
    # Forkserver: the pool's processes fork their own export workers, which a threaded parent must not.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                             initializer=prepare, initargs=prepare_arguments) as pool:
        # Work goes out in chunks (fewer round trips), a few per process so that both stay busy to the end.
        for done, result in enumerate(pool.map(work, jobs, chunksize=max(1, len(jobs) // (workers * 4))), 1):
            yield result
            if progress:
                progress(done)

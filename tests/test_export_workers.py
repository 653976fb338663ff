"""Export workers of a long-running process (the web server): an export takes a waiting worker (one
started ahead and rehearsed, or the one that worked last), which waits again unless its export
failed, it made its number of exports or it grew; one that died waiting is replaced unnoticed. A worker
forked by a command (os.fork and a pipe): its collections skip what it inherited, its death is
reported with the reason, a large answer arrives whole, and nothing of it is left behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
from conftest import SAMPLE

from pressroom.articles import read_article
from pressroom.exporters import ExportFailed
from pressroom.execution import ExportLimits, export_set
from pressroom.execution import child as isolation

SERVER_LIMITS = ExportLimits(seconds=120, start_method="forkserver")


@pytest.fixture(scope="module")
def sample():
    return read_article(SAMPLE)


@pytest.fixture
def no_worker_waiting():
    """Each test starts with no server worker waiting, and leaves none."""
    def stop_all():
        for workers in isolation._IDLE.values():
            while workers:
                workers.pop().stop()
    stop_all()
    yield
    stop_all()


def waiting_pids() -> list[int]:
    return [worker.process.pid for worker in isolation._IDLE.get("forkserver", []) if worker.process.is_alive()]


def worker_pid(article) -> int:
    return os.getpid()


HELD = []


def grow_by_64_mib(article) -> int:
    HELD.append(bytearray(64 * 1024 * 1024))  # kept: the worker is now larger than when it was ready
    return os.getpid()


def fail(article):
    raise RuntimeError(f"the engine fell over in {os.getpid()}")


def test_an_export_takes_a_waiting_worker_and_the_next_export_the_same_warm_one(sample, no_worker_waiting):
    first = isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", SERVER_LIMITS))
    ahead = [pid for pid in waiting_pids() if pid != first]
    assert first in waiting_pids() and ahead  # it waits again, beside the one started ahead
    assert isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", SERVER_LIMITS)) == first
    edition = export_set(sample, ["pdf"], {"page_size": "a5"}, SERVER_LIMITS)["pdf"]
    assert edition.main.data.startswith(b"%PDF-")
    # No worker was started for these; the PDF's worker may retire after it (grown past its limit).
    assert waiting_pids() and set(waiting_pids()) <= {first, *ahead}


def test_a_waiting_worker_that_died_is_replaced_without_a_failed_export(sample, no_worker_waiting):
    export_set(sample, ["html"], {}, SERVER_LIMITS)
    for pid in waiting_pids():
        os.kill(pid, signal.SIGKILL)
    for worker in isolation._IDLE["forkserver"]:
        worker.process.join(10)
    edition = export_set(sample, ["epub"], {}, SERVER_LIMITS)["epub"]
    assert edition.main.data.startswith(b"PK")
    assert waiting_pids()


def test_a_worker_whose_export_failed_makes_no_other(sample, no_worker_waiting):
    with pytest.raises(ExportFailed) as error:
        isolation.run_isolated(isolation.ExportJob(fail, sample, "PDF", SERVER_LIMITS))
    failed = int(re.search(r"RuntimeError: the engine fell over in (\d+)", str(error.value)).group(1))
    assert failed not in waiting_pids()
    assert isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", SERVER_LIMITS)) != failed


def test_a_worker_stops_after_its_number_of_exports(sample, no_worker_waiting):
    limits = ExportLimits(seconds=120, start_method="forkserver", exports_per_worker=2)
    first = isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", limits))
    assert isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", limits)) == first
    assert first not in waiting_pids()  # its second export was its last
    assert isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", limits)) != first


def test_a_worker_that_grew_makes_no_other_export(sample, no_worker_waiting):
    limits = ExportLimits(seconds=120, start_method="forkserver", worker_growth_bytes=32 * 1024 * 1024)
    grown = isolation.run_isolated(isolation.ExportJob(grow_by_64_mib, sample, "PDF", limits))
    assert grown not in waiting_pids()
    assert isolation.run_isolated(isolation.ExportJob(worker_pid, sample, "PDF", limits)) != grown


def test_a_command_line_export_leaves_no_worker_behind(sample, no_worker_waiting):
    export_set(sample, ["html"], {}, ExportLimits(start_method="fork"))
    assert not isolation._IDLE.get("fork")


def frozen_objects(article) -> int:
    import gc

    return gc.get_freeze_count()


def test_a_forked_worker_leaves_what_it_inherits_to_the_permanent_generation_and_the_parent_keeps_its_own(sample):
    import gc

    inherited = isolation.run_isolated(isolation.ExportJob(frozen_objects, sample, "count", ExportLimits(start_method="fork")))
    assert inherited > 10_000  # its collections skip these (every module the parent loaded)
    assert gc.get_freeze_count() == 0  # the parent still collects its own


COMMAND_LIMITS = ExportLimits(seconds=60, start_method="fork")


def killed_by_a_signal(article):
    os.kill(os.getpid(), signal.SIGKILL)


def gone_without_an_answer(article):
    os._exit(3)


def a_large_answer(article, size):
    return os.getpid(), os.urandom(size)


def test_a_forked_worker_killed_by_a_signal_is_reported_with_it(sample):
    with pytest.raises(ExportFailed, match="cannot be exported as PDF: the worker was stopped by signal 9"):
        isolation.run_isolated(isolation.ExportJob(killed_by_a_signal, sample, "PDF", COMMAND_LIMITS))


def test_a_forked_worker_that_ends_without_an_answer_is_reported(sample):
    with pytest.raises(ExportFailed, match="cannot be exported as EPUB: the worker stopped without an answer"):
        isolation.run_isolated(isolation.ExportJob(gone_without_an_answer, sample, "EPUB", COMMAND_LIMITS))


def test_a_forked_worker_s_large_answer_arrives_whole_and_the_worker_is_gone(sample):
    size = 20 * 1024 * 1024  # far beyond a pipe's buffer: the parent reads while the worker writes
    pid, data = isolation.run_isolated(isolation.ExportJob(a_large_answer, sample, "PDF", COMMAND_LIMITS, (size,)))
    assert len(data) == size and pid != os.getpid()
    with pytest.raises(ProcessLookupError):  # exited and collected: no zombie left
        os.kill(pid, 0)


def test_what_the_parent_had_buffered_is_written_once(tmp_path):
    script = (
        "import sys\n"
        "from pressroom.articles import read_article\n"
        "from pressroom.execution import ExportLimits, export_set\n"
        "sys.stdout.write('before the export\\n')\n"
        f"export_set(read_article({str(SAMPLE)!r}), ['html'], {{}}, ExportLimits(start_method='fork'))\n"
        "sys.stdout.write('after\\n')\n"
    )
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**environment, "PRESSROOM_CACHE_DIR": str(tmp_path)})
    assert result.stdout == "before the export\nafter\n"  # a pipe: block-buffered, yet not doubled

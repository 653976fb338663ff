"""Export workers of a long-running process (the web server): one is started ahead and rehearsed,
the next export uses it, and a standby that died is replaced without the export noticing. A worker
forked by a command (os.fork and a pipe): its collections skip what it inherited, its death is
reported with the reason, a large answer arrives whole, and nothing of it is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from conftest import SAMPLE

from pressroom.articles import read_article
from pressroom.exporters import ExportFailed, ExportLimits, export_set
from pressroom.exporters import isolation

SERVER_LIMITS = ExportLimits(seconds=120, start_method="forkserver")


@pytest.fixture(scope="module")
def sample():
    return read_article(SAMPLE)


def standby_pid() -> int:
    worker = isolation._STANDBY["forkserver"]
    assert worker.process.is_alive()
    return worker.process.pid


def test_the_next_export_takes_the_worker_started_ahead(sample):
    export_set(sample, ["html"], {}, SERVER_LIMITS)
    ahead = standby_pid()
    edition = export_set(sample, ["pdf"], {"page_size": "a5"}, SERVER_LIMITS)["pdf"]
    assert edition.main.data.startswith(b"%PDF-")
    assert standby_pid() != ahead  # it was used up, and another one waits


def test_a_standby_that_died_is_replaced_without_a_failed_export(sample):
    export_set(sample, ["html"], {}, SERVER_LIMITS)
    os.kill(standby_pid(), signal.SIGKILL)
    isolation._STANDBY["forkserver"].process.join(10)
    edition = export_set(sample, ["epub"], {}, SERVER_LIMITS)["epub"]
    assert edition.main.data.startswith(b"PK")
    assert standby_pid()


def test_a_command_line_export_leaves_no_worker_behind(sample):
    export_set(sample, ["html"], {}, ExportLimits(start_method="fork"))
    assert "fork" not in isolation._STANDBY


def frozen_objects(article) -> int:
    import gc

    return gc.get_freeze_count()


def test_a_forked_worker_leaves_what_it_inherits_to_the_permanent_generation_and_the_parent_keeps_its_own(sample):
    import gc

    inherited = isolation.run_isolated(frozen_objects, sample, "count", ExportLimits(start_method="fork"))
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
        isolation.run_isolated(killed_by_a_signal, sample, "PDF", COMMAND_LIMITS)


def test_a_forked_worker_that_ends_without_an_answer_is_reported(sample):
    with pytest.raises(ExportFailed, match="cannot be exported as EPUB: the worker stopped without an answer"):
        isolation.run_isolated(gone_without_an_answer, sample, "EPUB", COMMAND_LIMITS)


def test_a_forked_worker_s_large_answer_arrives_whole_and_the_worker_is_gone(sample):
    size = 20 * 1024 * 1024  # far beyond a pipe's buffer: the parent reads while the worker writes
    pid, data = isolation.run_isolated(a_large_answer, sample, "PDF", COMMAND_LIMITS, size)
    assert len(data) == size and pid != os.getpid()
    with pytest.raises(ProcessLookupError):  # exited and collected: no zombie left
        os.kill(pid, 0)


def test_what_the_parent_had_buffered_is_written_once(tmp_path):
    script = (
        "import sys\n"
        "from pressroom.articles import read_article\n"
        "from pressroom.exporters import ExportLimits, export_set\n"
        "sys.stdout.write('before the export\\n')\n"
        f"export_set(read_article({str(SAMPLE)!r}), ['html'], {{}}, ExportLimits(start_method='fork'))\n"
        "sys.stdout.write('after\\n')\n"
    )
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**environment, "PRESSROOM_CACHE_DIR": str(tmp_path)})
    assert result.stdout == "before the export\nafter\n"  # a pipe: block-buffered, yet not doubled

"""Export workers of a long-running process (the web server): one is started ahead and rehearsed,
the next export uses it, and a standby that died is replaced without the export noticing; a forked
worker's collections skip what it inherited."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import SAMPLE

from pressroom.articles import read_article
from pressroom.exporters import ExportLimits, export_set
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

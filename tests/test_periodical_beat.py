"""The periodicals' schedule with a real redis-server: one tick of the beat's scheduler for a periodical
that is due puts its job on the queue, and a `pressroom worker` makes the issue."""

from __future__ import annotations

import datetime
import os
import subprocess
import time

from conftest import PRESSROOM
from feed_site import NewsSite, news_routes, news_site
from pressroom.jobs.periodicals import PeriodicalScheduler
from pressroom.jobs.queue import queue_app
from queue_services import kill_group, running_redis


def test_one_tick_of_a_due_periodical_queues_its_job_and_a_worker_makes_the_issue(tmp_path):
    content, periodicals = tmp_path / "content", tmp_path / "periodicals"
    content.mkdir()
    periodicals.mkdir()
    env = {**os.environ, "PRESSROOM_CATALOGUE_DIR": str(tmp_path / "catalogues"),
           "PRESSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1"}
    with running_redis(tmp_path) as redis, news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2], [11])
        app = queue_app(redis.url, content)
        scheduler = PeriodicalScheduler(app=app)
        assert scheduler.schedule == {}
        (periodicals / "morning.yaml").write_text(
            f"title: The Morning Paper\nschedule: '*/5 * * * *'\nfeeds:\n  - url: {base}/rss.xml\n"
            f"  - url: {base}/atom.xml\n", encoding="utf-8")
        entry = scheduler.schedule["morning"]  # read again: no restart for a new periodical
        entry.last_run_at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
        try:
            scheduler.tick()
            assert scheduler.schedule["morning"].total_run_count == 1
        finally:
            scheduler.close()
            scheduler.producer.connection.release()
            app.close()
        with (tmp_path / "worker.log").open("w") as log:
            worker = subprocess.Popen([PRESSROOM, "worker", "--processes", "1", "--content", str(content),
                                       "--queue", redis.url], stdout=log, stderr=subprocess.STDOUT, env=env,
                                      start_new_session=True)
            try:
                deadline = time.monotonic() + 120
                while not (content / "morning-issue-1.yaml").exists() and time.monotonic() < deadline:
                    time.sleep(0.2)
            finally:
                kill_group(worker)
    assert (content / "morning-issue-1.yaml").exists(), (tmp_path / "worker.log").read_text()
    assert "parts:" in (content / "morning-issue-1.yaml").read_text()

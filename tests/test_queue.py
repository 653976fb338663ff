"""Exports on a real queue: redis-server on loopback and two `pressroom worker` processes; a worker
killed mid-batch, a poisoned article, Redis down at the start and lost in the middle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

from conftest import PRESSROOM, SAMPLE
from pressroom.exporters import ExportOptions
from queue_services import kill_group, running_redis, running_workers
from server import free_port, running_server

PASSWORD = "s3cret-queue-password"
PARAGRAPH = "A sentence that goes on and on, to make a very long book indeed. " * 40


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"note-{number:03d}.txt"
        path.write_text(f"Note {number}\n\nThe text of note {number}, which is short.\n\n1. An item. With words.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def submit(sources, output: Path, url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([PRESSROOM, "export", *map(str, sources), "-f", "pdf", "-f", "epub", "-o", str(output),
                             "--queue", url, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """200 articles and their PDF and EPUB made without a queue (the embedded default)."""
    folder = tmp_path_factory.mktemp("queue")
    sources = write_articles(folder / "articles", 200)
    result = subprocess.run([PRESSROOM, "export", *map(str, sources), "-f", "pdf", "-f", "epub", "-o",
                             str(folder / "embedded")], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return sources, folder / "embedded"


def test_a_batch_on_two_workers_survives_a_killed_worker(reference, tmp_path):
    sources, embedded = reference
    with running_redis(tmp_path) as server, running_workers(server.url, 2, tmp_path,
                                                            PRESSROOM_QUEUE_VISIBILITY_SECONDS="6") as workers:
        with submit(sources, tmp_path / "out", server.url) as batch:
            printed = []
            for line in batch.stdout:
                printed.append(line.strip())
                if len(printed) == 60:
                    kill_group(workers[0])  # SIGKILL, mid-batch, with the job it holds
            batch.wait(600)
            stderr = batch.stderr.read()
    assert batch.returncode == 0, stderr
    assert stderr.count("Exporting 200 articles on the queue") >= 1 and "Traceback" not in stderr
    assert len(printed) == 400 and len(set(printed)) == 400  # every file written once
    written = sorted((tmp_path / "out").iterdir())
    assert [path.name for path in written] == sorted(path.name for path in embedded.iterdir())
    for path in written:
        assert path.read_bytes() == (embedded / path.name).read_bytes(), path.name


def test_a_job_the_queue_lost_is_sent_again(tmp_path):
    """kombu's Redis transport pops a message before it records that a worker holds it, so a worker killed
    in between loses the job; the batch finds it nowhere, twice, and sends it again."""
    sources = write_articles(tmp_path / "articles", 3)
    with running_redis(tmp_path) as server:
        with submit(sources, tmp_path / "out", server.url) as batch, redis.Redis.from_url(server.url) as client:
            try:
                assert wait_until(lambda: client.llen("celery") == 3, 60)
                lost = client.rpop("celery")  # what the BRPOP of a worker killed at once does to the queue
                assert wait_until(lambda: client.llen("celery") == 3, 30)  # sent again, with no worker yet
                assert json.loads(client.lindex("celery", 0))["headers"]["id"] == json.loads(lost)["headers"]["id"]
                with running_workers(server.url, 1, tmp_path):
                    stdout, stderr = batch.communicate(timeout=120)
            finally:
                batch.kill()
    assert batch.returncode == 0, stderr
    lines = [line for line in stderr.splitlines() if "the queue lost its job" in line]
    assert len(lines) == 1 and any(str(source) in lines[0] for source in sources), stderr
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(
        f"note-{n:03d}.{ext}" for n in range(3) for ext in ("pdf", "epub"))
    assert len(stdout.split()) == 6


def test_a_poisoned_article_fails_after_its_retries_and_the_rest_complete(tmp_path):
    sources = write_articles(tmp_path / "articles", 3)
    endless = tmp_path / "articles" / "endless.txt"
    endless.write_text("An endless article\n\n" + "\n\n".join(f"{n}. Item {n}. {PARAGRAPH}" for n in range(1, 600)),
                       encoding="utf-8")
    with running_redis(tmp_path, password=PASSWORD) as server, \
            running_workers(server.url, 2, tmp_path, PRESSROOM_EXPORT_SECONDS="1.5"):
        with submit([*sources, endless], tmp_path / "out", server.url) as batch:
            stdout, stderr = batch.communicate(timeout=300)
        with redis.Redis.from_url(server.url) as client:
            attempts = [int(value) for value in client.mget(client.keys("pressroom:attempts:*"))]
    assert batch.returncode == 1
    assert "endless.txt" in stderr and "took longer than 1.5 seconds" in stderr and "Traceback" not in stderr
    assert "1 of 4 articles not exported" in stderr
    assert sorted(attempts) == [1, 1, 1, 3]  # the poisoned job was tried three times, the others once
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(
        f"note-{n:03d}.{ext}" for n in range(3) for ext in ("pdf", "epub"))
    logs = stdout + stderr + "".join(path.read_text() for path in tmp_path.glob("worker-*.log"))
    assert PASSWORD not in logs


@pytest.mark.parametrize("command", [["export", "{source}", "--queue", "{url}"], ["worker", "--queue", "{url}"]])
def test_redis_down_at_the_start_is_one_line_without_the_password(command, tmp_path):
    source = write_articles(tmp_path, 1)[0]
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    result = subprocess.run([PRESSROOM, *[part.format(source=source, url=url) for part in command]],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "cannot be reached" in lines[0] and "redis://:***@127.0.0.1" in lines[0]
    assert PASSWORD not in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_redis_lost_mid_batch_says_what_is_done_and_what_is_not(tmp_path):
    sources = write_articles(tmp_path / "articles", 40)
    with running_redis(tmp_path) as server, running_workers(server.url, 1, tmp_path):
        with submit(sources, tmp_path / "out", server.url) as batch:
            printed = []
            for line in batch.stdout:
                printed.append(line.strip())
                if len(printed) == 4:
                    server.stop()
            batch.wait(120)
            stderr = batch.stderr.read()
    assert batch.returncode == 1 and "Traceback" not in stderr
    assert "was lost" in stderr and "not exported:" in stderr
    not_exported = stderr.split("not exported:")[1]
    assert str(sources[-1]) in not_exported and str(sources[0]) not in not_exported
    for path in (tmp_path / "out").iterdir():  # what was written is whole
        assert not path.name.endswith(".part")
        data = path.read_bytes()
        assert data.rstrip().endswith(b"%%EOF") if path.suffix == ".pdf" else data.startswith(b"PK")


def test_the_server_hands_downloads_to_the_queue_and_a_restart_loses_nothing(tmp_path, sample):
    from pressroom.execution import export

    content = tmp_path / "content"
    content.mkdir()
    shutil.copy2(SAMPLE, content / SAMPLE.name)  # the same modification time dates the same edition
    path = f"/articles/{sample.slug}/download/pdf?page_size=a5"
    with running_redis(tmp_path) as server:
        with running_server(content, PRESSROOM_QUEUE=server.url) as base:
            status, page = get(base + path)
            assert status == 202 and 'data-state="queued"' in page and "next in line" in page
        with running_server(content, PRESSROOM_QUEUE=server.url) as base:  # the server restarted
            status, page = get(base + path)
            assert status == 202 and 'data-state="queued"' in page
            with redis.Redis.from_url(server.url) as client:
                assert client.llen("celery") == 1  # found again, not sent twice
            with running_workers(server.url, 1, tmp_path):
                deadline = time.monotonic() + 120
                while status == 202 and time.monotonic() < deadline:
                    time.sleep(0.5)
                    status, body = get(base + path, binary=True)
    assert status == 200
    assert body == export(sample, "pdf", ExportOptions(page_size="a5"))


def get(url: str, binary: bool = False):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
            return response.status, data if binary else data.decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_job_carries_the_date_resolved_where_it_was_read(tmp_path, monkeypatch):
    from pressroom.articles import read_article
    from pressroom.jobs.payload import job_payload, read_payload_article

    source = write_articles(tmp_path / "articles", 1)[0]
    os.utime(source, (1_600_000_000, 1_600_000_000))
    article = read_article(source)
    payload = json.loads(json.dumps(job_payload(article, ["pdf"], {})))  # as the queue carries it
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the worker's own environment differs
    (tmp_path / "worker").mkdir()
    again = read_payload_article(payload, tmp_path / "worker")
    assert again.edition_date == article.edition_date and again.digest == article.digest

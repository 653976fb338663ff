"""The queue attacked from Redis: forged results (to the CLI batch and to `serve --queue`), crafted
payloads (to a worker), Redis down under the web UI, a queue no worker serves, and output through the
queue byte for byte the local one, images included. A real redis-server on loopback throughout."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import redis

from conftest import FIXTURES, PRESSROOM, RICH
from pressroom.app import create_app
from pressroom.articles import read_article
from pressroom.exporters import load_exporters, plan_editions
from pressroom.execution import export_set
from pressroom.jobs.payload import PayloadRefused, read_job
from pressroom.jobs.queue import TASK_NAME, queue_app
from pressroom.jobs.results import MAX_RECORD_BYTES, planned_files, read_records
from queue_services import running_redis, running_workers
from server import free_port
from test_fetch_guard import Site, site
from test_queue import wait_until, write_articles

SAVED_PAGE = FIXTURES / "web_pages" / "saved_page_with_two_images_in_its_folder.html"


def record(result=None, status: str = "SUCCESS", **extra) -> bytes:
    """A result record as Celery's Redis backend writes it."""
    return json.dumps({"status": status, "result": result, "traceback": None, "children": [],
                       "date_done": "2024-01-01T00:00:00", **extra}).encode()


def edition(*files: tuple[object, object], media_type: str = "text/plain") -> dict:
    return {"files": [{"name": name, "media_type": media_type, "data": data} for name, data in files],
            "views": [], "resources": {}}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def queued_jobs(client: redis.Redis) -> dict[str, str]:
    """The jobs waiting in the broker's list: the file name of each one's article, by job id."""
    jobs = {}
    for message in client.lrange("celery", 0, -1):
        message = json.loads(message)
        (payload,), _, _ = json.loads(base64.b64decode(message["body"]))
        jobs[message["headers"]["id"]] = payload["name"]
    return jobs


def forged_results(tmp_path: Path) -> dict[str, object]:
    """What a forger writes for each case, by the name of the case's article."""
    outside, absolute = "../outside.txt", str(tmp_path / "abs.txt")
    return {
        "dot-dot": {"editions": {"md": edition((outside, b64(b"owned"))), "epub": edition()}},
        "absolute": {"editions": {"md": edition((absolute, b64(b"owned"))), "epub": edition()}},
        "climbing": {"editions": {"md": edition(("sub/../../x", b64(b"owned"))), "epub": edition()}},
        "unplanned": {"editions": {"md": edition(("unplanned.md", b64(b"x")), ("other.txt", b64(b"x"))),
                                   "epub": edition(("unplanned.epub", b64(b"x")))}},
        "mixed": {"editions": {"md": edition(("mixed.md", b64(b"fine")), (outside, b64(b"owned"))),
                               "epub": edition(("mixed.epub", b64(b"fine")))}},
        "wrong-types": {"editions": {"md": edition((5, ["x"])), "epub": "no"}},
        "bad-base64": {"editions": {"md": edition(("bad-base64.md", "!!not base64!!")),
                                    "epub": edition(("bad-base64.epub", b64(b"x")))}},
        "missing-keys": {"editions": {"md": {"files": []}, "epub": {}}},
        "too-few-formats": {"editions": {"md": edition(("too-few-formats.md", b64(b"x")))}},
        "not-json": b"{this is not JSON",
        "not-a-record": b"[1, 2, 3]",
        "odd-failure": record({"exc_type": "X", "exc_message": {"nested": True}}, status="FAILURE"),
        "terminal-escapes": {"error": "\x1b[2J\x1b[31mevil\x07"},
        # Names and bytes of the plan: written (the forger cannot choose where, only what).
        "planned": {"editions": {"md": edition(("planned.md", b64(b"# Planned\n"))),
                                 "epub": edition(("planned.epub", b64(b"PK")))}},
    }


def test_forged_results_write_nothing_outside_and_fail_their_jobs_with_one_line(tmp_path):
    cases = forged_results(tmp_path)
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in cases:
        (folder / f"{name}.txt").write_text(f"Case {name}\n\nA short text.\n", encoding="utf-8")
    output = tmp_path / "work" / "out"
    with running_redis(tmp_path) as server, redis.Redis.from_url(server.url) as client:
        batch = subprocess.Popen([PRESSROOM, "export", *sorted(map(str, folder.iterdir())), "-f", "md", "-f", "epub",
                                  "-o", str(output), "--queue", server.url],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert wait_until(lambda: client.llen("celery") == len(cases), 60)
            for job_id, name in queued_jobs(client).items():
                forged = cases[Path(name).stem]
                client.set(f"celery-task-meta-{job_id}", forged if isinstance(forged, bytes) else record(forged))
            stdout, stderr = batch.communicate(timeout=120)
        finally:
            batch.kill()
    assert batch.returncode == 1 and "Traceback" not in stderr and "\x1b" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:") and "articles not exported" not in line]
    for name in set(cases) - {"planned"}:
        assert len([line for line in errors if f"{name}.txt" in line]) == 1, (name, stderr)
    assert "it names a file '../outside.txt' that the md edition does not have" in stderr
    assert "is not base64" in stderr and "its result record is not JSON" in stderr
    assert f"{len(cases) - 1} of {len(cases)} articles not exported" in stderr
    assert sorted(path.name for path in output.rglob("*")) == ["planned.epub", "planned.md"]
    assert stdout.split() == [str(output / "planned.md"), str(output / "planned.epub")]
    assert not (tmp_path / "work" / "outside.txt").exists() and not (tmp_path / "abs.txt").exists()
    assert not (tmp_path / "x").exists()


def test_a_record_larger_than_a_job_may_return_is_refused_unread(tmp_path):
    with running_redis(tmp_path) as server, redis.Redis.from_url(server.url) as client:
        client.set("oversized", b"{" + b" " * MAX_RECORD_BYTES + b"}")
        client.hset("not-a-string", "status", "SUCCESS")
        oversized, odd, missing = read_records(client, ["oversized", "not-a-string", "missing"])
    assert oversized[0] == "broken" and "more than a job may return" in oversized[1]
    assert odd == ("broken", "its result record is not a job's result; it is refused")
    assert missing is None


def test_every_exporter_makes_exactly_the_files_it_plans():
    article = read_article(RICH)
    formats = list(load_exporters())
    made = export_set(article, formats)
    planned = planned_files(article, plan_editions(formats))
    assert "article-images/boat.png" in planned["md"]
    for name in formats:
        assert {file.name: file.media_type for file in made[name].files} == planned[name], name


def payload(**changes) -> dict:
    base = {"name": "note.txt", "source": b64(b"A note\n\nSome words.\n"), "assets": {}, "url": None, "fetched": {},
            "dated": "2024-05-02T00:00:00+00:00", "formats": ["md"], "options": {}}
    return {**base, **changes}


CRAFTED = {
    "not-a-mapping": (["note.txt"], "its payload is not a set of named fields"),
    "empty-name": (payload(name=""), "is not a plain file name"),
    "climbing-name": (payload(name="../note.txt"), "is not a plain file name"),
    "unknown-key": (payload(extra=1), "has fields it should not have or lacks some (extra)"),
    "missing-key": ({key: value for key, value in payload().items() if key != "dated"}, "lacks some (dated)"),
    "source-a-number": (payload(source=42), "source and images are not text"),
    "bad-base64": (payload(source="***"), "holds data that is not base64"),
    "bad-date": (payload(dated="yesterday"), "'yesterday' is not a date and time with its offset"),
    "date-without-offset": (payload(dated="2024-05-02T00:00:00"), "is not a date and time with its offset"),
    "climbing-image": (payload(assets={"../../x.png": b64(b"x")}), "names a file outside the article's folder"),
    "too-many-images": (payload(assets={f"i/{n}.png": "" for n in range(300)}), "holds 300 images, more than"),
    "formats-not-a-list": (payload(formats="md"), "formats are not a list of names"),
    "options-odd": (payload(options={"page_size": ["a4"]}), "options are not names with"),
    "url-a-number": (payload(name="page.html", url=7), "'7' as a fetched page's or image's address"),
    "url-a-file": (payload(name="page.html", url="file:///etc/passwd"), "not an http(s) address"),
    "url-without-host": (payload(name="page.html", url="http:///a.html"), "not an http(s) address"),
    "url-with-a-line-break": (payload(name="page.html", url="http://a.example/\nb"), "not an http(s) address"),
    "url-too-long": (payload(name="page.html", url="http://a.example/" + "a" * 1000), "at most 1000 characters"),
    "url-with-files": (payload(name="page.html", url="http://a.example/p.html", assets={"a.png": b64(b"x")}),
                       "not a fetched page"),
    "url-of-a-text": (payload(url="http://a.example/p.html"), "not a fetched page"),
    "fetched-not-a-mapping": (payload(name="page.html", url="http://a.example/p.html", fetched=["x"]),
                              "fetched images are not text (base64) by address"),
    "fetched-a-file": (payload(name="page.html", url="http://a.example/p.html", fetched={"/etc/passwd": b64(b"x")}),
                       "'/etc/passwd' as a fetched page's or image's address"),
    "fetched-without-url": (payload(name="page.html", fetched={"http://a.example/a.png": b64(b"x")}),
                            "carries fetched images but no fetched page's address"),
    "fetched-bad-base64": (payload(name="page.html", url="http://a.example/p.html",
                                   fetched={"http://a.example/a.png": "***"}), "holds data that is not base64"),
    "too-many-fetched": (payload(name="page.html", url="http://a.example/p.html",
                                 fetched={f"http://a.example/{n}.png": "" for n in range(300)}),
                         "holds 300 images, more than"),
    "folder-clash": (payload(assets={"a": b64(b"x"), "a/b.png": b64(b"y")}), "cannot be laid out"),
}


def test_crafted_payloads_end_as_failed_jobs_with_their_reason_and_a_log_line(tmp_path):
    with running_redis(tmp_path) as server, running_workers(server.url, 1, tmp_path):
        app = queue_app(server.url)
        for case, (crafted, _) in CRAFTED.items():
            app.send_task(TASK_NAME, args=[crafted], task_id=case)
        client = app.backend.client
        keys = [app.backend.get_key_for_task(case) for case in CRAFTED]
        # A job's record exists from its start (its state "running"): wait for every job's outcome.
        assert wait_until(lambda: all(record is not None and record[0] != "running"
                                      for record in read_records(client, keys)), 120)
        outcomes = dict(zip(CRAFTED, read_records(client, keys), strict=True))
    for case, (_, reason) in CRAFTED.items():
        assert outcomes[case][0] == "failed" and reason in outcomes[case][1], (case, outcomes[case])
    log = (tmp_path / "worker-0.log").read_text()
    assert "Traceback" not in log
    job_lines = [line for line in log.splitlines() if ": failed: " in line]
    assert len(job_lines) == len(CRAFTED), log
    assert any("note.txt (md): failed: " in line and " in " in line for line in job_lines)


def test_a_payload_past_an_uploads_bytes_is_refused_before_it_is_decoded():
    from pressroom.articles.library.archives import MAX_UNPACKED_BYTES

    big = "A" * (MAX_UNPACKED_BYTES // 3 * 4 + 8)
    with pytest.raises(PayloadRefused, match="more than an upload may"):
        read_job(payload(assets={"big.png": big}))
    half = "A" * (MAX_UNPACKED_BYTES // 3 * 2 + 8)
    with pytest.raises(PayloadRefused, match="more than an upload may"):
        read_job(payload(name="page.html", url="http://a.example/p.html",
                         fetched={"http://a.example/a.png": half, "http://a.example/b.png": half}))


def test_output_through_the_queue_is_the_local_output_byte_for_byte_images_included(tmp_path):
    folder = tmp_path / "rich"
    shutil.copytree(RICH.parent, folder)  # elsewhere than the worker's folder, as a user's files are
    local = subprocess.run([PRESSROOM, "export", str(folder / "article.md"), "-f", "pdf", "-f", "epub", "-o",
                            str(tmp_path / "local")], capture_output=True, text=True, timeout=300)
    assert local.returncode == 0, local.stderr
    with running_redis(tmp_path) as server, running_workers(server.url, 1, tmp_path):
        queued = subprocess.run([PRESSROOM, "export", str(folder / "article.md"), "-f", "pdf", "-f", "epub", "-o",
                                 str(tmp_path / "queued"), "--queue", server.url],
                                capture_output=True, text=True, timeout=300)
    assert queued.returncode == 0, queued.stderr
    for name in ("article.pdf", "article.epub"):
        assert (tmp_path / "queued" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def local_and_queued_exports(tmp_path: Path, source: str, *arguments: str) -> tuple[Path, Path]:
    """The folders a local `pressroom export` of `source` (PDF and EPUB) and the same through a queue wrote."""
    command = [PRESSROOM, "export", source, "-f", "pdf", "-f", "epub", *arguments]
    local = subprocess.run([*command, "-o", str(tmp_path / "local")], capture_output=True, text=True, timeout=300)
    assert local.returncode == 0, local.stderr
    with running_redis(tmp_path) as server, running_workers(server.url, 1, tmp_path):
        queued = subprocess.run([*command, "-o", str(tmp_path / "queued"), "--queue", server.url],
                                capture_output=True, text=True, timeout=300)
    assert queued.returncode == 0, queued.stderr
    return tmp_path / "local", tmp_path / "queued"


def test_a_saved_page_through_the_queue_is_its_local_export_byte_for_byte(tmp_path):
    folder = tmp_path / "saved"
    shutil.copytree(SAVED_PAGE.parent, folder)  # elsewhere than the worker's folder, as a user's files are
    local, queued = local_and_queued_exports(tmp_path, str(folder / SAVED_PAGE.name))
    slug = SAVED_PAGE.stem.replace("_", "-")
    for name in (f"{slug}.pdf", f"{slug}.epub"):
        assert (queued / name).read_bytes() == (local / name).read_bytes(), name
    with zipfile.ZipFile(local / f"{slug}.epub") as epub:
        images = sorted(name.rpartition("/")[2] for name in epub.namelist() if "/images/" in name)
    assert images == ["02-lamp.png", "03-breakwater.png"]  # the spacer before them counted, as locally


def test_a_fetched_page_through_the_queue_is_its_local_export_byte_for_byte(tmp_path):
    images = SAVED_PAGE.with_name(f"{SAVED_PAGE.stem}_files")
    html = SAVED_PAGE.read_bytes().replace(f"{images.name}/".encode(), b"pictures/")
    routes = {"/news/lights.html": (200, {"Content-Type": "text/html; charset=utf-8"}, html),
              **{f"/news/pictures/{image.name}": (200, {"Content-Type": "image/png"}, image.read_bytes())
                 for image in images.iterdir()}}
    with site(routes) as base:
        local, queued = local_and_queued_exports(tmp_path, f"{base}/news/lights.html", "--allow-host", "127.0.0.1")
        requested = sorted(path for path, _, _ in Site.seen)
    # Fetched once for each export on this machine; the worker fetched nothing.
    assert requested == sorted(2 * ["/news/lights.html", "/news/pictures/spacer.png", "/news/pictures/lamp.png",
                                    "/news/pictures/breakwater.png"])
    for name in ("lights.pdf", "lights.epub"):
        assert (queued / name).read_bytes() == (local / name).read_bytes(), name


def test_a_batch_no_worker_takes_says_so(tmp_path):
    sources = write_articles(tmp_path / "articles", 2)
    notice = "warning: no worker has taken a job for 1 s; is `pressroom worker` running?"
    with running_redis(tmp_path) as server, (tmp_path / "stderr").open("w") as stderr:
        batch = subprocess.Popen([PRESSROOM, "export", *map(str, sources), "-f", "md", "-o", str(tmp_path / "out")],
                                 stdout=subprocess.DEVNULL, stderr=stderr,
                                 env={**os.environ, "PRESSROOM_QUEUE": server.url, "PRESSROOM_QUEUE_STALL_SECONDS": "1"})
        try:
            assert wait_until(lambda: notice in (tmp_path / "stderr").read_text(), 60)
        finally:
            batch.kill()
            batch.wait()
    assert "the --queue address holds a password" not in (tmp_path / "stderr").read_text()


def test_a_password_in_queue_on_the_command_line_is_warned_of(tmp_path):
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    shown = subprocess.run([PRESSROOM, "worker", "--queue", url], capture_output=True, text=True, timeout=60)
    hidden = subprocess.run([PRESSROOM, "worker"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PRESSROOM_QUEUE": url})
    warning = "warning: the --queue address holds a password, which other users of this machine can see"
    assert shown.returncode == hidden.returncode == 1
    assert warning in shown.stderr and "PRESSROOM_QUEUE" in shown.stderr and "hunter2" not in shown.stderr
    assert warning not in hidden.stderr


@pytest.fixture
def queued_site(tmp_path):
    """A web UI on a real queue without workers: its app, its Redis client, and the key of the sample's PDF."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy2(RICH, content / "article.md")
    shutil.copytree(RICH.parent / "images", content / "images")
    with running_redis(tmp_path) as server, redis.Redis.from_url(server.url) as client:
        app = create_app({"CONTENT_DIR": str(content), "TESTING": True, "SECRET_KEY": "test-secret",
                          "QUEUE_URL": server.url, "WORK_PATIENCE_SECONDS": None})
        (plan,) = plan_editions(["pdf"])
        yield app, client, plan.key(read_article(content / "article.md")), server


def test_the_web_ui_serves_a_forged_result_only_under_the_plans_name_and_media_type(queued_site):
    app, client, key, _ = queued_site
    web = app.test_client()
    client.set(f"celery-task-meta-{key}", record({"editions": {"pdf": edition(("../../evil.html", b64(b"<script>")))}}))
    refused = web.get("/articles/article/download/pdf")
    assert refused.status_code == 422 and "refused" in refused.text and "evil.html" in refused.text
    client.set(f"celery-task-meta-{key}", record({"editions": {"pdf": edition(("article.pdf", b64(b"<script>x")),
                                                                           media_type="text/html")}}))
    served = web.get("/articles/article/download/pdf")  # the refused one was not cached
    assert served.status_code == 200 and served.mimetype == "application/pdf"


def test_the_web_ui_with_redis_down_says_the_queue_is_unreachable(queued_site):
    app, _, _, server = queued_site
    server.stop()
    response = app.test_client().get("/articles/article/download/pdf")
    assert response.status_code == 503 and "queue cannot be reached" in response.text


def test_the_web_ui_says_when_no_worker_takes_its_job(queued_site, monkeypatch):
    app, _, _, _ = queued_site
    monkeypatch.setenv("PRESSROOM_QUEUE_STALL_SECONDS", "0")
    web = app.test_client()
    first = web.get("/articles/article/download/pdf")
    again = web.get("/articles/article/download/pdf")
    assert first.status_code == again.status_code == 202
    assert "No worker has taken a job for 0 s; is `pressroom worker` running?" in again.text

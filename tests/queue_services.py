"""A real `redis-server` on a free loopback port and `pressroom worker` processes, started and stopped
by the tests that need them (nothing persists; nothing listens beyond 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from conftest import PRESSROOM
from server import free_port
from validators import require


@contextmanager
def running_redis(folder: Path, password: str | None = None):
    """Yield the URL of a fresh redis-server on 127.0.0.1; stop it afterwards."""
    port = free_port()
    command = [require("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(folder)]
    if password:
        command += ["--requirepass", password]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://:{password}@127.0.0.1:{port}/0" if password else f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_port(port, process)
        yield RedisServer(url, process)
    finally:
        process.kill()
        process.wait()


class RedisServer:
    def __init__(self, url: str, process: subprocess.Popen) -> None:
        self.url, self.process = url, process

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@contextmanager
def running_workers(url: str, count: int, log_dir: Path, **environment: str):
    """Start `count` `pressroom worker --processes 1` processes (each in a session of its own, so that
    a test can kill one with everything it started); stop them all afterwards."""
    env = {**os.environ, "PRESSROOM_QUEUE": url, **environment}
    workers, logs = [], []
    try:
        for number in range(count):
            logs.append((log_dir / f"worker-{number}.log").open("w"))
            workers.append(subprocess.Popen([PRESSROOM, "worker", "--processes", "1"], stdout=logs[-1],
                                            stderr=subprocess.STDOUT, env=env, start_new_session=True))
        time.sleep(1.5)  # let them connect; jobs sent earlier simply wait in the queue
        yield workers
    finally:
        for worker in workers:
            kill_group(worker)
        for log in logs:
            log.close()


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait()


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("redis-server did not start")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("redis-server did not open its port")

"""`pressroom serve` started as a user starts it, on a free port of 127.0.0.1, for tests that need
a real server (concurrency, the browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from conftest import PRESSROOM



def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerURL(str):
    """The base URL of a running server, which also knows the server's process id."""

    pid: int


@contextmanager
def running_server(content_dir: Path, arguments: tuple[str, ...] = (), **environment: str):
    """Yield the base URL of a `pressroom serve` process (a ServerURL), started with `arguments` and
    `environment` besides; stop it afterwards."""
    port = free_port()
    env = {**os.environ, **environment}
    process = subprocess.Popen([PRESSROOM, "serve", "--host", "127.0.0.1",
                                "--port", str(port), "--content", str(content_dir), *arguments],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    base = ServerURL(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pressroom serve did not start: {process.stdout.read()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

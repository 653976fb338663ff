"""A real PostgreSQL server on a free loopback port, started by the tests that need one and stopped after
(initdb in a temporary folder; run as an unprivileged user, since PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from server import free_port

POSTGRES_USER = "postgres"  # made by Debian's postgresql package


def postgresql_bin() -> Path:
    """The folder of Debian's PostgreSQL programs (the newest installed); a missing one fails the run."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4]))
    assert found, "PostgreSQL is not installed: run scripts/setup.sh (it installs Debian's postgresql)"
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    """`command` run as the unprivileged `postgres` user when the tests run as root."""
    if os.geteuid() != 0:
        return command
    pwd.getpwnam(POSTGRES_USER)  # KeyError names the missing user
    return [shutil.which("runuser") or "/usr/sbin/runuser", "-u", POSTGRES_USER, "--", *command]


@contextmanager
def running_postgresql():
    """Yield the URL of a database on a fresh PostgreSQL server on 127.0.0.1; stop the server afterwards."""
    programs = postgresql_bin()
    folder = Path(tempfile.mkdtemp(prefix="pressroom-postgresql-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(POSTGRES_USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, port = folder / "data", free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True, "cwd": folder}
    try:
        subprocess.run(_as_server_user([str(programs / "initdb"), "-D", str(data), "-U", "pressroom", "-A", "trust",
                                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]), **quiet)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -F -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                        str(folder / "server.log"), "-w", "-t", "30", "start"]), **quiet)
        subprocess.run(_as_server_user([str(programs / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                                        "pressroom", "pressroom"]), **quiet)
        yield PostgreSQL(f"postgresql://pressroom@127.0.0.1:{port}/pressroom", programs, port)
    finally:
        subprocess.run(_as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)


class PostgreSQL(str):
    """The URL of the test server's database, which can also make more databases on that server."""

    def __new__(cls, url: str, programs: Path, port: int):
        made = super().__new__(cls, url)
        made.programs, made.port = programs, port
        return made

    def new_database(self, name: str) -> str:
        """The URL of a new, empty database `name` on the same server."""
        subprocess.run(_as_server_user([str(self.programs / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                                        "-U", "pressroom", name]), check=True, stdout=subprocess.DEVNULL,
                       cwd=tempfile.gettempdir())
        return self.rsplit("/", 1)[0] + "/" + name

"""A real PostgreSQL server for the tests, from Debian's `postgresql` package (.ci/run installs
it): initdb into a temporary folder, password authentication (scram-sha-256) on a free
loopback port, stopped at the end. PostgreSQL refuses to run as root, so under root the server
runs as Debian's `postgres` user."""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import typing as t
import uuid
from pathlib import Path

import psycopg

PASSWORD = "brandkit-test-password"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: apt-get install postgresql")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclasses.dataclass(frozen=True)
class Server:
    port: int
    folder: Path

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://brandkit:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self, mode: str = "fast") -> None:
        _as_owner([_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w", "stop"])

    def start(self) -> None:
        _as_owner(
            [
                _bin("pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-l",
                str(self.folder / "log"),
                "-w",
                "-o",
                f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        )


def _as_owner(command: list[str]) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def running() -> t.Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="brandkit-pg-"))
    try:
        password = folder / "password"
        password.write_text(PASSWORD)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            shutil.chown(password, "postgres", "postgres")
        _as_owner(
            [
                _bin("initdb"),
                "-D",
                str(folder / "data"),
                "-U",
                "brandkit",
                "--auth=scram-sha-256",
                f"--pwfile={password}",
                "--encoding=UTF8",
                "--locale=C",
            ]
        )
        server = Server(_free_port(), folder)
        server.start()
        try:
            yield server
        finally:
            with contextlib.suppress(subprocess.SubprocessError):
                server.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

from __future__ import annotations

import http.server
import json
import threading
import typing as t
from pathlib import Path

import pytest

from tests.sync.conftest import World, make_world

ALL = {"northwind-x", "northwind-fb", "northwind-news"}


@pytest.fixture
def everything(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, ALL)


class Receiver:
    """A local JSON webhook (what apprise's json:// posts to). ``fail`` answers 500 that many
    times first."""

    def __init__(self) -> None:
        self.received: list[dict[str, t.Any]] = []
        self.fail = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if outer.fail > 0:
                    outer.fail -= 1
                    self.send_response(500)
                else:
                    outer.received.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: t.Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/hooks/s3cr3t-hook-token"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> t.Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()

"""The HTTPS server: routes each request to its platform, applies faults, logs every request."""

from __future__ import annotations

import dataclasses
import hmac
import http.server
import json
import secrets
import socket
import ssl
import threading
import time
import typing as t

from brandkit.platforms.registry import emulators
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault, FaultPlan
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.state import SandboxState

__all__ = ["LoggedRequest", "SandboxServer"]


@dataclasses.dataclass(frozen=True)
class LoggedRequest:
    platform: str
    method: str
    path: str
    status: int
    at: float

    @property
    def is_write(self) -> bool:
        signing_in = self.path.endswith(("createSession", "refreshSession"))  # no profile change
        return self.method in ("POST", "PUT", "PATCH", "DELETE") and not signing_in


class SandboxServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], context: ssl.SSLContext, state: SandboxState
    ) -> None:
        super().__init__(address, _Handler)
        # handshake in the handler thread, not in the accept loop: one slow client cannot stall
        # the others
        self.socket = context.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )
        self.state = state
        try:
            self.apis: dict[str, PlatformAPI] = {
                cls.platform: cls(state) for cls in emulators()
            }  # the registered emulators
        except BaseException:  # a damaged state: the listening socket is not left open
            self.server_close()
            raise
        self.faults = FaultPlan()
        self.log: list[LoggedRequest] = []
        self.log_lock = threading.Lock()
        # the control endpoints hand out every account's tokens: only for who has this
        self.control_secret = secrets.token_urlsafe(24)
        self.in_flight = 0
        self.max_in_flight = 0  # the most platform requests served at the same time, for tests

    def __getattr__(self, name: str) -> t.Any:
        # ``server.twitter``, ``server.facebook``...: each platform's emulator, by name
        apis = self.__dict__.get("apis") or {}
        if name in apis:
            return apis[name]
        raise AttributeError(name)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return (
            f"https://{host!s}:{port}"
            if isinstance(host, str)
            else f"https://{host.decode()}:{port}"
        )

    def platform_of(self, path: str) -> str | None:
        if path.startswith("/_sandbox/"):
            return "control"
        return next((name for name, api in self.apis.items() if api.owns(path)), None)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxServer
    timeout = 30

    def log_message(self, format: str, *args: t.Any) -> None:  # quiet: the log is kept as data
        pass

    def _dispatch(self) -> None:
        srv = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        req = Request(
            self.command,
            path,
            query,
            {k.lower(): v for k, v in self.headers.items()},
            body,
            srv.base_url,
        )
        srv.state.refresh()  # another process sharing the state folder may have written
        platform = srv.platform_of(path)
        if platform == "control":
            self._send(self._control(req))
            return
        if platform is None:
            self._send(json_response(404, {"error": f"no emulated platform serves {path}"}))
            return
        entered = srv.apis[platform].enter(req)
        if isinstance(entered, Response):
            self._record(platform, req, entered.status)
            self._send(entered)
            return
        try:
            self._serve(srv, platform, req, path)
        finally:
            if entered is not None:
                entered()

    def _serve(self, srv: SandboxServer, platform: str, req: Request, path: str) -> None:
        with srv.log_lock:
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        try:
            self._respond(srv, platform, req, path)
        finally:
            with srv.log_lock:
                srv.in_flight -= 1

    def _respond(self, srv: SandboxServer, platform: str, req: Request, path: str) -> None:
        if srv.faults.latency:
            time.sleep(srv.faults.latency)
        fault = srv.faults.take(platform, req.method, path)
        if fault is not None and fault.latency:
            time.sleep(fault.latency)
        if fault is not None and fault.drop:
            self._record(platform, req, 0)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and fault.body is not None:
            content = {"Content-Type": "application/json; charset=utf-8"}
            if fault.location:
                content["Location"] = fault.location
            response = Response(fault.status or 200, fault.body.encode(), content)
        elif fault is not None and fault.status:
            response = srv.apis[platform].fault_response(fault, path)
        else:
            try:
                response = srv.apis[platform].handle(req)
            except Exception as exc:  # the emulator must never hang a client on its own bug
                response = json_response(
                    500, {"error": f"sandbox bug: {type(exc).__name__}: {exc}"}
                )
        self._record(platform, req, response.status)
        if fault is not None and fault.truncate:
            self._send(response, truncate=True)
            return
        self._send(response)

    def _record(self, platform: str, req: Request, status: int) -> None:
        with self.server.log_lock:
            self.server.log.append(
                LoggedRequest(platform, req.method, req.path, status, time.time())
            )

    def _send(self, response: Response, truncate: bool = False) -> None:
        self.send_response(response.status)
        body = response.body
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if truncate:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.command != "HEAD":
            self.wfile.write(body)

    def _control(self, req: Request) -> Response:
        srv = self.server
        action = req.path[len("/_sandbox/") :]
        if action == "health":
            return json_response(200, {"ok": True})
        given = req.headers.get("x-sandbox-secret", "")
        if not hmac.compare_digest(given.encode(), srv.control_secret.encode()):
            return json_response(
                401,
                {
                    "error": "the control endpoints need the X-Sandbox-Secret header "
                    "(BRANDKIT_SANDBOX_SECRET, printed by `brandkit sandbox`)"
                },
            )
        if action == "requests":
            if req.method == "DELETE":
                with srv.log_lock:
                    srv.log.clear()
                return json_response(200, {"cleared": True})
            with srv.log_lock:
                return json_response(200, [dataclasses.asdict(r) for r in srv.log])
        if action == "faults":
            if req.method == "POST":
                fields = req.json() or {}
                allowed = {f.name for f in dataclasses.fields(Fault)} - {"hits"}
                unknown = set(fields) - allowed
                if unknown:
                    return json_response(400, {"error": f"unknown fault fields: {sorted(unknown)}"})
                return json_response(200, srv.faults.add(Fault(**fields)).to_dict())
            if req.method == "DELETE":
                srv.faults.clear()
                return json_response(200, {"cleared": True})
            return json_response(200, [f.to_dict() for f in srv.faults.faults])
        if action == "clock" and req.method == "POST":  # {"advance_days": n}
            days = float((req.json() or {}).get("advance_days", 0))
            with srv.state.edit() as data:
                data["clock_offset"] = float(data.get("clock_offset", 0)) + days * 86_400
            return json_response(200, {"clock_offset": srv.state.data["clock_offset"]})
        if action == "latency" and req.method == "POST":
            srv.faults.latency = float((req.json() or {}).get("seconds", 0))
            return json_response(200, {"latency": srv.faults.latency})
        if action.startswith("accounts/") and req.method == "POST":
            kind = action.split("/", 1)[1]
            fields = req.json() or {}
            try:
                if kind in srv.apis:
                    return json_response(200, srv.apis[kind].add_from_control(fields))
            except TypeError as exc:
                return json_response(400, {"error": str(exc)})
        if action == "state":
            return Response(
                200,
                json.dumps(srv.state.read(), indent=1).encode(),
                {"Content-Type": "application/json"},
            )
        return json_response(404, {"error": f"unknown control endpoint {req.path}"})

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _dispatch

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ssl.SSLError, ConnectionError, TimeoutError, OSError):
            self.close_connection = True

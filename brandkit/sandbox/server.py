"""The HTTPS server: routes each request to its platform, applies faults, logs every request."""

from __future__ import annotations

import dataclasses
import http.server
import json
import socket
import ssl
import threading
import time
import typing as t

from brandkit.sandbox.facebook import FacebookAPI, graph_error
from brandkit.sandbox.faults import Fault, FaultPlan
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.mailchimp import MailchimpAPI, problem
from brandkit.sandbox.state import SandboxState
from brandkit.sandbox.twitter import TwitterAPI
from brandkit.sandbox.twitter import _error as twitter_error

__all__ = ["LoggedRequest", "SandboxServer"]

_TWITTER_CODES = {429: (88, "Rate limit exceeded"), 500: (131, "Internal error"), 502: (130, "Over capacity"),
                  503: (130, "Over capacity"), 401: (32, "Could not authenticate you."),
                  403: (453, "You currently have access to a subset of X API V2 endpoints and limited v1.1 "
                             "endpoints only. If you need access to this endpoint, you may need a different "
                             "access level.")}
_FACEBOOK_THROTTLE = {4, 17, 32, 613, 80001}
_TITLES = {400: "Bad Request", 401: "API Key Invalid", 403: "Forbidden", 404: "Resource Not Found",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclasses.dataclass(frozen=True)
class LoggedRequest:
    platform: str
    method: str
    path: str
    status: int
    at: float

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")


class SandboxServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext, state: SandboxState) -> None:
        super().__init__(address, _Handler)
        # handshake in the handler thread, not in the accept loop: one slow client cannot stall others
        self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self.state = state
        self.twitter = TwitterAPI(state)
        self.facebook = FacebookAPI(state)
        self.mailchimp = MailchimpAPI(state)
        self.faults = FaultPlan()
        self.log: list[LoggedRequest] = []
        self.log_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"https://{host!s}:{port}" if isinstance(host, str) else f"https://{host.decode()}:{port}"

    def platform_of(self, path: str) -> str:
        if path.startswith(("/1.1/", "/tw/")):
            return "twitter"
        if path.startswith("/3.0/") or path.startswith("/mc/"):
            return "mailchimp"
        if path.startswith("/_sandbox/"):
            return "control"
        return "facebook"

    def fault_response(self, platform: str, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        if platform == "twitter":
            code, message = _TWITTER_CODES.get(status, (fault.code or 0, "Fault injected by the sandbox"))
            if fault.code is not None:
                code = fault.code
            if status == 429:
                headers.update(self.twitter.rate_limit_headers_for_fault(fault.retry_after))
            return twitter_error(status, code, message, headers)
        if platform == "facebook":
            code = fault.code if fault.code is not None else (4 if status == 429 else 1 if status >= 500 else 100)
            if code in _FACEBOOK_THROTTLE:
                page_id = path.strip("/").split("/")[1] if path.count("/") >= 2 else "0"
                headers.update(self.facebook.throttle_headers(page_id))
            return graph_error(status if fault.status else (400 if code in _FACEBOOK_THROTTLE else 500), code,
                               headers=headers)
        response = problem(status, _TITLES.get(status, "Error"), "Fault injected by the sandbox.")
        response.headers.update(headers)
        return response


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
        req = Request(self.command, path, query, {k.lower(): v for k, v in self.headers.items()}, body, srv.base_url)
        platform = srv.platform_of(path)
        if platform == "control":
            self._send(self._control(req))
            return
        slot: str | None = None
        if platform == "mailchimp" and not path.startswith("/mc/files/"):
            taken = srv.mailchimp.acquire(req)
            if isinstance(taken, Response):
                self._record(platform, req, taken.status)
                self._send(taken)
                return
            slot = taken
        try:
            self._serve(srv, platform, req, path)
        finally:
            if slot is not None:
                srv.mailchimp.release(slot)

    def _serve(self, srv: SandboxServer, platform: str, req: Request, path: str) -> None:
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
        if fault is not None and fault.status:
            response = srv.fault_response(platform, fault, path)
        else:
            handler: t.Any = {"twitter": srv.twitter, "facebook": srv.facebook, "mailchimp": srv.mailchimp}[platform]
            try:
                response = handler.handle(req)
            except Exception as exc:  # the emulator must never hang a client on its own bug
                response = json_response(500, {"error": f"sandbox bug: {type(exc).__name__}: {exc}"})
        self._record(platform, req, response.status)
        if fault is not None and fault.truncate:
            self._send(response, truncate=True)
            return
        self._send(response)

    def _record(self, platform: str, req: Request, status: int) -> None:
        with self.server.log_lock:
            self.server.log.append(LoggedRequest(platform, req.method, req.path, status, time.time()))

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
        action = req.path[len("/_sandbox/"):]
        if action == "health":
            return json_response(200, {"ok": True})
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
        if action == "latency" and req.method == "POST":
            srv.faults.latency = float((req.json() or {}).get("seconds", 0))
            return json_response(200, {"latency": srv.faults.latency})
        if action.startswith("accounts/") and req.method == "POST":
            kind = action.split("/", 1)[1]
            fields = req.json() or {}
            try:
                if kind == "twitter":
                    return json_response(200, srv.twitter.add_account(**fields))
                if kind == "facebook":
                    return json_response(200, srv.facebook.add_page(**fields))
                if kind == "mailchimp":
                    return json_response(200, srv.mailchimp.add_account(**fields))
            except TypeError as exc:
                return json_response(400, {"error": str(exc)})
        if action == "state":
            return Response(200, json.dumps(srv.state.read(), indent=1).encode(), {"Content-Type": "application/json"})
        return json_response(404, {"error": f"unknown control endpoint {req.path}"})

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _dispatch

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ssl.SSLError, ConnectionError, TimeoutError, OSError):
            self.close_connection = True

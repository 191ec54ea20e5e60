"""A local HTTPS emulator of the platforms brandkit writes to: X (v1.1 and v2), Facebook Graph,
Mailchimp Marketing, Mastodon and Bluesky (several PDS hosts, a PLC directory).

Usage::

    from brandkit.sandbox import Sandbox

    with Sandbox() as sandbox:
        creds = sandbox.add_twitter_account("acme")
        api = tweepy.API(tweepy.OAuth1UserHandler(*creds.values()), host=sandbox.host)
        api.session.verify = str(sandbox.ca_path)
        api.session.trust_env = False
        api.verify_credentials()

State lives in memory, or in ``state_dir`` so that separate processes see the same accounts.
"""

from __future__ import annotations

import secrets
import socket
import tempfile
import threading
import typing as t
from pathlib import Path

from brandkit._files import atomic_write
from brandkit.errors import SandboxError
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.server import LoggedRequest, SandboxServer
from brandkit.sandbox.state import SandboxState
from brandkit.sandbox.tls import server_context

__all__ = ["Fault", "LoggedRequest", "Sandbox"]


class Sandbox:
    """The emulator, started on loopback. A context manager; ``start()``/``stop()`` also work."""

    def __init__(
        self, *, port: int = 0, state_dir: str | Path | None = None, host: str = "127.0.0.1"
    ) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if state_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="brandkit-sandbox-")
            self.tls_dir = Path(self._tmp.name)
            self.state = SandboxState(None)
        else:
            self.tls_dir = Path(state_dir)
            self.state = SandboxState(Path(state_dir))
        self._requested = (host, port)
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self.ca_path = Path()

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> Sandbox:
        context, self.ca_path = server_context(self.tls_dir)
        host, port = self._requested
        if port == 0 and self.state.data.get("port"):
            port = self.state.data["port"]  # keep image URLs stable between runs when we can
            try:
                self._server = SandboxServer((host, port), context, self.state)
            except OSError:
                self._server = None
            port = 0 if self._server is None else port
        if self._server is None:
            try:
                self._server = SandboxServer((host, port), context, self.state)
            except OSError as exc:
                raise SandboxError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        if self.state.folder is not None:
            with self.state.edit() as data:  # the folder's lock: one secret for all processes
                # the port is remembered (image URLs, a template's header URL carry it) only if
                # no other process is serving the remembered one: a second sandbox on the same
                # folder (an apply refused because another runs) changes nothing
                if not data.get("port") or data["port"] == self._server.server_address[1]:
                    data["port"] = self._server.server_address[1]
                elif not _serving(host, int(data["port"])):
                    data["port"] = self._server.server_address[1]
                self._server.control_secret = _control_secret(self.state.folder)
        server = self._server
        # a short poll interval makes stop() take milliseconds instead of half a second
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.02),
            name="brandkit-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def server(self) -> SandboxServer:
        if self._server is None:
            raise SandboxError(
                "the sandbox is not running; call start() or use it as a context manager"
            )
        return self._server

    # -- where it is -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``: what tweepy.API(host=...) takes (tweepy always uses https)."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.server.base_url

    def env(self) -> dict[str, str]:
        """The environment that points brandkit (and requests-based scripts) at the sandbox."""
        env = {
            "BRANDKIT_CA_BUNDLE": str(self.ca_path),
            "REQUESTS_CA_BUNDLE": str(self.ca_path),
            "BRANDKIT_SANDBOX_SECRET": self.server.control_secret,
        }
        for api in self.server.apis.values():
            env.update(api.env(self.url))
        return env

    # -- accounts ----------------------------------------------------------------------------------
    def add_twitter_account(
        self, handle: str, *, name: str | None = None, **profile: str
    ) -> dict[str, str]:
        """Create (or reuse) an account; returns fresh OAuth 1.0a credentials for it."""
        creds = {
            "consumer_key": profile.pop("consumer_key", None) or "ck_" + secrets.token_hex(8),
            "consumer_secret": profile.pop("consumer_secret", None)
            or "cs_" + secrets.token_hex(16),
            "access_token": profile.pop("access_token", None)
            or f"{secrets.randbelow(10**9)}-" + secrets.token_hex(12),
            "access_token_secret": profile.pop("access_token_secret", None)
            or "ats_" + secrets.token_hex(16),
        }
        self.server.twitter.add_account(handle, name=name, **creds, **profile)
        return creds

    def add_facebook_page(
        self,
        page_id: str,
        *,
        name: str,
        page_token: str | None = None,
        app_secret: str | None = None,
        **fields: t.Any,
    ) -> dict[str, str]:
        token = page_token or "EAAB" + secrets.token_hex(20)
        self.server.facebook.add_page(
            page_id, name=name, page_token=token, app_secret=app_secret, **fields
        )
        out = {"page_token": token}
        if app_secret:
            out["app_secret"] = app_secret
        return out

    def add_mailchimp_account(
        self, audience_id: str, *, api_key: str | None = None, **list_fields: t.Any
    ) -> dict[str, str]:
        key = api_key or secrets.token_hex(16) + "-us1"
        self.server.mailchimp.add_account(key, audience_id=audience_id, **list_fields)
        return {"api_key": key}

    # -- faults and observation --------------------------------------------------------------------
    def advance(self, days: float) -> None:
        """Move the sandbox's clock forward: audiences grow as if ``days`` had passed."""
        with self.server.state.edit() as data:
            data["clock_offset"] = float(data.get("clock_offset", 0)) + days * 86_400

    def reset_rate_limits(self) -> None:
        """Start every platform's rate-limit windows afresh (a long test run, a fuzz pass)."""
        for api in self.server.apis.values():
            api.reset_rate_limits()

    def add_fault(self, **fields: t.Any) -> Fault:
        """Schedule a fault, e.g.
        ``add_fault(platform="twitter", path="update_profile", status=429)``."""
        return self.server.faults.add(Fault(**fields))

    def clear_faults(self) -> None:
        self.server.faults.clear()

    def set_latency(self, seconds: float) -> None:
        self.server.faults.latency = seconds

    @property
    def requests(self) -> list[LoggedRequest]:
        with self.server.log_lock:
            return list(self.server.log)

    def clear_requests(self) -> None:
        with self.server.log_lock:
            self.server.log.clear()

    def count(self, *, platform: str | None = None, writes: bool = False) -> int:
        return sum(
            1
            for r in self.requests
            if (platform is None or r.platform == platform) and (not writes or r.is_write)
        )

    def __getattr__(self, name: str) -> t.Any:
        # ``sandbox.twitter``, ``sandbox.telegram``...: each registered platform's emulator
        if name.startswith("_") or self.__dict__.get("_server") is None:
            raise AttributeError(name)
        return getattr(self.server, name)


def _serving(host: str, port: int) -> bool:
    """Whether something answers on ``host:port`` (another process's sandbox)."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _control_secret(folder: Path) -> str:
    """The control endpoints' secret, kept (0600) with a persisted sandbox so every process
    sharing the folder answers to the same one."""
    path = folder / "control.secret"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        secret = secrets.token_urlsafe(24)
        atomic_write(path, secret.encode(), private=True)
        return secret

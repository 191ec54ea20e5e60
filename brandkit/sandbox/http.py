"""Small request/response types shared by the emulated platforms."""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import json
import typing as t
import urllib.parse

__all__ = ["Request", "Response", "json_response"]


@dataclasses.dataclass
class Request:
    method: str
    path: str
    query_string: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    base_url: str  # https://127.0.0.1:PORT

    @property
    def query(self) -> dict[str, str]:
        return {
            k: v[-1]
            for k, v in urllib.parse.parse_qs(self.query_string, keep_blank_values=True).items()
        }

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def form(self) -> dict[str, str]:
        if self.content_type.startswith("application/x-www-form-urlencoded"):
            pairs = urllib.parse.parse_qs(
                self.body.decode("utf-8", "replace"), keep_blank_values=True
            )
            return {k: v[-1] for k, v in pairs.items()}
        if self.content_type.startswith("multipart/form-data"):
            return {
                k: v.decode("utf-8", "replace")
                for k, (v, fn) in self.multipart().items()
                if fn is None
            }
        return {}

    def multipart(self) -> dict[str, tuple[bytes, str | None]]:
        """field name -> (bytes, filename or None)."""
        if not self.content_type.startswith("multipart/form-data"):
            return {}
        raw = f"Content-Type: {self.content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode() + self.body
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        parts: dict[str, tuple[bytes, str | None]] = {}
        if not message.is_multipart():
            return parts
        for part in t.cast(t.Any, message).iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            payload = part.get_payload(decode=True) or b""
            parts[str(name)] = (bytes(payload), part.get_filename())
        return parts

    def json(self) -> t.Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclasses.dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def json_response(
    status: int,
    data: t.Any,
    content_type: str = "application/json; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        status, json.dumps(data).encode(), {"Content-Type": content_type, **(headers or {})}
    )

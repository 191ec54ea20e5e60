"""One problem found in a spec, with where it is: file, line, column and JSON path."""

from __future__ import annotations

import dataclasses
import typing as t

from brandkit.i18n import _, localize, msg

__all__ = ["Issue", "JsonPath", "Severity", "did_you_mean", "dotted", "pointer"]

Severity = t.Literal["error", "warning"]
JsonPath = tuple[str | int, ...]


def dotted(path: JsonPath) -> str:
    """``("accounts", 0, "id")`` -> ``accounts[0].id``; the root is ``(root)``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(root)"


def pointer(path: JsonPath) -> str:
    """RFC 6901 JSON pointer of a path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


@dataclasses.dataclass(frozen=True, slots=True)
class Issue:
    file: str
    line: int
    column: int
    path: JsonPath
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        """``file:line:column: path: message``, the message in the current language."""
        prefix = "" if self.severity == "error" else _("warning: ")
        said = localize(self.message)
        return f"{self.file}:{self.line}:{self.column}: {prefix}{dotted(self.path)}: {said}"

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": dotted(self.path),
            "pointer": pointer(self.path),
            "message": str(self.message),  # English: machine formats stay stable
            "severity": self.severity,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, dotted(self.path), self.message)


def did_you_mean(close: t.Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest match, or nothing."""
    return msg(" (did you mean '{name}'?)", name=close[0]) if close else ""

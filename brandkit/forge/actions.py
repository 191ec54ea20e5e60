"""What a GitHub Actions job knows from its environment: the repository, the API, the token, the
event that started it (``GITHUB_EVENT_PATH``'s payload), and where a step writes its outputs
and the job summary (docs.github.com, "Variables" and "Workflow commands")."""

from __future__ import annotations

import dataclasses
import json
import os
import typing as t
from pathlib import Path

from brandkit.errors import ConfigError

__all__ = ["ActionsJob"]


def _needed(env: t.Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    if not value:
        raise ConfigError(
            f"{name} is not set: `brandkit review` runs in a GitHub Actions job (the action's "
            "`command: plan` or `apply`), which sets it"
        )
    return value


@dataclasses.dataclass(frozen=True)
class ActionsJob:
    repository: str
    api_url: str
    server_url: str
    token: str
    token_name: str
    run_id: int
    sha: str
    event_name: str
    event: t.Mapping[str, t.Any]
    output: Path | None
    summary: Path | None

    @classmethod
    def from_env(
        cls, env: t.Mapping[str, str] | None = None, token_name: str = "GITHUB_TOKEN"
    ) -> ActionsJob:
        env = os.environ if env is None else env
        payload_path = Path(_needed(env, "GITHUB_EVENT_PATH"))
        try:
            payload = json.loads(payload_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{payload_path}: the event payload cannot be read ({type(exc).__name__})"
            ) from None
        run_id = _needed(env, "GITHUB_RUN_ID")
        if not run_id.isdigit():
            raise ConfigError(f"GITHUB_RUN_ID is {run_id!r}, not a run number")
        return cls(
            repository=_needed(env, "GITHUB_REPOSITORY"),
            api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
            server_url=env.get("GITHUB_SERVER_URL") or "https://github.com",
            token=_needed(env, token_name),
            token_name=token_name,
            run_id=int(run_id),
            sha=_needed(env, "GITHUB_SHA"),
            event_name=_needed(env, "GITHUB_EVENT_NAME"),
            event=payload if isinstance(payload, dict) else {},
            output=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
            summary=Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None,
        )

    def pull_request(self) -> tuple[int, str]:
        """The pull request this job runs for: (number, head commit)."""
        pull = self.event.get("pull_request")
        if not isinstance(pull, dict) or not isinstance(pull.get("number"), int):
            raise ConfigError(
                f"this job runs on {self.event_name!r}, not on a pull request: `plan` comments "
                "on `pull_request` events"
            )
        head = pull.get("head")
        sha = head.get("sha") if isinstance(head, dict) else None
        return int(pull["number"]), str(sha or self.sha)

    def set_output(self, name: str, value: str) -> None:
        if self.output is not None and "\n" not in value:
            with self.output.open("a", encoding="utf-8") as out:
                out.write(f"{name}={value}\n")

    def add_summary(self, markdown: str) -> None:
        if self.summary is not None:
            with self.summary.open("a", encoding="utf-8") as out:
                out.write(markdown.rstrip("\n") + "\n")

    @property
    def run_url(self) -> str:
        return f"{self.server_url.rstrip('/')}/{self.repository}/actions/runs/{self.run_id}"

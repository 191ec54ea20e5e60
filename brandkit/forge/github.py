"""GitHub's REST API for a pull request's review: its comments, the pull request a merge commit
came from, and a workflow run's artifacts (API version 2022-11-28; docs/platforms.md has the
sources). Errors go through the adapters' one table (:mod:`brandkit.adapters.jsonapi`)."""

from __future__ import annotations

import dataclasses
import io
import typing as t
import urllib.parse
import zipfile

import requests

from brandkit.adapters.jsonapi import Answer, Hints, JsonApi
from brandkit.errors import PlanError, RemoteError
from brandkit.i18n import N_, msg

__all__ = ["BOT", "GitHubRepo", "PullRequest", "Reviewed", "run_line"]

VERSION = "2022-11-28"
BOT = "github-actions[bot]"  # who writes with a workflow's GITHUB_TOKEN
PAGES = 50  # at most 5,000 comments read on one pull request


def _said(answer: Answer) -> str:
    words = str(answer.document.get("message") or "")
    errors = answer.document.get("errors")
    if isinstance(errors, list):
        words += "".join(f"; {e.get('message')}" for e in errors if isinstance(e, dict))
    return words


HINTS = Hints(
    name="GitHub",
    refused=N_("GitHub refused the token ({said}): check {env_name}"),
    forbidden=N_(
        "GitHub refused ({said}): give the job `permissions: pull-requests: write` (and "
        "`actions: read` for apply); a pull request from a fork gets a read-only token"
    ),
    said=_said,
)


@dataclasses.dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str
    merged: bool


@dataclasses.dataclass(frozen=True)
class Reviewed:
    """Where a reviewed plan was found: the pull request, its comment, the run that made it."""

    pull: PullRequest
    comment_id: int
    run_id: int


def run_line(run_id: int, head_sha: str) -> str:
    """The hidden line a plan comment carries: which run made it, for which head commit."""
    return f"<!-- brandkit-run: {run_id} {head_sha} -->"


def _run_of(body: str) -> tuple[int, str] | None:
    for line in body.splitlines():
        parts = line.removeprefix("<!-- brandkit-run: ").removesuffix(" -->").split()
        if line.startswith("<!-- brandkit-run: ") and len(parts) == 2 and parts[0].isdigit():
            return int(parts[0]), parts[1]
    return None


class GitHubRepo:
    """One repository through GitHub's REST API (``api_url``: GITHUB_API_URL)."""

    def __init__(
        self,
        api_url: str,
        repository: str,
        token: str,
        *,
        env_name: str = "GITHUB_TOKEN",
        http: requests.Session | None = None,
    ) -> None:
        self.http = http or requests.Session()
        self.http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": VERSION,
                "User-Agent": "brandkit",
            }
        )
        owner, _, name = repository.partition("/")
        base = f"{api_url.rstrip('/')}/repos/{urllib.parse.quote(owner)}/{urllib.parse.quote(name)}"
        self.api = JsonApi(
            self.http, base, HINTS, {"platform": "github", "account": repository}, env_name=env_name
        )

    # -- comments ---------------------------------------------------------------------------------
    def comments(self, number: int) -> list[dict[str, t.Any]]:
        """Every comment on the pull request, following the ``Link: rel="next"`` pages."""
        found: list[dict[str, t.Any]] = []
        url: str | None = f"{self.api.base}/issues/{number}/comments?per_page=100"
        for _ in range(PAGES):
            if url is None:
                break
            answer = self.api.answer("GET", "", base=url)
            if answer.status != 200 or not isinstance(answer.body, list):
                raise self.api.fail(answer, "comments")
            found += [c for c in answer.body if isinstance(c, dict)]
            url = _next_page(answer.headers.get("Link", ""), self.api.base)
        return found

    def own_comment(self, number: int, marker: str, author: str = BOT) -> dict[str, t.Any] | None:
        """The comment ``author`` wrote that starts with ``marker`` (the newest, if several):
        a comment anybody else wrote with the same marker is never taken for ours."""
        mine = [
            c
            for c in self.comments(number)
            if str(c.get("body") or "").startswith(marker)
            and (c.get("user") or {}).get("login") == author
        ]
        return mine[-1] if mine else None

    def put_comment(
        self, number: int, body: str, marker: str, author: str = BOT
    ) -> tuple[str, bool]:
        """Update our comment carrying ``marker``, or create it: (its address, created?)."""
        kept = self.own_comment(number, marker, author)
        if kept is None:
            made = self.api.call(
                "POST", f"/issues/{number}/comments", field="comment", json={"body": body}
            )
            return str(made.get("html_url") or ""), True
        made = self.api.call(
            "PATCH", f"/issues/comments/{int(kept['id'])}", field="comment", json={"body": body}
        )
        return str(made.get("html_url") or ""), False

    # -- after the merge --------------------------------------------------------------------------
    def merged_pull(self, sha: str) -> PullRequest | None:
        """The merged pull request whose merge commit is ``sha``, if any."""
        answer = self.api.answer("GET", f"/commits/{urllib.parse.quote(sha)}/pulls")
        if answer.status != 200 or not isinstance(answer.body, list):
            raise self.api.fail(answer, "pull request")
        for pull in answer.body:
            if (
                isinstance(pull, dict)
                and pull.get("merge_commit_sha") == sha
                and pull.get("merged_at")
            ):
                head = pull.get("head")
                head_sha = head.get("sha") if isinstance(head, dict) else None
                return PullRequest(int(pull["number"]), str(head_sha or ""), True)
        return None

    def reviewed(self, pull: PullRequest, marker: str, author: str = BOT) -> Reviewed:
        """The plan comment on ``pull`` and the run that made it, for the pull request's last
        head commit; else a :class:`PlanError` saying what was not reviewed."""
        comment = self.own_comment(pull.number, marker, author)
        if comment is None:
            raise PlanError(
                msg(
                    "pull request #{number} has no brandkit plan comment: nothing was reviewed, "
                    "nothing is applied",
                    number=pull.number,
                )
            )
        run = _run_of(str(comment.get("body") or ""))
        if run is None or run[1] != pull.head_sha:
            raise PlanError(
                msg(
                    "the plan on pull request #{number} was made for {planned}, but the pull "
                    "request was merged at {head}: what was merged was not reviewed; push a "
                    "commit (its plan is reviewed) or apply by hand",
                    number=pull.number,
                    planned=(run[1][:12] if run else "?"),
                    head=pull.head_sha[:12],
                )
            )
        return Reviewed(pull, int(comment["id"]), run[0])

    def artifact_file(self, run_id: int, name: str, head_sha: str, member: str) -> bytes:
        """One file of the artifact ``name`` of run ``run_id``, which GitHub says was made from
        ``head_sha`` (GitHub's word, not the comment's, decides)."""
        listing = self.api.call(
            "GET", f"/actions/runs/{run_id}/artifacts", field="artifact", params={"name": name}
        )
        artifacts = [
            a
            for a in listing.get("artifacts") or []
            if isinstance(a, dict) and a.get("name") == name and not a.get("expired")
        ]
        if not artifacts:
            raise PlanError(
                msg(
                    "run {run} kept no artifact named {name} (expired, or the plan step "
                    "failed): make a new plan",
                    run=run_id,
                    name=name,
                )
            )
        artifact = artifacts[-1]
        made_from = str((artifact.get("workflow_run") or {}).get("head_sha") or "")
        if made_from != head_sha:
            raise PlanError(
                msg(
                    "the artifact of run {run} was made from {made}, not from the reviewed "
                    "{head}: nothing is applied",
                    run=run_id,
                    made=made_from[:12] or "?",
                    head=head_sha[:12],
                )
            )
        zipped = self._download(int(artifact["id"]))
        try:
            with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
                return archive.read(member)
        except (zipfile.BadZipFile, KeyError):
            raise PlanError(
                msg("the artifact of run {run} holds no {member}", run=run_id, member=member)
            ) from None

    def _download(self, artifact_id: int) -> bytes:
        """GitHub answers with a 302 to a short-lived address that takes no token: follow it
        without the Authorization header."""
        url = f"{self.api.base}/actions/artifacts/{artifact_id}/zip"
        try:
            first = self.http.get(url, allow_redirects=False, timeout=60)
            if first.status_code != 302 or not first.headers.get("Location", "").startswith(
                "https://"
            ):
                raise self.api.fail(
                    Answer(first.status_code, _json(first), first.headers), "artifact"
                )
            blob = requests.get(first.headers["Location"], timeout=120)
        except requests.RequestException as exc:
            raise RemoteError(
                msg("could not download the plan artifact ({error})", error=type(exc).__name__),
                retryable=True,
                **self.api.where,
            ) from None
        if blob.status_code != 200:
            raise RemoteError(
                msg("the artifact's download answered {status}", status=blob.status_code),
                status=blob.status_code,
                **self.api.where,
            )
        return blob.content


def _json(response: requests.Response) -> t.Any:
    try:
        return response.json()
    except ValueError:
        return None


def _next_page(link: str, base: str) -> str | None:
    """The ``rel="next"`` address of a Link header, only on the same API (never elsewhere)."""
    for part in link.split(","):
        target, _, params = part.partition(";")
        if 'rel="next"' in params:
            url = target.strip().strip("<>")
            host = urllib.parse.urlsplit(base).netloc
            return url if urllib.parse.urlsplit(url).netloc == host else None
    return None

"""The part of GitHub's REST API a pull request's review takes (API version 2022-11-28), as
docs.github.com describes it, for the GitHub Action's scripts (``brandkit review``):

- issue comments (every pull request is an issue): ``GET /repos/{owner}/{repo}/issues/{number}/
  comments`` (ascending id, ``per_page`` 30 by default and at most 100, the next page in a
  ``Link: <…>; rel="next"`` header), ``POST`` the same path (201), and ``PATCH /repos/{owner}/
  {repo}/issues/comments/{id}`` (200); a body over 65,536 characters is 422 "Validation Failed";
- ``GET /repos/{owner}/{repo}/commits/{sha}/pulls``: the pull requests a commit belongs to (the
  merge commit of a merged one included);
- ``GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts`` (``{total_count, artifacts}``,
  each with ``workflow_run.head_sha``) and ``GET …/actions/artifacts/{id}/zip``: a 302 to a
  short-lived address that needs no token;
- a token the workflow's ``permissions`` do not allow: 403 "Resource not accessible by
  integration".

What GitHub itself does around them (a pull request opened, pushed, merged; an artifact
uploaded by ``actions/upload-artifact``) is done here by methods the tests call.
"""

from __future__ import annotations

import re
import secrets
import typing as t
import urllib.parse

from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.state import SandboxState

__all__ = ["BOT", "MAX_BODY", "Repositories"]

DOCS = "https://docs.github.com/rest"
MAX_BODY = 65536
# who writes a comment made with a workflow's GITHUB_TOKEN
BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
WHEN = "2026-12-05T09:00:00Z"


def _error(status: int, message: str, **extra: t.Any) -> Response:
    body = {"message": message, "documentation_url": DOCS, "status": str(status), **extra}
    return json_response(status, body)


class Repositories:
    """Repositories in the sandbox's GitHub: pull requests, their comments, workflow runs'
    artifacts. ``tokens`` maps a token to the repositories it may write to."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def _repos(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        return t.cast(dict[str, t.Any], data["github"].setdefault("repos", {}))

    # -- what GitHub does around the API (called by tests) ---------------------------------------
    def add_repo(self, full_name: str, *, token: str, read_only: bool = False) -> None:
        """A repository, and a workflow token for it (``read_only``: a pull request from a
        fork, whose token may not comment)."""
        with self.state.edit() as data:
            repo = self._repos(data).setdefault(
                full_name.lower(),
                {"full_name": full_name, "pulls": {}, "comments": [], "artifacts": [], "next": 1},
            )
            data["github"]["tokens"].setdefault(token, [])
            repo.setdefault("tokens", {})[token] = "read" if read_only else "write"

    def open_pull(self, full_name: str, number: int, *, head_sha: str, head_ref: str) -> None:
        """A pull request opened, or pushed to (its head moves)."""
        with self.state.edit() as data:
            pulls = self._repos(data)[full_name.lower()]["pulls"]
            pull = pulls.setdefault(
                str(number), {"number": number, "state": "open", "merge_commit_sha": None}
            )
            pull.update(head_sha=head_sha, head_ref=head_ref)

    def merge_pull(self, full_name: str, number: int, *, merge_commit_sha: str) -> None:
        with self.state.edit() as data:
            pull = self._repos(data)[full_name.lower()]["pulls"][str(number)]
            pull.update(state="closed", merged=True, merge_commit_sha=merge_commit_sha)

    def upload_artifact(
        self, full_name: str, *, run_id: int, head_sha: str, name: str, zipped: bytes
    ) -> int:
        """What ``actions/upload-artifact`` leaves: a zip, listed under its workflow run."""
        with self.state.edit() as data:
            repo = self._repos(data)[full_name.lower()]
            artifact_id = 7_000_000 + len(repo["artifacts"])
            key = f"github-artifact-{artifact_id}"
            repo["artifacts"].append(
                {
                    "id": artifact_id,
                    "name": name,
                    "run_id": run_id,
                    "head_sha": head_sha,
                    "size": len(zipped),
                    "key": key,
                }
            )
        self.state.put_image(zipped, "application/zip", key=key)
        return artifact_id

    def comments(self, full_name: str, number: int) -> list[dict[str, t.Any]]:
        repo = self.state.read()["github"].get("repos", {})[full_name.lower()]
        return [c for c in repo["comments"] if c["issue"] == number]

    def add_comment(self, full_name: str, number: int, body: str, *, user: str) -> None:
        """Somebody's comment on the pull request (a person's, or another bot's)."""
        with self.state.edit() as data:
            self._comment(self._repos(data)[full_name.lower()], number, body, user)

    # -- the REST API -----------------------------------------------------------------------------
    def handle(self, req: Request, token: str) -> Response:
        m = re.fullmatch(r"/gh/repos/([\w.-]+/[\w.-]+)(/.*)", req.path)
        repo = self.state.data["github"].get("repos", {}).get(m.group(1).lower()) if m else None
        access = repo.get("tokens", {}).get(token) if repo else None
        if m is None or repo is None or access is None:
            return _error(404, "Not Found")
        rest, base = m.group(2), f"{req.base_url}/gh/repos/{repo['full_name']}"
        writes = req.method in ("POST", "PATCH", "PUT", "DELETE")
        if writes and access != "write":
            return _error(403, "Resource not accessible by integration")
        if found := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(found.group(1))
            if str(number) not in repo["pulls"]:
                return _error(404, "Not Found")
            if req.method == "GET":
                return self._list(req, repo, number, base)
            if req.method == "POST":
                return self._create(req, repo, number, base)
        elif found := re.fullmatch(r"/issues/comments/(\d+)", rest):
            if req.method == "PATCH":
                return self._update(req, repo, int(found.group(1)), base)
        elif found := re.fullmatch(r"/commits/([0-9a-f]{7,64})/pulls", rest):
            if req.method == "GET":
                return self._pulls_of(repo, found.group(1), base)
        elif found := re.fullmatch(r"/actions/runs/(\d+)/artifacts", rest):
            if req.method == "GET":
                return self._artifacts(req, repo, int(found.group(1)), base)
        elif found := re.fullmatch(r"/actions/artifacts/(\d+)/(\w+)", rest):
            if req.method == "GET":
                return self._download(req, repo, int(found.group(1)), found.group(2))
        return _error(404, "Not Found")

    def download(self, key: str) -> Response:
        """The short-lived address an artifact's download points to (no token needed)."""
        found = self.state.get_image(key) if key.startswith("github-artifact-") else None
        if found is None:
            return Response(404, b"", {"Content-Type": "application/xml"})
        return Response(200, found[0], {"Content-Type": "application/zip"})

    def _shape(self, comment: dict[str, t.Any], base: str) -> dict[str, t.Any]:
        return {
            "id": comment["id"],
            "node_id": f"IC_kwDO{comment['id']}",
            "url": f"{base}/issues/comments/{comment['id']}",
            "html_url": f"https://github.com/pull/{comment['issue']}#issuecomment-{comment['id']}",
            "issue_url": f"{base}/issues/{comment['issue']}",
            "body": comment["body"],
            "user": comment["user"],
            "created_at": comment["created_at"],
            "updated_at": comment["updated_at"],
            "author_association": "NONE" if comment["user"]["type"] == "Bot" else "MEMBER",
        }

    def _list(self, req: Request, repo: dict[str, t.Any], number: int, base: str) -> Response:
        try:
            per_page = min(100, max(1, int(req.query.get("per_page", "30"))))
            page = max(1, int(req.query.get("page", "1")))
        except ValueError:
            return _error(422, "Validation Failed")
        mine = [c for c in repo["comments"] if c["issue"] == number]
        shown = mine[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(mine):
            query = urllib.parse.urlencode({"per_page": per_page, "page": page + 1})
            headers["Link"] = f'<{base}/issues/{number}/comments?{query}>; rel="next"'
        return json_response(200, [self._shape(c, base) for c in shown], headers=headers)

    def _body(self, req: Request) -> str | Response:
        body = req.json()
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            return _error(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
        if len(body["body"]) > MAX_BODY:
            errors = [
                {
                    "resource": "IssueComment",
                    "code": "custom",
                    "field": "body",
                    "message": f"body is too long (maximum is {MAX_BODY} characters)",
                }
            ]
            return _error(422, "Validation Failed", errors=errors)
        return str(body["body"])

    def _comment(
        self, repo: dict[str, t.Any], number: int, body: str, user: str | None
    ) -> dict[str, t.Any]:
        author = BOT if user is None else {"login": user, "id": 1000 + len(user), "type": "User"}
        comment = {
            "id": 1_500_000_000 + repo["next"],
            "issue": number,
            "body": body,
            "user": author,
            "created_at": WHEN,
            "updated_at": WHEN,
        }
        repo["next"] += 1
        repo["comments"].append(comment)
        return comment

    def _create(self, req: Request, repo: dict[str, t.Any], number: int, base: str) -> Response:
        body = self._body(req)
        if isinstance(body, Response):
            return body
        with self.state.edit() as data:
            kept = self._repos(data)[repo["full_name"].lower()]
            comment = self._comment(kept, number, body, None)
        return json_response(201, self._shape(comment, base))

    def _update(self, req: Request, repo: dict[str, t.Any], comment_id: int, base: str) -> Response:
        body = self._body(req)
        if isinstance(body, Response):
            return body
        with self.state.edit() as data:
            kept = self._repos(data)[repo["full_name"].lower()]
            comment = next((c for c in kept["comments"] if c["id"] == comment_id), None)
            if comment is None:
                return _error(404, "Not Found")
            if comment["user"] != BOT:  # a workflow's token edits only its own comments
                return _error(403, "Resource not accessible by integration")
            comment.update(body=body, updated_at="2026-12-05T09:30:00Z")
            comment = dict(comment)
        return json_response(200, self._shape(comment, base))

    def _pulls_of(self, repo: dict[str, t.Any], sha: str, base: str) -> Response:
        found = [
            p
            for p in repo["pulls"].values()
            if sha in (p.get("merge_commit_sha") or "", p["head_sha"])
        ]
        return json_response(
            200,
            [
                {
                    "url": f"{base}/pulls/{p['number']}",
                    "number": p["number"],
                    "state": p["state"],
                    "merged_at": WHEN if p.get("merged") else None,
                    "merge_commit_sha": p.get("merge_commit_sha"),
                    "head": {"ref": p["head_ref"], "sha": p["head_sha"]},
                    "base": {"ref": "main"},
                    "html_url": f"https://github.com/{repo['full_name']}/pull/{p['number']}",
                }
                for p in found
            ],
        )

    def _artifacts(self, req: Request, repo: dict[str, t.Any], run_id: int, base: str) -> Response:
        name = req.query.get("name")
        found = [
            a
            for a in repo["artifacts"]
            if a["run_id"] == run_id and (name is None or a["name"] == name)
        ]
        return json_response(
            200,
            {
                "total_count": len(found),
                "artifacts": [
                    {
                        "id": a["id"],
                        "node_id": f"MDg6QXJ0aWZhY3Q{a['id']}",
                        "name": a["name"],
                        "size_in_bytes": a["size"],
                        "url": f"{base}/actions/artifacts/{a['id']}",
                        "archive_download_url": f"{base}/actions/artifacts/{a['id']}/zip",
                        "expired": False,
                        "created_at": WHEN,
                        "expires_at": "2027-03-05T09:00:00Z",
                        "updated_at": WHEN,
                        "workflow_run": {
                            "id": a["run_id"],
                            "head_sha": a["head_sha"],
                            "head_branch": "brand",
                        },
                    }
                    for a in found
                ],
            },
        )

    def _download(
        self, req: Request, repo: dict[str, t.Any], artifact_id: int, fmt: str
    ) -> Response:
        found = next((a for a in repo["artifacts"] if a["id"] == artifact_id), None)
        if found is None or fmt != "zip":
            return _error(404, "Not Found")
        # a signed, short-lived address elsewhere; the token must not follow it there
        signature = secrets.token_hex(8)
        where = f"{req.base_url}/gh/blobs/{found['key']}?sig={signature}"
        return Response(302, b"", {"Location": where})

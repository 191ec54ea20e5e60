"""The sandbox's GitHub organization held to a recorded answer of the real API (PyGithub's
ReplayData, kept in data/github_organization.json with its source) and to docs.github.com's
rate-limit and error shapes (issue #29)."""

from __future__ import annotations

import typing as t

import requests

from brandkit.sandbox import Sandbox
from tests.fidelity.conftest import evidence


def _get(
    sandbox: Sandbox, path: str, token: str, method: str = "GET", **kw: t.Any
) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    session.verify = str(sandbox.ca_path)
    headers = {"Authorization": f"Bearer {token}", "X-GitHub-Api-Version": "2022-11-28"}
    return session.request(method, f"{sandbox.url}/gh{path}", headers=headers, **kw)


def test_an_organization_has_the_recorded_shape() -> None:
    recorded = evidence("github_organization.json")
    with Sandbox() as sandbox:
        sandbox.github.add_org("beaver", token="t")
        answer = _get(sandbox, "/orgs/beaver", "t")
        ours = answer.json()
        assert set(recorded["body"]) <= set(ours) | {
            "repos_url",
            "events_url",
            "hooks_url",
            "issues_url",
            "members_url",
            "public_members_url",
        }
        for key, value in recorded["body"].items():
            if key in ours and value is None:
                assert ours[key] is None, key  # unset fields are null, as GitHub gives them
        assert ours["type"] == "Organization" and ours["blog"] == ""
        names = {k.lower() for k in recorded["headers"] if k.lower().startswith("x-ratelimit")}
        assert names <= {k.lower() for k in answer.headers}


def test_errors_are_githubs() -> None:
    with Sandbox() as sandbox:
        sandbox.github.add_org("beaver", token="owner")
        sandbox.github.add_org("beaver", token="member", owner=False)
        bad = _get(sandbox, "/orgs/beaver", "nope")
        assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
        assert "documentation_url" in bad.json()
        hidden = _get(sandbox, "/orgs/beaver", "member", "PATCH", json={"name": "x"})
        assert (
            hidden.status_code == 404 and hidden.headers["X-Accepted-OAuth-Scopes"] == "admin:org"
        )
        invalid = _get(sandbox, "/orgs/beaver", "owner", "PATCH", json={"email": "not-an-email"})
        assert invalid.status_code == 422 and invalid.json()["message"] == "Validation Failed"
        assert invalid.json()["errors"][0]["field"] == "email"

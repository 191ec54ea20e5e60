"""brandkit.forge.github against the sandbox's GitHub REST API: the plan comment found on a later
page, never somebody else's, a comment over GitHub's limit refused with GitHub's words, the
artifact's download followed without the token."""

from __future__ import annotations

import io
import typing as t
import zipfile

import pytest

from brandkit.errors import PlanError, RemoteError
from brandkit.forge.github import BOT, GitHubRepo, PullRequest, run_line
from brandkit.reports.review import MARKER
from brandkit.sandbox import Sandbox

REPOSITORY = "northwind/brand"


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> t.Iterator[tuple[Sandbox, GitHubRepo]]:
    with Sandbox() as sandbox:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sandbox.ca_path))
        sandbox.github.repos.add_repo(REPOSITORY, token="ghs_t")
        sandbox.github.repos.open_pull(REPOSITORY, 3, head_sha="a" * 40, head_ref="b")
        yield sandbox, GitHubRepo(f"{sandbox.url}/gh", REPOSITORY, "ghs_t")


def test_the_plan_comment_is_found_past_the_first_page(
    github: tuple[Sandbox, GitHubRepo],
) -> None:
    sandbox, repo = github
    url, created = repo.put_comment(3, MARKER + "\nfirst", MARKER)
    assert created and url
    for n in range(130):  # a busy pull request: ours is on page 1 of 2 at 100 a page
        sandbox.github.repos.add_comment(REPOSITORY, 3, f"comment {n}", user="reviewer")
    sandbox.github.repos.add_comment(REPOSITORY, 3, MARKER + "\nimpostor", user="reviewer")
    sandbox.clear_requests()
    _, created = repo.put_comment(3, MARKER + "\nsecond", MARKER)
    assert not created
    comments = sandbox.github.repos.comments(REPOSITORY, 3)
    assert len(comments) == 132
    assert [c["body"] for c in comments if c["user"]["login"] == BOT] == [MARKER + "\nsecond"]
    assert comments[-1]["body"] == MARKER + "\nimpostor"  # left as its author wrote it
    listed = [r for r in sandbox.requests if r.method == "GET" and "comments" in r.path]
    assert len(listed) == 2  # page 1 and page 2, by the Link header


def test_a_comment_over_the_limit_is_refused_with_githubs_words(
    github: tuple[Sandbox, GitHubRepo],
) -> None:
    _, repo = github
    with pytest.raises(RemoteError, match="body is too long"):
        repo.put_comment(3, MARKER + "x" * 65_536, MARKER)


def test_the_plan_is_read_from_the_artifact_github_says_was_made_from_the_head(
    github: tuple[Sandbox, GitHubRepo],
) -> None:
    sandbox, repo = github
    head = "a" * 40
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("brandkit-plan.json", '{"accounts": []}')
    sandbox.github.repos.upload_artifact(
        REPOSITORY, run_id=55, head_sha=head, name="brandkit-report", zipped=buffer.getvalue()
    )
    sandbox.github.repos.upload_artifact(
        REPOSITORY, run_id=56, head_sha="c" * 40, name="brandkit-report", zipped=buffer.getvalue()
    )
    plan = repo.artifact_file(55, "brandkit-report", head, "brandkit-plan.json")
    assert plan == b'{"accounts": []}'
    # a comment pointing at a run made from another commit is not believed
    with pytest.raises(PlanError, match="made from cccccccccccc, not from the reviewed"):
        repo.artifact_file(56, "brandkit-report", head, "brandkit-plan.json")
    with pytest.raises(PlanError, match="no artifact named other"):
        repo.artifact_file(55, "other", head, "brandkit-plan.json")


def test_a_merge_at_another_head_than_the_planned_one_is_refused(
    github: tuple[Sandbox, GitHubRepo],
) -> None:
    _, repo = github
    repo.put_comment(3, f"{MARKER}\n{run_line(55, 'a' * 40)}\nplan", MARKER)
    assert repo.reviewed(PullRequest(3, "a" * 40, True), MARKER).run_id == 55
    with pytest.raises(PlanError, match="merged at bbbbbbbbbbbb: what was merged was not"):
        repo.reviewed(PullRequest(3, "b" * 40, True), MARKER)

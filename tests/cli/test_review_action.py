"""Brand changes through pull requests (#31, items 2 and 4), without GitHub: the review workflow
of docs/ci.md, run through action.yml's scripts by a small runner (tests/cli/actions_runner.py)
with pull-request and push event payloads, a git remote on disk, and the sandbox's GitHub REST
API standing in for api.github.com (comments, merged pull requests, artifacts). The brand's
accounts are the sandbox's too (`sandbox: "true"`)."""

from __future__ import annotations

import json
import re
import subprocess
import typing as t
from pathlib import Path

import pytest
import yaml

from brandkit.cli import main
from brandkit.reports.review import MARKER
from brandkit.sandbox import Sandbox
from tests.cli.actions_runner import Run, Runner
from tests.conftest import REPO, copy_example

REPOSITORY = "northwind/brand"
TOKEN = "ghs_workflowTokenOfThisRun"


def _workflow() -> str:
    text = (REPO / "docs" / "ci.md").read_text()
    found = re.search(r"<!-- workflow: review -->\n```yaml\n(.*?)```", text, re.S)
    assert found is not None
    return found.group(1)


def _git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "A Person",
        "GIT_AUTHOR_EMAIL": "person@example.org",
        "GIT_COMMITTER_NAME": "A Person",
        "GIT_COMMITTER_EMAIL": "person@example.org",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


class Forge:
    """A repository on the stand-in GitHub, its clone (the runner's workspace), and the runner."""

    def __init__(self, tmp: Path, standin: Sandbox) -> None:
        self.tmp, self.standin = tmp, standin
        self.origin = tmp / "origin.git"
        self.ws = tmp / "work"
        _git(tmp, "init", "-q", "--bare", "-b", "main", str(self.origin))
        copy_example("northwind", self.ws)
        (self.ws / ".gitignore").write_text(".brandkit/\nbrandkit-*\n")
        _git(self.ws, "init", "-q", "-b", "main")
        _git(self.ws, "add", "-A")
        _git(self.ws, "commit", "-q", "-m", "the brand")
        _git(self.ws, "remote", "add", "origin", str(self.origin))
        _git(self.ws, "push", "-q", "origin", "main")
        standin.github.repos.add_repo(REPOSITORY, token=TOKEN)
        env = {
            "GITHUB_API_URL": f"{standin.url}/gh",
            "REQUESTS_CA_BUNDLE": str(standin.ca_path),
            "HOME": str(tmp),
            "BRANDKIT_CACHE": "off",
        }
        self.runner = Runner(
            action=REPO / "action.yml",
            workspace=self.ws,
            github=standin.github,
            env=env,
            repository=REPOSITORY,
        )
        self.run_id = 9000

    def change(self, edit: t.Callable[[dict[str, t.Any]], None], message: str) -> str:
        spec = self.ws / "brand.yaml"
        data = yaml.safe_load(spec.read_text())
        edit(data)
        spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        _git(self.ws, "commit", "-q", "-am", message)
        _git(self.ws, "push", "-q", "origin", "HEAD")
        return _git(self.ws, "rev-parse", "HEAD")

    def pull_request_run(self, number: int, head: str, branch: str) -> Run:
        self.standin.github.repos.open_pull(REPOSITORY, number, head_sha=head, head_ref=branch)
        self.run_id += 1
        payload = {
            "action": "synchronize",
            "number": number,
            "pull_request": {"number": number, "head": {"sha": head, "ref": branch}},
        }
        return self.runner.run(
            _workflow(),
            event_name="pull_request",
            payload=payload,
            sha=head,
            run_id=self.run_id,
            token=TOKEN,
            with_inputs={"sandbox": "true"},
        )

    def merge(self, number: int, branch: str) -> Run:
        _git(self.ws, "checkout", "-q", "main")
        _git(self.ws, "merge", "-q", "--no-ff", branch, "-m", f"Merge pull request #{number}")
        _git(self.ws, "push", "-q", "origin", "main")
        merged = _git(self.ws, "rev-parse", "HEAD")
        self.standin.github.repos.merge_pull(REPOSITORY, number, merge_commit_sha=merged)
        self.run_id += 1
        return self.runner.run(
            _workflow(),
            event_name="push",
            payload={"ref": "refs/heads/main", "after": merged},
            sha=merged,
            run_id=self.run_id,
            token=TOKEN,
            with_inputs={"sandbox": "true"},
        )

    def comments(self, number: int) -> list[dict[str, t.Any]]:
        return t.cast(
            list[dict[str, t.Any]], self.standin.github.repos.comments(REPOSITORY, number)
        )


@pytest.fixture
def forge(tmp_path: Path) -> t.Iterator[Forge]:
    with Sandbox(state_dir=tmp_path / "standin") as standin:
        yield Forge(tmp_path, standin)


def _tagline(data: dict[str, t.Any]) -> None:
    data["identity"]["tagline"] = "Small-batch coffee, roasted by the sea"


def _bio(data: dict[str, t.Any]) -> None:
    data["identity"]["bio"]["short"] = data["identity"]["bio"]["short"].replace("Oregon", "Pacific")


def test_a_pull_request_is_commented_once_and_its_merge_applies_that_plan(
    forge: Forge, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the accounts carry the brand as main has it
    monkeypatch.chdir(forge.ws)
    assert main(["apply", "brand.yaml", "--sandbox", "--yes", "-q"]) == 0

    _git(forge.ws, "checkout", "-q", "-b", "new-tagline")
    first = forge.change(_tagline, "A new tagline")
    run = forge.pull_request_run(7, first, "new-tagline")
    assert run.ok, run.log
    [comment] = forge.comments(7)
    body = comment["body"]
    assert body.startswith(MARKER + f"\n<!-- brandkit-run: {forge.run_id} {first} -->\n")
    assert comment["user"]["login"] == "github-actions[bot]"
    # the new banners beside the live ones, served from the thumbnails branch
    images = re.findall(r"!\[(live|new)\]\((https://github\.com/[^)]+)\)", body)
    prefix = f"https://github.com/{REPOSITORY}/raw/brandkit-thumbnails/"
    assert images and all(url.startswith(prefix) for _, url in images)
    for account in (
        "twitter:northwind-x",
        "youtube:northwind-youtube",
        "discord:northwind-discord",
    ):
        section = body.split(f"#### {account}")[1].split("\n#### ")[0]
        assert "![live](" in section and "![new](" in section, section
    published = _git(forge.origin, "ls-tree", "--name-only", "brandkit-thumbnails").split()
    assert {url.removeprefix(prefix) for _, url in images} <= set(published)
    assert _git(forge.ws, "rev-parse", "--abbrev-ref", "HEAD") == "new-tagline"  # untouched
    assert "### brandkit plan:" in run.summary
    assert run.outputs["brandkit"]["exit-code"] == "0"

    # a second push: the same comment, updated (bio word now too); nobody else's is touched
    forge.standin.github.repos.add_comment(
        REPOSITORY, 7, MARKER + "\nnot the bot's", user="someone"
    )
    second = forge.change(_bio, "Pacific, not Oregon")
    run = forge.pull_request_run(7, second, "new-tagline")
    assert run.ok, run.log
    ours = [c for c in forge.comments(7) if c["user"]["login"] == "github-actions[bot]"]
    assert [c["id"] for c in ours] == [comment["id"]]
    assert f"<!-- brandkit-run: {forge.run_id} {second} -->" in ours[0]["body"]
    assert "~~Oregon~~ **Pacific**" in ours[0]["body"]
    assert [c["body"] for c in forge.comments(7) if c["user"]["login"] == "someone"] == [
        MARKER + "\nnot the bot's"
    ]

    # the merge applies exactly the reviewed plan, and says so on the pull request
    run = forge.merge(7, "new-tagline")
    assert run.ok, run.log
    assert run.outputs["brandkit"]["exit-code"] == "0"
    result = [c for c in forge.comments(7) if c["body"].startswith("<!-- brandkit-apply -->")]
    assert len(result) == 1 and "brandkit apply applied" in result[0]["body"]
    assert "changed" in result[0]["body"]
    capsys.readouterr()
    # every account an API writes says the new words now; Instagram's and LinkedIn's are left
    # for a person (brandkit handoff)
    assert main(["check", "brand.yaml", "--sandbox", "-q"]) == 2
    said = capsys.readouterr().out
    assert "2 to change (2 fields), 9 ok" in said
    assert said.count("change by hand:") == 2


def test_a_plan_whose_accounts_moved_is_refused_and_says_what_moved(
    forge: Forge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(forge.ws)
    assert main(["apply", "brand.yaml", "--sandbox", "--yes", "-q"]) == 0
    _git(forge.ws, "checkout", "-q", "-b", "new-tagline")
    head = forge.change(_tagline, "A new tagline")
    assert forge.pull_request_run(8, head, "new-tagline").ok
    # somebody edits the organization on github.com between the review and the merge
    with Sandbox(state_dir=forge.ws / ".brandkit" / "sandbox") as accounts:
        accounts.github.edit_org("northwind-coffee", location="Somewhere else")
    run = forge.merge(8, "new-tagline")
    assert not run.ok
    assert run.outputs["brandkit"]["exit-code"] == "1"
    [result] = [c for c in forge.comments(8) if c["body"].startswith("<!-- brandkit-apply -->")]
    assert "failed (exit 1)" in result["body"]
    assert "the account changed since the plan was made (location)" in result["body"]
    assert "Somewhere else" not in result["body"]  # names the field; nothing written over it


def test_what_was_merged_after_the_last_plan_is_not_applied(
    forge: Forge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(forge.ws)
    _git(forge.ws, "checkout", "-q", "-b", "new-tagline")
    planned = forge.change(_tagline, "A new tagline")
    assert forge.pull_request_run(9, planned, "new-tagline").ok
    # a push the workflow did not plan (its run failed, or was skipped), then the merge
    later = forge.change(_bio, "Pacific")
    forge.standin.github.repos.open_pull(REPOSITORY, 9, head_sha=later, head_ref="new-tagline")
    before = forge.standin.count(writes=True)
    run = forge.merge(9, "new-tagline")
    assert not run.ok
    assert "was not reviewed" in run.log and planned[:12] in run.log and later[:12] in run.log
    assert not (forge.ws / "brandkit-plan.json").exists()
    assert forge.standin.count(writes=True) == before  # no comment, nothing applied


def test_a_push_that_merged_no_pull_request_applies_nothing(
    forge: Forge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(forge.ws)
    sha = forge.change(_tagline, "straight to main")
    forge.run_id += 1
    run = forge.runner.run(
        _workflow(),
        event_name="push",
        payload={"ref": "refs/heads/main"},
        sha=sha,
        run_id=forge.run_id,
        token=TOKEN,
        with_inputs={"sandbox": "true"},
    )
    assert run.ok, run.log
    assert "is not the merge of a pull request: nothing was reviewed, nothing is applied" in run.log
    assert not (forge.ws / "brandkit-apply.txt").exists()


def test_a_forks_read_only_token_leaves_the_plan_in_the_summary(
    forge: Forge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(forge.ws)
    forge.standin.github.repos.add_repo(REPOSITORY, token="ghs_forkToken", read_only=True)
    _git(forge.ws, "checkout", "-q", "-b", "from-a-fork")
    head = forge.change(_tagline, "A new tagline")
    forge.standin.github.repos.open_pull(REPOSITORY, 10, head_sha=head, head_ref="from-a-fork")
    run = forge.runner.run(
        _workflow(),
        event_name="pull_request",
        payload={"pull_request": {"number": 10, "head": {"sha": head}}},
        sha=head,
        run_id=424242,
        token="ghs_forkToken",
        with_inputs={"sandbox": "true", "images-branch": ""},
    )
    assert run.ok, run.log
    assert "::warning::the plan comment was not posted" in run.log
    assert "Resource not accessible by integration" in run.log
    assert forge.comments(10) == []
    assert "### brandkit plan:" in run.summary and "](brandkit-thumbnails/" in run.summary
    assert json.loads((forge.ws / "brandkit-plan.json").read_text())["accounts"]

"""``brandkit review``: the GitHub Action's pull-request steps (``command: plan|apply``).

- ``review comment FILE``: post the plan comment on the pull request, or update the one posted
  before (found by its hidden marker, written by the same bot): one comment per pull request;
- ``review reviewed-plan -o PLAN.json``: on a push to the default branch, the plan that was
  reviewed on the merged pull request, from the artifact of the run that made it;
- ``review result FILE``: apply's output as a comment on the merged pull request;
- ``review publish-thumbnails DIR --branch B``: the comment's thumbnails on a branch GitHub
  serves.
"""

from __future__ import annotations

import argparse
import re
import typing as t
from pathlib import Path

__all__ = ["add_parser", "run"]

RESULT = "<!-- brandkit-apply -->"


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("review", help="pull requests: the plan comment, the reviewed plan (CI)")
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)
    comment = steps.add_parser("comment", help="post or update the plan comment (pull_request)")
    comment.add_argument("file", metavar="COMMENT.md", help="what `plan --format markdown` wrote")
    reviewed = steps.add_parser(
        "reviewed-plan", help="fetch the plan reviewed on the merged pull request (push)"
    )
    reviewed.add_argument("-o", "--out", required=True, metavar="PLAN.json")
    reviewed.add_argument(
        "--artifact", default="brandkit-report", help="the artifact the plan step uploaded"
    )
    result = steps.add_parser("result", help="apply's output as a comment on the pull request")
    result.add_argument("file", metavar="APPLY.txt")
    result.add_argument("--exit-code", type=int, default=0, help="apply's exit code")
    images = steps.add_parser("publish-thumbnails", help="commit thumbnails to a branch")
    images.add_argument("folder", metavar="DIR")
    images.add_argument("--branch", required=True)
    for each in (comment, reviewed, result):
        each.add_argument(
            "--author",
            default=None,
            help="who writes the comments (default github-actions[bot], the GITHUB_TOKEN's)",
        )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit.forge.actions import ActionsJob

    if args.step == "publish-thumbnails":
        from brandkit.forge.images import publish

        added = publish(Path(args.folder), args.branch)
        print(f"{added} thumbnail(s) added to {args.branch}")
        return 0
    job = ActionsJob.from_env()
    return {"comment": _comment, "reviewed-plan": _reviewed_plan, "result": _result}[args.step](
        args, job
    )


def _repo(job: t.Any) -> t.Any:
    from brandkit.forge.github import GitHubRepo

    return GitHubRepo(job.api_url, job.repository, job.token, env_name=job.token_name)


def _author(args: argparse.Namespace) -> str:
    from brandkit.forge.github import BOT

    return str(args.author or BOT)


def _comment(args: argparse.Namespace, job: t.Any) -> int:
    from brandkit.errors import AuthError, ConfigError
    from brandkit.forge.github import run_line
    from brandkit.reports.review import MARKER

    text = Path(args.file).read_text(encoding="utf-8")
    if not text.startswith(MARKER):
        raise ConfigError(f"{args.file} is not a plan comment (`brandkit plan --format markdown`)")
    number, head = job.pull_request()
    first, _, rest = text.partition("\n")
    body = f"{first}\n{run_line(job.run_id, head)}\n{rest}"
    job.add_summary(text)
    try:
        url, created = _repo(job).put_comment(number, body, MARKER, _author(args))
    except AuthError as exc:
        # a fork's pull request gets a read-only token: the plan stays in the job summary
        print(f"::warning::the plan comment was not posted: {exc}")
        return 0
    print(f"{'posted' if created else 'updated'} the plan comment on #{number}: {url}")
    job.set_output("comment-url", url)
    return 0


def _reviewed_plan(args: argparse.Namespace, job: t.Any) -> int:
    from brandkit._files import atomic_write
    from brandkit.reports.review import MARKER

    repo = _repo(job)
    pull = repo.merged_pull(job.sha)
    if pull is None:
        print(
            f"::notice::{job.sha[:12]} is not the merge of a pull request: nothing was reviewed, "
            "nothing is applied"
        )
        job.set_output("reviewed", "false")
        return 0
    reviewed = repo.reviewed(pull, MARKER, _author(args))
    plan = repo.artifact_file(reviewed.run_id, args.artifact, pull.head_sha, "brandkit-plan.json")
    atomic_write(Path(args.out), plan)
    print(
        f"the plan reviewed on #{pull.number} (run {reviewed.run_id}, {pull.head_sha[:12]}) "
        f"saved to {args.out}"
    )
    job.set_output("reviewed", "true")
    return 0


def _fenced(text: str) -> str:
    """``text`` as a code block no line of it can close (a fence longer than any run of
    backticks inside)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _result(args: argparse.Namespace, job: t.Any) -> int:
    from brandkit.reports.review import LIMIT

    text = Path(args.file).read_text(encoding="utf-8", errors="replace")
    verdict = "applied" if args.exit_code == 0 else f"failed (exit {args.exit_code})"
    head = f"{RESULT}\n### brandkit apply {verdict} at {job.sha[:12]}\n\n"
    tail = f"\n\n[The run]({job.run_url})\n"
    room = LIMIT - len(head) - len(tail) - 64
    body = head + _fenced(text if len(text) <= room else text[: room - 1] + "…") + tail
    job.add_summary(body)
    repo = _repo(job)
    pull = repo.merged_pull(job.sha)
    if pull is None:
        return 0
    url, _ = repo.put_comment(pull.number, body, RESULT, _author(args))
    print(f"the result is on #{pull.number}: {url}")
    return 0

"""Thumbnails where a pull request's comment can show them: a branch of the repository itself.

GitHub shows an image in a comment only from an address it can fetch; an Actions artifact is a
zip behind a login. A branch is served at ``{server}/{owner}/{repo}/raw/{branch}/{file}`` to
everyone who may read the repository (private ones included), so the thumbnails are committed
there with git's plumbing: the files are added to the branch's tree without touching the
checkout (its working tree, index and branch stay as they are), with the credentials
``actions/checkout`` left for ``origin``. Files are named by their content, so they are only
ever added; a push that lost a race with another pull request's is made again on top of it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from brandkit.errors import ConfigError

__all__ = ["publish", "raw_url"]

CONTENT_NAMED = re.compile(r"^[0-9a-f]{16}\.png$")  # what the review comment writes
FETCHED = "refs/brandkit/images"
BOT = {
    "GIT_AUTHOR_NAME": "github-actions[bot]",
    "GIT_AUTHOR_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "github-actions[bot]",
    "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
}


def raw_url(server_url: str, repository: str, branch: str) -> str:
    """Where GitHub serves the branch's files (ending in ``/``)."""
    return f"{server_url.rstrip('/')}/{repository}/raw/{branch}/"


def _run(checkout: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        raise ConfigError("git is not installed: thumbnails cannot be published")
    return subprocess.run(  # noqa: S603 - git, by its full path, with arguments built here
        [git, "-C", str(checkout), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **BOT, "GIT_TERMINAL_PROMPT": "0"},
    )


def _said(done: subprocess.CompletedProcess[str]) -> str:
    return (done.stderr.strip().splitlines() or ["no message"])[-1]


def _git(checkout: Path, *args: str, stdin: str | None = None) -> str:
    done = _run(checkout, *args, stdin=stdin)
    if done.returncode != 0:
        raise ConfigError(f"git {args[0]} failed while publishing the thumbnails: {_said(done)}")
    return done.stdout.strip()


def publish(
    folder: Path, branch: str, *, checkout: Path = Path(), remote: str = "origin", tries: int = 3
) -> int:
    """Add ``folder``'s thumbnails to ``branch`` on ``remote`` (created when missing); the
    number of files that were not there yet."""
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or ".." in branch:
        raise ConfigError(f"{branch!r} is not a branch name brandkit writes to")
    files = sorted(p for p in folder.glob("*.png") if CONTENT_NAMED.match(p.name))
    if not files:
        return 0
    refused = "no push was tried"
    for _ in range(tries):
        # the branch as it is now on the remote; none yet: it is started
        fetched = _run(
            checkout, "fetch", "-q", "--depth=1", remote, f"+refs/heads/{branch}:{FETCHED}"
        )
        parent = _git(checkout, "rev-parse", "--verify", FETCHED) if fetched.returncode == 0 else ""
        kept = _git(checkout, "ls-tree", parent).splitlines() if parent else []
        names = {line.split("\t", 1)[1] for line in kept}
        new = [p for p in files if p.name not in names]
        if not new:
            return 0
        blobs = [
            f"100644 blob {_git(checkout, 'hash-object', '-w', str(p))}\t{p.name}" for p in new
        ]
        tree = _git(checkout, "mktree", stdin="\n".join(kept + blobs) + "\n")
        parents = ["-p", parent] if parent else []
        commit = _git(
            checkout, "commit-tree", tree, *parents, "-m", f"brandkit: {len(new)} thumbnail(s)"
        )
        pushed = _run(checkout, "push", "-q", remote, f"{commit}:refs/heads/{branch}")
        if pushed.returncode == 0:
            return len(new)
        refused = _said(pushed)  # another job pushed first: again, on top of its commit
    raise ConfigError(
        f"could not push the thumbnails to {branch} ({refused}): the job needs "
        "`permissions: contents: write`"
    )

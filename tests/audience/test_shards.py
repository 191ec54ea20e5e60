"""An agency's workspace watched by shards (#30, items 1 and 3): a folder of brands grouped by
client; the commands of docs/scheduling.md's two recipes (a GitHub Actions matrix, a Kubernetes
Indexed Job) run as four processes at once against a real PostgreSQL server and the sandbox:
each brand's accounts are watched by exactly one shard, a change is alerted once, a shard that
overlaps a running one is refused, and one that died does not block the next run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import typing as t
from pathlib import Path

import pytest
import yaml

import brandkit
from brandkit.audience.history import History, checks
from brandkit.cli import main
from brandkit.sandbox import Sandbox
from brandkit.sync.sandboxing import provision
from brandkit.workspace import Shard, expand, select, shard_of, take_shard, with_clients
from tests.audience.conftest import Receiver
from tests.conftest import REPO, copy_example
from tests.postgres import Server

CLIENTS = {"acme": 3, "globex": 2, "initech": 1}  # brands per client


def _agency(root: Path) -> None:
    """brands/<client>/<brand>/brand.yaml: copies of Northwind, each with its own Mastodon and
    Bluesky accounts and its own credential variables."""
    n = 0
    for client, count in CLIENTS.items():
        for _ in range(count):
            n += 1
            folder = root / client / f"brand-{n}"
            copy_example("northwind", folder)
            spec = folder / "brand.yaml"
            data = yaml.safe_load(spec.read_text())
            data["identity"]["name"] = f"Brand {n}"
            kept = []
            for account in data["accounts"]:
                if account["platform"] not in ("mastodon", "bluesky"):
                    continue
                account["id"] = f"b{n}-{account['platform']}"
                account["handle"] = (
                    f"brand{n}" if account["platform"] == "mastodon" else f"brand{n}.bsky.social"
                )
                account["credentials"] = {
                    role: var.replace("NORTHWIND_", f"B{n}_")
                    for role, var in account["credentials"].items()
                }
                kept.append(account)
            data["accounts"] = kept
            spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _recipe(name: str) -> str:
    text = (REPO / "docs" / "scheduling.md").read_text()
    found = re.search(rf"<!-- recipe: {name} -->\n```yaml\n(.*?)```", text, re.S)
    assert found is not None
    return found.group(1)


def _matrix_command(shard: int) -> str:
    steps = yaml.safe_load(_recipe("matrix"))["jobs"]["watch"]["steps"]
    [run] = [s["run"] for s in steps if "brandkit watch" in s.get("run", "")]
    return str(run).replace("${{ matrix.shard }}", str(shard))


def _kubernetes_command() -> str:
    job = yaml.safe_load(_recipe("kubernetes"))["spec"]["jobTemplate"]["spec"]
    [container] = job["template"]["spec"]["containers"]
    script = str(container["command"][-1])
    # the image's install step is this interpreter's brandkit; the volume is the workspace
    return script.split("&& ", 1)[1].replace("/brands", "brands/")


def _run_all(
    commands: list[tuple[str, dict[str, str]]], cwd: Path, env: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    jobs = [
        subprocess.Popen(
            ["sh", "-c", command],
            cwd=cwd,
            env={**os.environ, **env, **extra, "PATH": path, "BRANDKIT_CACHE": "off"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command, extra in commands
    ]
    done = []
    for job in jobs:
        out, err = job.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(job.args, job.returncode, out, err))
    return done


@pytest.fixture
def agency(tmp_path: Path, postgres: Server, receiver: Receiver) -> t.Iterator[dict[str, t.Any]]:
    root = tmp_path / "brands"
    _agency(root)
    brands = [brandkit.load(p) for p in expand([str(root)])]
    with Sandbox(state_dir=tmp_path / "sandbox") as sandbox:
        env = {
            **provision(sandbox, brands),
            "BRANDKIT_HISTORY": postgres.new_database(),
            "TEAM_WEBHOOK": receiver.url,
        }
        yield {"root": root, "brands": brands, "sandbox": sandbox, "env": env, "cwd": tmp_path}


def test_the_workspace_groups_brands_by_client_and_filters(tmp_path: Path) -> None:
    root = tmp_path / "brands"
    _agency(root)
    brands = with_clients([brandkit.load(p) for p in expand([str(root)])], [root.resolve()])
    assert sorted({b.identity.client for b in brands}) == ["acme", "globex", "initech"]
    only = select(brands, clients=["Globex"], platforms=["bluesky"])
    assert [(b.identity.name, [a.platform for a in b.accounts]) for b in only] == [
        ("Brand 4", ["bluesky"]),
        ("Brand 5", ["bluesky"]),
    ]
    # every brand falls to exactly one of four shards, whatever the order, from any folder
    specs = expand([str(root)])
    roots = [root.resolve()]
    shares = [take_shard(specs, roots, Shard(k, 4)) for k in range(1, 5)]
    assert sorted(s for share in shares for s in share) == sorted(specs)
    assert len([share for share in shares if share]) > 1
    elsewhere = tmp_path / "elsewhere"
    root.rename(elsewhere)  # another machine's checkout: the same split
    moved = expand([str(elsewhere)])
    assert [shard_of(s, [elsewhere.resolve()], 4) for s in moved] == [
        shard_of(s, roots, 4) for s in specs
    ]


def test_a_shard_out_of_range_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _agency(tmp_path / "brands")
    assert main(["watch", str(tmp_path / "brands"), "--shard", "0/4"]) == 1
    assert "give K/N with 1 <= K <= N" in capsys.readouterr().err


def test_four_shards_at_once_watch_every_account_once_and_alert_once(
    agency: dict[str, t.Any], receiver: Receiver
) -> None:
    env, cwd = agency["env"], agency["cwd"]
    accounts = sum(len(b.accounts) for b in agency["brands"])
    # the first watch of fresh accounts: every one drifts (nothing applied): exit 2, one alert each
    first = _run_all([(_matrix_command(k), {}) for k in range(1, 5)], cwd, env)
    assert all(r.returncode in (0, 2) for r in first), [r.stderr for r in first]
    assert sorted(r.returncode for r in first) != [0, 0, 0, 0]
    with History(env["BRANDKIT_HISTORY"]) as store:
        assert store.count(checks) == accounts  # each account checked by exactly one shard
        alerted = len(store.events(kinds=("drift_appeared",)))
    assert alerted == accounts and len(receiver.received) == accounts
    # the same state again, now as the Kubernetes Indexed Job: nothing changed, no alert
    again = _run_all(
        [(_kubernetes_command(), {"JOB_COMPLETION_INDEX": str(i)}) for i in range(4)], cwd, env
    )
    assert all(r.returncode in (0, 2) for r in again), [r.stderr for r in again]
    said = [r.stdout for r in again]
    assert all(
        "no change since the last watch: no alert" in out or "no brand falls" in out for out in said
    )
    assert sum("no change since the last watch" in out for out in said) > 1
    with History(env["BRANDKIT_HISTORY"]) as store:
        assert store.count(checks) == 2 * accounts
        assert len(store.events(kinds=("drift_appeared",))) == accounts
    assert len(receiver.received) == accounts


def test_an_overlapping_shard_is_refused_and_a_dead_one_blocks_nothing(
    agency: dict[str, t.Any],
) -> None:
    env, cwd = agency["env"], agency["cwd"]
    url = env["BRANDKIT_HISTORY"]
    with History(url) as store, store.shard(2, 4):  # a shard of a 4-way split is running
        other_split, same_shard = _run_all(
            [
                ("brandkit watch brands/ --shard 1/3", {}),
                ("brandkit watch brands/ --shard 2/4", {}),
            ],
            cwd,
            env,
        )
    assert other_split.returncode == 1 and "overlaps shard 2/4" in other_split.stderr
    assert same_shard.returncode == 1 and "overlaps shard 2/4" in same_shard.stderr
    assert "Traceback" not in other_split.stderr + same_shard.stderr
    assert "brandkit-test-password" not in other_split.stderr
    # a shard killed while it runs: what it held dies with its connection
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                from brandkit.audience.history import History
                with History(sys.argv[1]) as store, store.shard(3, 4):
                    print("running", flush=True)
                    time.sleep(600)
                """
            ),
            url,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "running"
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)
    time.sleep(0.5)  # the server notices the dropped connection
    [after] = _run_all([("brandkit watch brands/ --shard 1/3", {})], cwd, env)
    assert after.returncode in (0, 2), after.stderr

"""An agency's watch at scale (#30, item 4): B brands x 5 accounts (X, Mastodon, Bluesky,
Telegram, Discord) in a workspace of 100 clients, against the sandbox with latency on every
request, watched by one process and by 4 shards at once, with the history in SQLite and in
PostgreSQL (a real server from Debian's package, started here as the tests start it).

    python benchmarks/watch_agency.py [--brands 2000] [--latency 0.1] [--backends sqlite,postgresql]

For each backend: a first watch (4 shards: renders every brand, records every account's state;
every fresh account is off-brand, so one alert each), then a repeated watch by 4 shards and by
one process (the same total of 32 workers), then a watch after 50 accounts' tokens were revoked
(50 alerts expected, once). Prints per run: wall time, sandbox requests per account, the peak
memory of the largest process, rows written to the history, alerts delivered. Goals: 10,000
accounts in under 5 minutes with 4 shards, at most 2 requests per account on a repeated run,
under 300 MB per process, every change alerted exactly once.

The sandbox runs in this process (one core at most, its GIL shared with nothing else but the
alert receiver); the watchers are separate processes, as a matrix's jobs would be.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import typing as t
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import brandkit  # noqa: E402
from brandkit.audience.history import TABLES, History  # noqa: E402
from brandkit.sandbox import Sandbox  # noqa: E402
from brandkit.sync.sandboxing import provision  # noqa: E402
from brandkit.workspace import expand  # noqa: E402

PLATFORMS = ("twitter", "mastodon", "bluesky", "telegram", "discord")
CLIENTS = 100
WRAPPER = (
    "import resource, sys\n"
    "from brandkit.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(f'peak_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def make_workspace(root: Path, brands: int) -> None:
    source = REPO / "examples" / "northwind"
    data = yaml.safe_load((source / "brand.yaml").read_text())
    template = {a["platform"]: a for a in data["accounts"] if a["platform"] in PLATFORMS}
    for n in range(1, brands + 1):
        folder = root / f"client-{n % CLIENTS:03d}" / f"brand-{n:05d}"
        shutil.copytree(source / "logos", folder / "logos")
        data["identity"]["name"] = f"Brand {n:05d}"
        accounts = []
        for platform in PLATFORMS:
            account = dict(template[platform])
            account["id"] = f"b{n}-{platform}"
            if "handle" in account:
                account["handle"] = (
                    f"brand{n}.bsky.social" if platform == "bluesky" else f"brand{n}"
                )
            if platform == "telegram":
                account["chat"] = f"@brand{n}"
            if platform == "discord":
                account["guild_id"] = str(600_000_000_000_000_000 + n)
            account["credentials"] = {
                role: var.replace("NORTHWIND_", f"B{n}_")
                for role, var in template[platform]["credentials"].items()
            }
            accounts.append(account)
        data["accounts"] = accounts
        (folder / "brand.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        )


class Receiver:
    """The team's webhook: counts what arrives."""

    def __init__(self) -> None:
        self.count = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.count += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: t.Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/hook"


def rows(history: str) -> int:
    with History(history) as store:
        return sum(store.count(table) for table in TABLES)


def watch(
    label: str,
    shards: int,
    workers: int,
    cwd: Path,
    env: dict[str, str],
    sandbox: Sandbox,
    receiver: Receiver,
    accounts: int,
) -> dict[str, t.Any]:
    before_rows, before_alerts = rows(env["BRANDKIT_HISTORY"]), receiver.count
    sandbox.clear_requests()
    commands = [
        [sys.executable, "-c", WRAPPER, "watch", "brands", "-q"]
        + ["--notify", "env:TEAM_WEBHOOK", "--workers", str(workers)]
        + (["--shard", f"{k}/{shards}"] if shards > 1 else [])
        for k in range(1, shards + 1)
    ]
    started = time.perf_counter()
    jobs = [
        subprocess.Popen(
            c, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for c in commands
    ]
    outs = [job.communicate() for job in jobs]
    wall = time.perf_counter() - started
    codes = [job.returncode for job in jobs]
    peaks = [
        int(line.split("=")[1]) // 1024
        for _, err in outs
        for line in err.splitlines()
        if line.startswith("peak_kb=")
    ]
    for code, (_, err) in zip(codes, outs, strict=True):
        if code not in (0, 2):
            print(err[-2000:], file=sys.stderr)
    requests = sum(1 for r in sandbox.requests if r.platform != "control")
    if os.environ.get("SHOW_REQUESTS"):
        import collections
        import re

        kinds = collections.Counter(
            (r.platform, r.method, re.sub(r"\d{3,}|brand\d+[\w.-]*|b\d+-\w+", "#", r.path))
            for r in sandbox.requests
        )
        for kind, count in kinds.most_common():
            print(f"  {count:6d} {kind}")
    time.sleep(0.5)  # the last webhook posts land
    result = {
        "run": label,
        "processes": shards,
        "wall_s": round(wall, 1),
        "requests_per_account": round(requests / accounts, 2),
        "peak_mb": max(peaks) if peaks else None,
        "rows_written": rows(env["BRANDKIT_HISTORY"]) - before_rows,
        "alerts": receiver.count - before_alerts,
        "exit_codes": sorted(codes),
    }
    print(result, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brands", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--revoke", type=int, default=50)
    args = parser.parse_args()
    accounts = args.brands * len(PLATFORMS)
    with (
        tempfile.TemporaryDirectory(prefix="brandkit-agency-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        folder = Path(tmp)
        t0 = time.perf_counter()
        make_workspace(folder / "brands", args.brands)
        brands = [brandkit.load(p) for p in expand([str(folder / "brands")])]
        took = time.perf_counter() - t0
        print(f"workspace: {args.brands} brands, {accounts} accounts ({took:.0f} s)")
        sandbox = stack.enter_context(Sandbox())
        t0 = time.perf_counter()
        env = {**os.environ, **provision(sandbox, brands), "XDG_CACHE_HOME": str(folder / "cache")}
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
        print(f"sandbox: provisioned in {time.perf_counter() - t0:.0f} s")
        receiver = Receiver()
        env["TEAM_WEBHOOK"] = receiver.url
        sandbox.set_latency(args.latency)
        results = []
        for backend in args.backends.split(","):
            if backend == "postgresql":
                from tests.postgres import running

                server = stack.enter_context(running())
                env["BRANDKIT_HISTORY"] = server.new_database()
            else:
                env["BRANDKIT_HISTORY"] = str(folder / f"history-{len(results)}.sqlite")
            for name in ("first", "repeated"):
                results.append(
                    watch(f"{backend} {name}", 4, 8, folder, env, sandbox, receiver, accounts)
                )
            results.append(
                watch(f"{backend} repeated", 1, 32, folder, env, sandbox, receiver, accounts)
            )
            revoked = [b.accounts[1] for b in brands[: args.revoke]]  # their Mastodon accounts
            tokens = [env[dict(a.credentials)["access_token"]] for a in revoked]
            with sandbox.state.edit() as data:
                kept = {token: data["mastodon"]["tokens"].pop(token) for token in tokens}
            label = f"{backend} {args.revoke} revoked"
            results.append(watch(label, 4, 8, folder, env, sandbox, receiver, accounts))
            with sandbox.state.edit() as data:  # the tokens back, for the next backend
                data["mastodon"]["tokens"].update(kept)
        print("\n| run | processes | wall | requests/account | peak MB | rows | alerts |")
        print("|---|---|---|---|---|---|---|")
        for r in results:
            print(
                f"| {r['run']} | {r['processes']} | {r['wall_s']} s | {r['requests_per_account']} "
                f"| {r['peak_mb']} | {r['rows_written']} | {r['alerts']} |"
            )


if __name__ == "__main__":
    main()

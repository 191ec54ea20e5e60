"""`check` over 200 sandbox accounts with 100 ms of latency on every call.

    python benchmarks/check_scale.py [--accounts 200] [--latency 0.1] [--workers 8]

Brings 200 Twitter/X accounts in sync (apply, no latency), then injects the latency and runs:
  1. a check with an empty cache: what every run costs without one (each live image downloaded),
  2. a repeated check: live images and comparisons come from the cache keyed by image URL.
Prints wall time and sandbox requests per account for each.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import brandkit  # noqa: E402
from brandkit.retry import RetryPolicy  # noqa: E402
from brandkit.sync import SyncOptions, apply, plan  # noqa: E402
from brandkit.sync.sandboxing import provision, start_sandbox  # noqa: E402


def make_spec(folder: Path, accounts: int) -> Path:
    shutil.copytree(REPO / "examples" / "northwind" / "logos", folder / "logos")
    base = (REPO / "examples" / "northwind" / "brand.yaml").read_text()
    head = base[: base.index("accounts:")]
    lines = ["accounts:"]
    for i in range(accounts):
        lines += [f"  - id: acct-{i:03d}", "    platform: twitter", f"    handle: northwind{i:03d}",
                  "    credentials:", f"      consumer_key: N{i}_CK", f"      consumer_secret: N{i}_CS",
                  f"      access_token: N{i}_AT", f"      access_token_secret: N{i}_ATS"]
    spec = folder / "brand.yaml"
    spec.write_text(head + "\n".join(lines) + "\n")
    return spec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    brand = brandkit.load(make_spec(folder, args.accounts))
    sandbox = start_sandbox(folder / ".brandkit" / "sandbox")
    try:
        env = provision(sandbox, [brand])
        options = SyncOptions(env=env, state_dir=folder / ".brandkit", workers=args.workers,
                              retry=RetryPolicy(budget=30))
        start = time.perf_counter()
        result = apply([brand], options)
        print(f"setup: apply to {args.accounts} accounts: {time.perf_counter() - start:.1f} s, {result.summary()}")
        sandbox.set_latency(args.latency)
        print(f"{args.accounts} accounts, {args.latency * 1000:.0f} ms latency per call, {args.workers} workers")
        shutil.rmtree(folder / ".brandkit" / "cache")
        for label in ("check, empty cache", "check, repeated"):
            sandbox.clear_requests()
            start = time.perf_counter()
            checked = plan([brand], options)
            wall = time.perf_counter() - start
            assert checked.exit_code() == 0, checked.summary()
            per = len(sandbox.requests) / args.accounts
            print(f"  {label:20} {wall:6.2f} s  {len(sandbox.requests):5} requests  {per:.2f} per account")
    finally:
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

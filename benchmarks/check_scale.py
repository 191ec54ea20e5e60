"""`check` over 200 Twitter/X accounts and 200 Facebook Pages with 100 ms of latency on every call.

    python benchmarks/check_scale.py [--accounts 200] [--pages 200] [--latency 0.1] [--workers 8]

Brings the accounts in sync (apply, no latency), then injects the latency and runs, per platform:
  1. a check with an empty cache: what every run costs without one (each live image downloaded),
  2. a repeated check: live images and comparisons come from the cache keyed by image URL.
Prints wall time and sandbox requests per account for each.
"""

from __future__ import annotations

import argparse
import dataclasses
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


def make_spec(folder: Path, accounts: int, pages: int) -> Path:
    shutil.copytree(REPO / "examples" / "northwind" / "logos", folder / "logos")
    base = (REPO / "examples" / "northwind" / "brand.yaml").read_text()
    head = base[: base.index("accounts:")]
    lines = ["accounts:"]
    for i in range(accounts):
        lines += [
            f"  - id: acct-{i:03d}",
            "    platform: twitter",
            f"    handle: northwind{i:03d}",
            "    credentials:",
            f"      consumer_key: N{i}_CK",
            f"      consumer_secret: N{i}_CS",
            f"      access_token: N{i}_AT",
            f"      access_token_secret: N{i}_ATS",
        ]
    for i in range(pages):
        lines += [
            f"  - id: page-{i:03d}",
            "    platform: facebook",
            f'    page_id: "{10**14 + i}"',
            "    credentials:",
            f"      page_token: P{i}_TOKEN",
        ]
    spec = folder / "brand.yaml"
    spec.write_text(head + "\n".join(lines) + "\n")
    return spec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    brand = brandkit.load(make_spec(folder, args.accounts, args.pages))
    sandbox = start_sandbox(folder / ".brandkit" / "sandbox")
    try:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env,
            state_dir=folder / ".brandkit",
            workers=args.workers,
            retry=RetryPolicy(budget=30),
        )
        start = time.perf_counter()
        result = apply([brand], options)
        print(
            f"setup: apply to {len(brand.accounts)} accounts: {time.perf_counter() - start:.1f} s, "
            f"{result.summary()}"
        )
        sandbox.set_latency(args.latency)
        print(f"{args.latency * 1000:.0f} ms latency per call, {args.workers} workers")
        for platform, count in (("twitter", args.accounts), ("facebook", args.pages)):
            if not count:
                continue
            only = dataclasses.replace(
                brand, accounts=tuple(a for a in brand.accounts if a.platform == platform)
            )
            shutil.rmtree(folder / ".brandkit" / "cache", ignore_errors=True)
            for label in ("check, empty cache", "check, repeated"):
                sandbox.clear_requests()
                start = time.perf_counter()
                checked = plan([only], options)
                wall = time.perf_counter() - start
                assert checked.exit_code() == 0, checked.summary()
                per = len(sandbox.requests) / count
                print(
                    f"  {count} {platform:8} {label:20} {wall:6.2f} s  {len(sandbox.requests):5} "
                    "requests  "
                    f"{per:.2f} per account"
                )
    finally:
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

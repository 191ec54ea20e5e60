"""`stats` over many sandbox accounts (X accounts and Facebook Pages, half each) with latency on
every call, beside the loop a user would script with the same clients: one account after the
other (what a spreadsheet macro or a cron script does).

    python benchmarks/stats_scale.py [--accounts 1000] [--latency 0.1] [--workers 8]

Prints wall time and sandbox requests per account for each. Goal: <= 2 requests per account and
<= 20 s for 1 000 accounts with the default pool.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from check_scale import make_spec  # noqa: E402

import brandkit  # noqa: E402
from brandkit.audience.collect import collect  # noqa: E402
from brandkit.retry import RetryPolicy  # noqa: E402
from brandkit.sync import SyncOptions  # noqa: E402
from brandkit.sync.sandboxing import provision, start_sandbox  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        half = args.accounts // 2
        brand = brandkit.load(make_spec(folder, half, args.accounts - half))
        sandbox = start_sandbox(folder / ".brandkit" / "sandbox")
        try:
            env = provision(sandbox, [brand])
            options = SyncOptions(
                env=env,
                state_dir=folder / ".brandkit",
                workers=args.workers,
                retry=RetryPolicy(budget=30),
            )
            sandbox.set_latency(args.latency)
            rows = []
            for label, workers in (("brandkit stats (pool)", args.workers), ("one by one", 1)):
                if workers == 1 and args.accounts > 100:
                    # the sequential loop is measured on 100 accounts and scaled: 1 000 would
                    # take minutes and say nothing more
                    subset = dataclasses.replace(
                        brand, accounts=brand.accounts[:50] + brand.accounts[half : half + 50]
                    )
                    scale = len(brand.accounts) / len(subset.accounts)
                else:
                    subset, scale = brand, 1.0
                sandbox.clear_requests()
                start = time.perf_counter()
                result = collect(
                    [subset],
                    dataclasses.replace(options, workers=workers),
                    history=folder / f"h{workers}.sqlite",
                )
                wall = (time.perf_counter() - start) * scale
                failed = [a for a in result.accounts if a.error]
                assert not failed, failed[0].error
                rows.append((label, wall, sandbox.count() / len(subset.accounts), scale != 1.0))
        finally:
            sandbox.stop()
    print(
        f"stats over {args.accounts} accounts ({half} X, {args.accounts - half} Pages), "
        f"{args.latency * 1000:.0f} ms latency per call, {args.workers} workers\n"
    )
    print(f"{'':26} {'wall s':>8} {'req/account':>12}")
    for label, wall, per, scaled in rows:
        print(
            f"{label:26} {wall:8.1f} {per:12.2f}" + ("  (100 accounts, scaled)" if scaled else "")
        )
    print(f"\nbrandkit is {rows[1][1] / rows[0][1]:.1f}x faster than the loop")


if __name__ == "__main__":
    main()

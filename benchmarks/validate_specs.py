"""Validate 100 specs: brandkit (schema + semantic checks + file inspection) beside the
alternative a user would otherwise script: yaml.safe_load + jsonschema on the same files.

    python benchmarks/validate_specs.py [--rounds 5]

Prints medians over rounds and the ratio; both run in this process, one after the other.
brandkit runs with BRANDKIT_CACHE=off: every spec is checked in full, as if just edited (with the
cache, a spec that passed before is read back in ~1 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

os.environ["BRANDKIT_CACHE"] = "off"  # measure the checks, not the cache

import brandkit  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SPECS = [
    REPO / "examples" / "northwind" / "brand.yaml",
    REPO / "examples" / "lumen" / "brand.yaml",
    REPO / "examples" / "posit" / "_brand.yml",
]


def run_brandkit(paths: list[Path]) -> None:
    for p in paths:
        assert brandkit.validate(p).ok


def run_plain_jsonschema(paths: list[Path]) -> None:
    schema = json.loads((REPO / "schemas" / "brand.schema.json").read_text())
    validator = Draft202012Validator(schema)
    for p in paths:
        list(validator.iter_errors(yaml.safe_load(p.read_text())))


def median_seconds(fn: object, paths: list[Path], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(paths)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    paths = [SPECS[i % len(SPECS)] for i in range(100)]
    run_brandkit(paths[:3])  # warm caches (schema, fonts) as a long-running CLI would
    ours = median_seconds(run_brandkit, paths, args.rounds)
    plain = median_seconds(run_plain_jsonschema, paths, args.rounds)
    print(f"100 specs, median of {args.rounds} rounds")
    print(
        f"  brandkit validate (schema + semantic + files): {ours * 1000:8.1f} ms  ({ours * 10:.2f} "
        "ms/spec)"
    )
    print(
        f"  yaml.safe_load + jsonschema only:              {plain * 1000:8.1f} ms  "
        f"({plain * 10:.2f} ms/spec)"
    )
    print(f"  ratio brandkit / plain: {ours / plain:.2f}x")


if __name__ == "__main__":
    main()

"""Validate 100 specs: brandkit (schema + semantic checks + file inspection) beside the
alternative a user would otherwise script: yaml.safe_load + jsonschema on the same files.

    python benchmarks/validate_specs.py [--rounds 5]

Prints medians over rounds and the ratios; everything runs in this process, one after the other.
brandkit three ways: every check as `brandkit validate` runs them (schema, semantic checks, file
inspection and the render checks, which draw each logo on each background at probe size); the
same without the render checks (what the plain script's schema check compares with); and a spec
that passed before, read back from the validation cache. The first two run with
BRANDKIT_CACHE=off (every spec checked in full, as if just edited).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

import brandkit

REPO = Path(__file__).resolve().parent.parent
SPECS = [
    REPO / "examples" / "northwind" / "brand.yaml",
    REPO / "examples" / "lumen" / "brand.yaml",
    REPO / "examples" / "posit" / "_brand.yml",
]


def run_brandkit(paths: list[Path]) -> None:
    for p in paths:
        assert brandkit.validate(p).ok


def run_brandkit_without_render_checks(paths: list[Path]) -> None:
    for p in paths:
        assert brandkit.validate(p, render_checks=False).ok


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
    os.environ["BRANDKIT_CACHE"] = "off"  # checked in full
    run_brandkit(paths[:3])  # warm in-process caches (fonts, schema) as a long-running CLI would
    full = median_seconds(run_brandkit, paths, args.rounds)
    core = median_seconds(run_brandkit_without_render_checks, paths, args.rounds)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["BRANDKIT_CACHE"] = cache
        run_brandkit(paths[:3])  # each spec passes once
        again = median_seconds(run_brandkit, paths, args.rounds)
    plain = median_seconds(run_plain_jsonschema, paths, args.rounds)
    print(f"100 specs, median of {args.rounds} rounds")
    for label, seconds in (
        ("brandkit validate, every check (render checks too)", full),
        ("brandkit validate, schema + semantic + files", core),
        ("brandkit validate, passed before (read back)", again),
        ("yaml.safe_load + jsonschema only", plain),
    ):
        print(f"  {label:52} {seconds * 1000:8.1f} ms  ({seconds * 10:5.2f} ms/spec)")
    print(
        f"  ratios to the plain script: {full / plain:.2f}x, {core / plain:.2f}x, "
        f"{again / plain:.2f}x"
    )


if __name__ == "__main__":
    main()

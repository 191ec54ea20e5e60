"""``brandkit sandbox``: run the local platform emulator in the foreground."""

from __future__ import annotations

import argparse
import signal
import threading
import typing as t
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser(
        "sandbox", help="run the local emulator of the platforms brandkit writes to (Ctrl-C stops)"
    )
    p.add_argument("--port", type=int, default=8443)
    p.add_argument(
        "--state",
        default=".brandkit/sandbox",
        metavar="DIR",
        help="folder that keeps accounts and images between runs (default: .brandkit/sandbox)",
    )
    p.set_defaults(run=run, stop_event=None)


def run(args: argparse.Namespace) -> int:
    # imported here: TLS and the emulator load only for this command
    from brandkit.sandbox import Sandbox

    stop: threading.Event = args.stop_event or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # `kill` stops it as cleanly as Ctrl-C
    with Sandbox(port=args.port, state_dir=Path(args.state)) as sandbox:
        apis = sandbox.server.apis.values()
        demo = [api.add_demo_account() for api in apis]
        print(f"brandkit sandbox on {sandbox.url}  (state: {args.state})")
        for api in apis:
            print("  " + api.describe(sandbox.url))
        print(f"  control          {sandbox.url}/_sandbox/ (faults, requests, latency, accounts)")
        print("\nexport these to point brandkit (or your own scripts) at it:")
        for key, value in sandbox.env().items():
            print(f"  export {key}={value}")
        print("\nready-made test accounts (sandbox-only credentials):")
        for line in demo:
            print("  " + line)
        print("\nCtrl-C stops it.", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            print("stopped")
    return 0

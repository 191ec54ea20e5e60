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
        "sandbox", help="run the local Twitter/Facebook/Mailchimp emulator (Ctrl-C stops it)"
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
    from brandkit.sandbox.seed import seed_demo_accounts

    stop: threading.Event = args.stop_event or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # `kill` stops it as cleanly as Ctrl-C
    with Sandbox(port=args.port, state_dir=Path(args.state)) as sandbox:
        demo = seed_demo_accounts(sandbox)
        print(f"brandkit sandbox on {sandbox.url}  (state: {args.state})")
        print(f'  Twitter/X v1.1   {sandbox.url}/1.1/      tweepy.API(..., host="{sandbox.host}")')
        print(f"  Facebook Graph   {sandbox.url}/v26.0/")
        print(
            f"  Mailchimp        {sandbox.url}/3.0/      client.api_client.host = "
            f'"{sandbox.url}/3.0"'
        )
        print(f"  control          {sandbox.url}/_sandbox/ (faults, requests, latency, accounts)")
        print("\nexport these to point brandkit (or your own scripts) at it:")
        for key, value in sandbox.env().items():
            print(f"  export {key}={value}")
        print("\nready-made test accounts (sandbox-only credentials):")
        tw, fb, mc = demo["twitter"], demo["facebook"], demo["mailchimp"]
        print(
            f"  twitter   @{tw['handle']}: consumer {tw['consumer_key']} / "
            f"{tw['consumer_secret']}, "
            f"token {tw['access_token']} / {tw['access_token_secret']}"
        )
        print(f"  facebook  page {fb['page_id']}: page token {fb['page_token']}")
        print(f"  mailchimp audience {mc['audience_id']}: api key {mc['api_key']}")
        print("\nCtrl-C stops it.", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            print("stopped")
    return 0

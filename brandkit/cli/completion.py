"""``brandkit completion bash|zsh|fish``: a completion script generated from the real parser."""

from __future__ import annotations

import argparse
import typing as t

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser(
        "completion",
        help="print the shell completion script",
        description="Print a completion script for your shell, generated from brandkit's own "
        "commands and options.",
        epilog="example: brandkit completion bash > ~/.local/share/bash-completion/completions/"
        "brandkit   (zsh: into a folder on $fpath as _brandkit; fish: "
        "~/.config/fish/completions/brandkit.fish)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=("bash", "zsh", "fish"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import shtab

    from brandkit.cli import build_parser

    print(shtab.complete(build_parser(), shell=args.shell))
    return 0

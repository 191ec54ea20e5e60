"""The ``brandkit`` command. Each command is a module with ``add_parser`` and
``run(args) -> int``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import typing as t

from brandkit._version import __version__
from brandkit.errors import BrandkitError, SpecError
from brandkit.i18n import _, localize, use_language

__all__ = ["build_parser", "main"]

# the commands in the order --help lists them; each is the module brandkit.cli.<name>, imported
# only when needed (a command line names one: a no-op `brandkit render` should not pay for the
# other twelve)
_COMMANDS = (
    "init",
    "validate",
    "render",
    "export",
    "plan",
    "apply",
    "check",
    "restore",
    "handoff",
    "review",
    "stats",
    "report",
    "watch",
    "history",
    "sandbox",
    "completion",
)


def _module(name: str) -> t.Any:
    return importlib.import_module(f"brandkit.cli.{name}")


def _named_command(argv: t.Sequence[str]) -> str | None:
    """The command a command line names, if it is one (global options may come first)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif arg in ("-h", "--help", "--version"):  # about brandkit itself: every command
            return None
        elif not arg.startswith("-"):
            return arg if arg in _COMMANDS else None
    return None


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)

    # Exit code 2 means "drift" for `brandkit check`, so usage errors exit 1 like any error.
    def error(self, message: str) -> t.NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``only``: just that command's part (same options, same help)."""
    parser = _Parser(
        prog="brandkit", description="Keep a brand identical everywhere it appears online."
    )
    parser.add_argument("--version", action="version", version=f"brandkit {__version__}")
    parser.add_argument(
        "--traceback", action="store_true", help="show a full traceback on unexpected errors"
    )
    lang_help = "language of brandkit's messages (en, fr; default: LANGUAGE, LC_ALL, LANG...)"
    parser.add_argument("--lang", metavar="LANG", help=lang_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in (only,) if only else _COMMANDS:
        _module(name).add_parser(sub)
    for name, command_parser in sub.choices.items():  # --lang after the command name too
        if name != "completion":
            command_parser.add_argument(
                "--lang", metavar="LANG", default=argparse.SUPPRESS, help=lang_help
            )
    for name, example in _EXAMPLES.items():  # every --help ends with a line to copy
        if name in sub.choices and not sub.choices[name].epilog:
            sub.choices[name].epilog = f"example: {example}"
    return parser


_EXAMPLES = {
    "init": "brandkit init my-brand",
    "validate": "brandkit validate brand.yaml --strict",
    "render": "brandkit render brand.yaml -o out --preview",
    "plan": "brandkit plan brand.yaml --out plan.json",
    "apply": "brandkit apply brand.yaml   (add --sandbox to try it on the built-in emulator)",
    "check": "brandkit check brand.yaml --report report.html   (exit 0 in sync, 2 drift, 1 error)",
    "restore": "brandkit restore .brandkit/backups/20261201T120000Z",
    "handoff": "brandkit handoff brand.yaml -o handoff   (then open handoff/index.html)",
    "review": "brandkit review comment comment.md   (in the GitHub Action's plan step)",
    "stats": "brandkit stats brand.yaml --format json",
    "report": "brandkit report brand.yaml --period month -o report.html",
    "watch": "brandkit watch brand.yaml --notify env:TEAM_WEBHOOK",
    "history": "brandkit history migrate --from .brandkit/history.sqlite --to postgresql://brandkit@db/brandkit",
    "sandbox": "brandkit sandbox   (then point a client at the printed address)",
    "export": "brandkit export brand.yaml --format css -o brand.css",
    "completion": "brandkit completion bash > ~/.local/share/bash-completion/completions/brandkit",
}


def main(argv: t.Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=_named_command(given))
    args = parser.parse_args(given)
    use_language(args.lang)
    try:
        return int(args.run(args))
    except SpecError as exc:
        for issue in exc.issues:
            print(issue.format(), file=sys.stderr)
        return 1
    except BrandkitError as exc:
        print(_("error: {message}").format(message=_said(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # the one place an unexpected error becomes a message
        if args.traceback or os.environ.get("BRANDKIT_TRACEBACK"):
            import traceback

            traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "this is a bug in brandkit; re-run with --traceback and report it",
            file=sys.stderr,
        )
        return 1


def _said(exc: BrandkitError) -> str:
    """An error's message in the user's language (brandkit's errors keep their Message)."""
    return localize(str(exc))

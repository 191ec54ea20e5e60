"""Options and set-up shared by plan, apply, check and restore (including ``--sandbox``)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import typing as t

from brandkit.adapters import Endpoints
from brandkit.cli._bar import TerminalBar
from brandkit.cli._common import load_specs, state_folder
from brandkit.spec.model import Brand
from brandkit.sync import SyncOptions

__all__ = ["Progress", "confirm", "environment", "sync_context"]


@contextlib.contextmanager
def sync_context(
    args: argparse.Namespace, specs: t.Sequence[str]
) -> t.Iterator[tuple[list[Brand], SyncOptions]]:
    brands = _workspace(args, load_specs(specs))
    roots = getattr(args, "roots", [])
    state = state_folder(args.state or (str(roots[0] / ".brandkit") if roots else None), specs)
    env = environment(brands, quiet=args.quiet)
    with contextlib.ExitStack() as stack:
        if args.sandbox:
            from brandkit.sync.sandboxing import provision, start_sandbox

            sandbox = start_sandbox(state / "sandbox")
            stack.callback(sandbox.stop)  # stopped however provisioning or the command ends
            env.update(provision(sandbox, brands))
            args.running_sandbox = sandbox  # handoff plays the person's part there
        from brandkit.retry import RetryPolicy

        total = sum(len(b.accounts) for b in brands)
        progress = stack.enter_context(_progress(args.quiet, total))
        yield (
            brands,
            SyncOptions(
                env=env,
                endpoints=Endpoints.from_env(env),  # refused here, once, when not https
                state_dir=state,
                workers=args.workers,
                retry=RetryPolicy(budget=args.retry_budget),
                force=getattr(args, "force", False),
                settle_timeout=args.settle_timeout,
                progress=progress,
            ),
        )


def _workspace(args: argparse.Namespace, brands: list[Brand]) -> list[Brand]:
    """Each brand with its client; only the clients and platforms asked for."""
    from brandkit.errors import ConfigError
    from brandkit.workspace import select, with_clients

    brands = with_clients(brands, getattr(args, "roots", []))
    clients, platforms = getattr(args, "client", []), getattr(args, "platform", [])
    if not (clients or platforms):
        return brands
    chosen = select(brands, clients=clients, platforms=platforms)
    if not chosen:
        known = sorted({b.identity.client or "" for b in brands} - {""})
        raise ConfigError(
            f"no account matches --client {', '.join(clients) or '(any)'} --platform "
            f"{', '.join(platforms) or '(any)'} (clients here: {', '.join(known) or 'none'})"
        )
    return chosen


def environment(brands: t.Sequence[Brand], quiet: bool = False) -> dict[str, str]:
    """The process environment, plus the credentials the specs name that it lacks, from
    ``BRANDKIT_SECRETS`` (a JSON object, e.g. a CI's ``toJSON(secrets)``) or a ``.env`` file
    beside each spec. Only variables a spec names as credentials are taken from either: a
    ``.env`` in a checkout (which a pull request can add) can never point brandkit at another
    server (``BRANDKIT_*_URL``) or CA, nor set anything else; the real environment always wins.
    Names are said, values never."""
    from brandkit.errors import BrandkitError
    from brandkit.i18n import _

    env: dict[str, str] = dict(os.environ)
    wanted = {var for b in brands for a in b.accounts for _role, var in a.credentials}

    def missing() -> list[str]:
        return sorted(n for n in wanted if not env.get(n))

    bundle = env.pop("BRANDKIT_SECRETS", "")
    if bundle and missing():
        try:
            secrets = json.loads(bundle)
        except ValueError:
            secrets = None
        if not isinstance(secrets, dict):
            raise BrandkitError(
                _("BRANDKIT_SECRETS is not a JSON object of names and values (values not shown)")
            )
        taken = [n for n in missing() if isinstance(secrets.get(n), str) and secrets[n]]
        env.update({n: secrets[n] for n in taken})
        if taken and not quiet:
            said = _("credentials: BRANDKIT_SECRETS sets {names}")
            print(said.format(names=", ".join(taken)), file=sys.stderr)
    for folder in dict.fromkeys(brand.source.parent for brand in brands):
        path = folder / ".env"
        if not path.is_file():
            continue
        from dotenv import dotenv_values

        values = dotenv_values(path)
        added = [n for n in missing() if values.get(n)]
        for name in added:
            env[name] = t.cast(str, values[name])
        ignored = sorted(n for n in values if n not in wanted)
        if added and not quiet:  # names only: values never appear in output
            said = _("credentials: {path} sets {names}")
            print(said.format(path=path, names=", ".join(sorted(added))), file=sys.stderr)
        if ignored and not quiet:
            said = _(
                "{path}: ignored {names} (a .env beside the spec may only set the credentials "
                "the spec names; endpoints and CA bundles come from the real environment)"
            )
            print(said.format(path=path, names=", ".join(ignored)), file=sys.stderr)
    return env


class Progress:
    """What a command shows while accounts are handled: a bar on a terminal (failures and waits
    printed above it), only failures and waits in a log (the results are printed once, at the
    end), nothing with --quiet. ``phase`` starts a new count; ``paused`` clears the bar for a
    question."""

    def __init__(self, quiet: bool, total: int) -> None:
        self.quiet, self.total = quiet, total
        self.bar: TerminalBar | None = None

    def __call__(self, line: str) -> None:
        from brandkit.i18n import localize

        kind = line.split()[0] if line.strip() else ""  # the English line's first word
        if self.quiet:
            return
        if self.bar is None:
            if kind in ("error", "failed", "waiting"):
                print(localize(line), file=sys.stderr, flush=True)
            return
        if kind in ("error", "failed", "waiting"):
            self.bar.print_above(localize(line))
        if kind != "waiting":  # a wait is not an account done
            self.bar.advance()

    def phase(self, name: str) -> None:
        if self.bar is not None:
            self.bar.reset(name, self.total)

    @contextlib.contextmanager
    def paused(self) -> t.Iterator[None]:
        if self.bar is None:
            yield
            return
        self.bar.stop()  # transient: the bar is erased, the question stands alone
        try:
            yield
        finally:
            self.bar.start()


@contextlib.contextmanager
def _progress(quiet: bool, total: int) -> t.Iterator[Progress]:
    """A progress bar on a terminal; failures and waits only elsewhere (CI logs)."""
    progress = Progress(quiet, total)
    if quiet or not sys.stderr.isatty():
        yield progress
        return
    from brandkit.i18n import _

    progress.bar = TerminalBar(sys.stderr, _("reading"), total)
    progress.bar.start()
    try:
        yield progress
    finally:
        progress.bar.stop()


def yes_words() -> set[str]:
    """The answers that mean yes: English's always, and the user's language's (o/oui)."""
    from brandkit.i18n import _

    # TRANSLATORS: the answers that mean "yes" at a prompt, separated by |; the first is shown
    return {"y", "yes", *(w.strip().lower() for w in _("y|yes").split("|") if w.strip())}


def confirm(options: SyncOptions, question: str) -> bool:
    """Ask on the terminal, with the progress bar out of the way; end of input (Ctrl-D) and
    anything but a yes is no. Without a terminal there is no one to ask: refuse."""
    from brandkit.errors import PlanError
    from brandkit.i18n import _

    if not sys.stdin.isatty():
        raise PlanError(_("nothing written: pass --yes to write without a terminal to confirm on"))
    words = _("y|yes").split("|")
    short, full = words[0], words[-1]
    progress = options.progress if isinstance(options.progress, Progress) else None
    with progress.paused() if progress is not None else contextlib.nullcontext():
        try:
            answer = input(
                _("{question} [{y}/N] ({y} or {yes} to go on) ").format(
                    question=question, y=short, yes=full
                )
            )
        except EOFError:
            print()
            return False
    return answer.strip().lower() in yes_words()

"""plan / apply / check / restore across every account of every brand.

For each account (concurrently, in a bounded pool): derive the desired state from the brand and
its rendered assets, read the live state, diff them (``diff.py``). ``apply`` then refuses a
change that needs ``--force`` (the reasons are in the plan already), backs up what it will
replace (``backup.py``) before its first write, writes only the differences, and verifies by
reading again. ``restore`` is the same write path with the backup's values as the desired
state. One failing account never stops the others.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import typing as t
from pathlib import Path

from brandkit.adapters import Adapter, Desired, LiveState
from brandkit.errors import AuthError, BrandkitError, PlanError, UnsafeChangeError
from brandkit.i18n import msg
from brandkit.platforms.registry import ADAPTERS
from brandkit.retry import RetryPolicy, call_with_retries
from brandkit.spec.model import Account, Brand
from brandkit.sync.assets import account_assets
from brandkit.sync.backup import Backup, read_backup
from brandkit.sync.cache import SyncCache
from brandkit.sync.diff import diff, live_image
from brandkit.sync.ledger import Ledger, Written, image_inputs
from brandkit.sync.locks import apply_lock
from brandkit.sync.model import (
    AccountPlan,
    AccountResult,
    ApplyResult,
    Change,
    ImageChange,
    Plan,
    TextChange,
)
from brandkit.sync.options import SyncOptions
from brandkit.sync.revision import spec_revision
from brandkit.sync.runner import describe_failure, every_account, open_adapter, run_jobs

__all__ = ["AccountResult", "ApplyResult", "SyncOptions", "apply", "plan", "restore"]

# how an account's desired state is made: from the brand (plan, apply) or from a backup (restore)
DesiredOf = t.Callable[[Adapter], Desired]


def _identity(change: Change) -> tuple[str, str, str, str | None]:
    """What a change writes: field, kind, value and image file."""
    image = change.new_image if isinstance(change, ImageChange) else None
    return change.field, change.kind, json.dumps(change.after, sort_keys=True), image


def _plan_with(
    adapter: Adapter,
    desired: Desired,
    brand: Brand,
    cache: SyncCache,
    policy: RetryPolicy,
    ledger: Ledger,
) -> AccountPlan:
    live = call_with_retries(lambda: adapter.live(desired), policy)
    written = ledger.account(adapter.platform, adapter.account.id)
    inputs = image_inputs(brand, adapter)
    changes = diff(adapter, live, adapter.expected(desired, live), cache, policy, written, inputs)
    return AccountPlan(
        brand.identity.name,
        adapter.platform,
        adapter.account.id,
        tuple(changes),
        live.record(),
        spec=str(brand.source),
        cannot_write=live.cannot_write,
        spec_sha256=spec_revision(brand.source)[0],
        commit=spec_revision(brand.source)[1],
    )


# -- plan / check ---------------------------------------------------------------------------------
def _plan_account(
    brand: Brand,
    account: Account,
    assets: t.Mapping[str, Path],
    options: SyncOptions,
    cache: SyncCache,
) -> AccountPlan:
    try:
        adapter = open_adapter(account, options)
        try:
            desired = call_with_retries(lambda: adapter.desired(brand, assets), options.retry)
            ledger = Ledger(options.state_dir)
            return _plan_with(adapter, desired, brand, cache, options.retry, ledger)
        finally:
            adapter.close()
    except Exception as exc:  # any failure stays with its account; the others go on
        return AccountPlan(
            brand.identity.name,
            account.platform,
            account.id,
            error=describe_failure(exc),
            spec=str(brand.source),
            auth_failed=isinstance(exc, AuthError),
        )


def plan(brands: t.Sequence[Brand], options: SyncOptions | None = None) -> Plan:
    """Read every account and say what differs from the spec. Never writes to a platform."""
    options = options or SyncOptions()
    assets = account_assets(brands, options.state_dir)
    cache = SyncCache(options.state_dir / "cache")

    def job(brand: Brand, account: Account) -> t.Callable[[], AccountPlan]:
        def run() -> AccountPlan:
            with options.gates.account(account, options.env):
                result = _plan_account(brand, account, assets[brand.source], options, cache)
            where = f"{account.platform}:{account.id}"
            options.note(msg("{status} {account}", status=msg(result.status), account=where))
            return result

        return run

    return Plan(tuple(run_jobs([job(b, a) for b, a in every_account(brands)], options.workers)))


# -- apply -----------------------------------------------------------------------------------------
class _AccountSync:
    """Apply one account: plan it, check it against a saved plan and the guards, back it up,
    write, verify."""

    def __init__(
        self,
        brand: Brand,
        account: Account,
        options: SyncOptions,
        cache: SyncCache,
        backup: Backup,
        desired_of: DesiredOf,
        saved: AccountPlan | None = None,
        *,
        from_spec: bool = True,
    ) -> None:
        self.brand, self.account, self.options = brand, account, options
        self.cache, self.backup, self.desired_of, self.saved = cache, backup, desired_of, saved
        # images drawn from the spec (apply) are recorded in the ledger; a restore's are not
        self.from_spec = from_spec
        self.ledger = Ledger(options.state_dir)

    def result(
        self,
        status: t.Literal["ok", "changed", "failed", "by hand"],
        changes: t.Sequence[Change] = (),
        message: str = "",
    ) -> AccountResult:
        return AccountResult(
            self.brand.identity.name,
            self.account.platform,
            self.account.id,
            status,
            tuple(changes),
            message,
        )

    def run(self) -> AccountResult:
        try:
            adapter = open_adapter(self.account, self.options)
        except Exception as exc:
            return self.result("failed", message=describe_failure(exc))
        try:
            outcome = self._run(adapter)
        except Exception as exc:  # any failure stays with its account; the others go on
            outcome = self.result("failed", message=describe_failure(exc))
        finally:
            adapter.close()
        if adapter.notes:
            said = "; ".join(m for m in (outcome.message, *adapter.notes) if m)
            outcome = dataclasses.replace(outcome, message=said)
        return outcome

    def _changes(self, current: AccountPlan) -> tuple[Change, ...]:
        if self.saved is None:
            return current.changes
        if self.saved.spec_sha256 and self.saved.spec_sha256 != current.spec_sha256:
            made, here = self.saved.commit[:12], current.commit[:12]
            if not made or made == here:  # the same commit, the file edited since: say the hashes
                made, here = self.saved.spec_sha256[:12], current.spec_sha256[:12]
            raise PlanError(
                msg(
                    "the plan was made from another revision of {spec} ({made}; now {here}): "
                    "apply only what was reviewed; make a new plan from this one",
                    spec=current.spec,
                    made=made,
                    here=here or "?",
                )
            )
        if self.saved.fingerprint != current.fingerprint:
            before, now = self.saved.live, current.live
            moved = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
            raise PlanError(
                "the account changed since the plan was made ("
                + ", ".join(moved)
                + "); make a new plan"
            )
        # a saved plan is a file anyone could edit: apply only changes the spec still asks for
        asked = {_identity(c) for c in current.changes}
        extra = sorted(c.field for c in self.saved.changes if _identity(c) not in asked)
        if extra:
            raise PlanError(
                "the saved plan writes what the spec does not ask for now ("
                + ", ".join(extra)
                + "); make a new plan"
            )
        return self.saved.changes

    def _run(self, adapter: Adapter) -> AccountResult:
        policy = self.options.retry
        desired = call_with_retries(lambda: self.desired_of(adapter), policy)
        live = call_with_retries(lambda: adapter.live(desired), policy)
        current_changes = diff(
            adapter, live, adapter.expected(desired, live), self.cache, policy, *self._ours(adapter)
        )
        current = AccountPlan(
            self.brand.identity.name,
            adapter.platform,
            self.account.id,
            tuple(current_changes),
            live.record(),
            spec=str(self.brand.source),
            spec_sha256=spec_revision(self.brand.source)[0],
            commit=spec_revision(self.brand.source)[1],
        )
        planned = self._changes(current)
        if not planned:
            return self.result("ok")
        # what no API can write is left for a person (brandkit handoff); the rest is written
        left_by_hand = tuple(c for c in planned if c.by_hand)
        changes = tuple(c for c in planned if not c.by_hand)
        if not changes:
            return self.result("by hand", planned, _by_hand(left_by_hand))
        if live.cannot_write:  # said by plan already; nothing is tried
            return self.result("failed", changes, msg("cannot write: {why}", why=live.cannot_write))
        unsafe = [c.unsafe for c in changes if c.unsafe]
        if unsafe and not self.options.force:
            error = UnsafeChangeError(
                msg("refused without --force: {reasons}", reasons="; ".join(unsafe))
            )
            return self.result("failed", changes, str(error))
        if self.options.cancel.is_set():
            return self.result("failed", changes, "interrupted: nothing written to this account")
        self.backup.save(
            live,
            changes,
            adapter.platform,
            self.account.id,
            lambda url: live_image(adapter, url, self.cache, policy)[0],
        )
        # images first: text may refer to them (a newsletter template to its hosted header)
        written: list[str] = []
        steps = [c for c in changes if isinstance(c, ImageChange)]
        text = {c.field: c.after for c in changes if isinstance(c, TextChange)}
        for change in steps:
            if self.options.cancel.is_set():
                return self._interrupted(changes, written)
            path = Path(str(change.new_image))
            data = path.read_bytes()
            write = functools.partial(adapter.write_image, change.field, data, path.name, live)
            self._write(write, written, changes)
            written.append(change.field)
        if text:
            if self.options.cancel.is_set():
                return self._interrupted(changes, written)
            self._write(lambda: adapter.write_text(text, live), written, changes)
            written.extend(text)
        images = {c.field for c in changes if c.kind == "image"}
        left, after = self._verify(adapter, desired, images)
        left = [c for c in left if not c.by_hand]
        self._remember(adapter, desired, after, images - {c.field for c in left})
        if left:
            return self.result(
                "failed",
                changes,
                msg(
                    "written, but verification still sees: {fields}",
                    fields=", ".join(c.field for c in left),
                ),
            )
        return self.result("changed", planned, _by_hand(left_by_hand) if left_by_hand else "")

    def _write(
        self, write: t.Callable[[], None], written: list[str], changes: t.Sequence[Change]
    ) -> None:
        """One write, retried; when it fails after others went through, the message says what
        was and was not written (the backup holds what was replaced)."""
        try:
            call_with_retries(write, self.options.retry)
        except BrandkitError as exc:
            if not written:
                raise
            left = ", ".join(c.field for c in changes if c.field not in written)
            raise PlanError(
                msg(
                    "{exc}; written before it: {written}; not written: {left}",
                    exc=exc,
                    written=", ".join(written),
                    left=left,
                )
            ) from None

    def _interrupted(self, changes: t.Sequence[Change], written: list[str]) -> AccountResult:
        left = [c.field for c in changes if c.field not in written]
        said = (
            msg(
                "interrupted: wrote {written}; not written: {left} (the backup has what was "
                "replaced)",
                written=", ".join(written),
                left=", ".join(left),
            )
            if written
            else msg(
                "interrupted: not written: {left} (the backup has what was replaced)",
                left=", ".join(left),
            )
        )
        return self.result("failed", changes, said)

    def _ours(self, adapter: Adapter) -> tuple[dict[str, Written], dict[str, dict[str, str]]]:
        """What brandkit last uploaded to this account, and what the spec's images are drawn
        from now (a restore compares only pictures)."""
        if not self.from_spec:
            return {}, {}
        return (
            self.ledger.account(adapter.platform, self.account.id),
            image_inputs(self.brand, adapter),
        )

    def _remember(
        self, adapter: Adapter, desired: Desired, after: LiveState, fields: set[str]
    ) -> None:
        """Record the verified uploads (a restore's are forgotten: they are not the spec's)."""
        if not fields:
            return
        inputs = image_inputs(self.brand, adapter) if self.from_spec else {}
        entries: dict[str, Written | None] = {}
        for field in sorted(fields):
            url = after.images.get(field)
            if not self.from_spec or url is None:
                entries[field] = None
                continue
            sha = hashlib.sha256(desired.images[field].read_bytes()).hexdigest()
            entries[field] = Written(sha, url, inputs.get(field, {}))
        self.ledger.record(adapter.platform, self.account.id, entries)

    def _verify(
        self, adapter: Adapter, desired: Desired, images: set[str]
    ) -> tuple[list[Change], LiveState]:
        """Read again and diff. Images a platform processes after the upload may show late:
        while only those differ, re-read at growing intervals, up to ``settle_timeout``.
        Returns what still differs and the live state last read."""
        policy = self.options.retry
        waited, pause = 0.0, 0.25
        while True:
            after = call_with_retries(lambda: adapter.live(desired), policy)
            # judged by the pictures: the ledger cannot yet know the URLs of this upload
            left = diff(adapter, after, adapter.expected(desired, after), self.cache, policy)
            pending = sorted(c.field for c in left)
            if not left or not set(pending) <= images or waited >= self.options.settle_timeout:
                return left, after
            if waited == 0:
                where = f"{adapter.platform}:{self.account.id}"
                self.options.note(
                    msg(
                        "waiting {account}  the platform is still processing {fields} (checking "
                        "again for up to {seconds} s)",
                        account=where,
                        fields=", ".join(pending),
                        seconds=f"{self.options.settle_timeout:.0f}",
                    )
                )
            pause = min(pause, self.options.settle_timeout - waited)
            policy.sleep(pause)
            waited += pause
            pause = min(pause * 2, 5.0)


def _by_hand(changes: t.Sequence[Change]) -> str:
    return msg(
        "change by hand: {fields} (brandkit handoff writes the page that says how)",
        fields=", ".join(c.field for c in changes),
    )


def _sync_all(syncs: list[_AccountSync], options: SyncOptions, backup: Backup) -> ApplyResult:
    def job(sync: _AccountSync) -> t.Callable[[], AccountResult]:
        def run() -> AccountResult:
            with options.gates.account(sync.account, options.env):
                result = sync.run()
            where = f"{result.platform}:{result.account}"
            said = msg("{status} {account}", status=msg(result.status), account=where)
            if result.message:
                said = msg("{said}  {message}", said=said, message=result.message)
            options.note(said)
            return result

        return run

    results = tuple(run_jobs([job(s) for s in syncs], options.workers, options.cancel))
    return ApplyResult(
        results,
        backup.root if backup.exists else None,
        options.retry.waited,
        interrupted=options.cancel.is_set(),
    )


def apply(
    brands: t.Sequence[Brand], options: SyncOptions | None = None, *, saved: Plan | None = None
) -> ApplyResult:
    """Write only what differs; back up what is replaced; verify. With ``saved``, apply that plan
    only where the live state still matches what it saw."""
    options = options or SyncOptions()
    with apply_lock(options.state_dir, [str(b.source) for b in brands]):
        return _apply(brands, options, saved)


def _apply(brands: t.Sequence[Brand], options: SyncOptions, saved: Plan | None) -> ApplyResult:
    assets = account_assets(brands, options.state_dir)
    cache = SyncCache(options.state_dir / "cache")
    saved_by_key = {(a.platform, a.account): a for a in saved.accounts} if saved else {}
    pairs = every_account(brands)
    if saved is not None:
        pairs = [(b, a) for b, a in pairs if (a.platform, a.id) in saved_by_key]
    backup = Backup(options.state_dir, (str(b.source) for b, _ in pairs))

    def desired_from(brand: Brand) -> DesiredOf:
        return lambda adapter: adapter.desired(brand, assets[brand.source])

    syncs = [
        _AccountSync(
            b, a, options, cache, backup, desired_from(b), saved_by_key.get((a.platform, a.id))
        )
        for b, a in pairs
    ]
    return _sync_all(syncs, options, backup)


def _constant(desired: Desired) -> DesiredOf:
    return lambda _adapter: desired


# -- restore ---------------------------------------------------------------------------------------
def restore(
    folder: Path, brands: t.Sequence[Brand], options: SyncOptions | None = None
) -> ApplyResult:
    """Put back what a backup holds (text fields and images), backing up the current state first."""
    options = options or SyncOptions()
    with apply_lock(options.state_dir, [str(b.source) for b in brands]):
        return _restore(folder, brands, options)


def _restore(folder: Path, brands: t.Sequence[Brand], options: SyncOptions) -> ApplyResult:
    by_key = {(a.platform, a.id): (b, a) for b, a in every_account(brands)}
    entries = read_backup(folder)
    for entry in entries:
        if (entry.platform, entry.account) not in by_key:
            raise PlanError(
                msg(
                    "the backup holds {platform}:{account}, which no given spec names",
                    platform=entry.platform,
                    account=entry.account,
                )
            )
    cache = SyncCache(options.state_dir / "cache")
    backup = Backup(
        options.state_dir, (str(by_key[(e.platform, e.account)][0].source) for e in entries)
    )
    syncs: list[_AccountSync] = []
    notes: dict[tuple[str, str], str] = {}
    # restoring exactly what was there is intended: no --force needed
    forced = dataclasses.replace(options, force=True)
    for entry in entries:
        brand, account = by_key[(entry.platform, entry.account)]
        adapter_class = ADAPTERS[entry.platform]
        kept = sorted(
            f
            for f, v in entry.text.items()
            if f in adapter_class.UNBLANKABLE and v in ("", None, [])
        )
        unreadable = sorted(f for f in entry.text if f in adapter_class.UNREADABLE)
        left = set(kept) | set(unreadable)
        desired = Desired(
            text={f: v for f, v in entry.text.items() if f not in left}, images=entry.images
        )
        said = [
            msg("{field}: {why}; left as it is", field=f, why=adapter_class.UNREADABLE[f])
            for f in unreadable
        ]
        if kept:
            said.append(
                msg(
                    "left as they are (were empty; the platform cannot store them empty): {fields}",
                    fields=", ".join(kept),
                )
            )
        if said:
            notes[(entry.platform, entry.account)] = "; ".join(said)
        syncs.append(
            _AccountSync(brand, account, forced, cache, backup, _constant(desired), from_spec=False)
        )
    result = _sync_all(syncs, forced, backup)
    accounts = tuple(
        AccountResult(
            r.brand,
            r.platform,
            r.account,
            r.status,
            r.changes,
            "; ".join(m for m in (r.message, notes.get((r.platform, r.account), "")) if m),
        )
        for r in result.accounts
    )
    return ApplyResult(accounts, result.backup, result.waited)

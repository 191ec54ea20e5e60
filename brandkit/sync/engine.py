"""plan / apply / check / restore across every account of every brand.

For each account (concurrently, in a bounded pool): read the live state, derive the desired
state from the brand and its rendered assets, diff them field by field (images perceptually).
``apply`` then backs up what it will replace, writes only the differences, and verifies by
reading again. One failing account never stops the others.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import json
import os
import typing as t
import unicodedata
from pathlib import Path

from brandkit.adapters import ADAPTERS, Adapter, Desired, Endpoints, LiveState
from brandkit.errors import BrandkitError, PlanError
from brandkit.render import render
from brandkit._files import atomic_write
from brandkit.spec.model import Account, Brand
from brandkit.sync.cache import SyncCache
from brandkit.sync.compare import compare_images
from brandkit.sync.guards import unsafe_reasons
from brandkit.sync.model import AccountPlan, Change, Plan
from brandkit.retry import RetryPolicy, call_with_retries

__all__ = ["AccountResult", "ApplyResult", "SyncOptions", "apply", "plan", "restore"]

T = t.TypeVar("T")


@dataclasses.dataclass
class SyncOptions:
    """How to reach the platforms and where brandkit keeps its working files."""

    env: t.Mapping[str, str] = dataclasses.field(default_factory=lambda: dict(os.environ))
    endpoints: Endpoints | None = None
    state_dir: Path = Path(".brandkit")
    workers: int = 8
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    force: bool = False
    progress: t.Callable[[str], None] | None = None

    def resolved_endpoints(self) -> Endpoints:
        return self.endpoints or Endpoints.from_env(self.env)


@dataclasses.dataclass(frozen=True)
class AccountResult:
    brand: str
    platform: str
    account: str
    status: t.Literal["ok", "changed", "failed"]
    changes: tuple[Change, ...] = ()
    message: str = ""


@dataclasses.dataclass(frozen=True)
class ApplyResult:
    accounts: tuple[AccountResult, ...]
    backup: Path | None
    waited: float = 0.0

    def exit_code(self) -> int:
        return 1 if any(a.status == "failed" for a in self.accounts) else 0

    def summary(self) -> str:
        counts = {s: sum(1 for a in self.accounts if a.status == s) for s in ("changed", "ok", "failed")}
        return ", ".join(f"{n} {s}" for s, n in counts.items())


# -- shared steps -------------------------------------------------------------------------------
def _slug(brand: Brand) -> str:
    digest = hashlib.sha1(str(brand.source).encode()).hexdigest()[:8]
    return f"{brand.source.parent.name}-{digest}"


def _assets(brands: t.Sequence[Brand], options: SyncOptions) -> dict[Path, dict[str, Path]]:
    """Render (or reuse) the images each brand's accounts need."""
    out: dict[Path, dict[str, Path]] = {}
    for brand in brands:
        needed = sorted({target for a in brand.accounts if a.platform in ADAPTERS
                         for target in _image_targets(a.platform).values()})
        result = render(brand, options.state_dir / "assets" / _slug(brand), targets=needed)
        out[brand.source] = {a.target: a.path for a in result.assets}
    return out


def _image_targets(platform: str) -> t.Mapping[str, str]:
    return t.cast(t.Mapping[str, str], getattr(ADAPTERS[platform], "IMAGE_TARGETS", {}))


def _normalise(field: str, value: t.Any) -> t.Any:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip())
        if field in ("url", "website"):
            value = value.rstrip("/")
    return value


def _diff(adapter: Adapter, live: LiveState, desired: Desired, cache: SyncCache, policy: RetryPolicy,
          where: tuple[str, str]) -> list[Change]:
    platform, account = where
    changes: list[Change] = []
    own = getattr(adapter, "normalise", None)  # an adapter may know better (e.g. HTML whitespace)
    for field, want in desired.text.items():
        have = live.text.get(field)
        a, b = _normalise(field, have), _normalise(field, want)
        if own is not None:
            a, b = own(field, a), own(field, b)
        if a != b:
            changes.append(Change(platform, account, field, "text", have, want))
    for field, path in desired.images.items():
        url = live.images.get(field)
        if url is None:
            changes.append(Change(platform, account, field, "image", None, str(path), new_image=str(path)))
            continue
        expected = path.read_bytes()
        live_bytes, live_path = cache.image(url, lambda: call_with_retries(lambda: adapter.fetch(url), policy))
        box = desired.compare_boxes.get(field)
        diff = cache.comparison(url, hashlib.sha256(expected).hexdigest(), box,
                                lambda: compare_images(live_bytes, expected, box))
        if not diff.same:
            changes.append(Change(platform, account, field, "image", url, str(path), distance=diff.describe(),
                                  live_image=str(live_path), new_image=str(path)))
    return changes


def _live_record(live: LiveState) -> dict[str, t.Any]:
    return {**dict(live.text), **{f"{k}_url": v for k, v in live.images.items()}}


def _run_pool(jobs: list[t.Callable[[], T]], workers: int) -> list[T]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


def _accounts(brands: t.Sequence[Brand]) -> list[tuple[Brand, Account]]:
    return [(b, a) for b in brands for a in b.accounts if a.platform in ADAPTERS]


def _plan_account(brand: Brand, account: Account, assets: t.Mapping[str, Path], options: SyncOptions,
                  cache: SyncCache) -> tuple[AccountPlan, Adapter | None, Desired | None, LiveState | None]:
    name = brand.identity.name
    adapter: Adapter | None = None
    try:
        adapter = ADAPTERS[account.platform](account, options.env, options.resolved_endpoints())
        # desired first: some adapters need it to know what to look up (Mailchimp's header file)
        desired = call_with_retries(lambda: adapter.desired(brand, assets), options.retry)
        live = call_with_retries(adapter.read, options.retry)
        changes = _diff(adapter, live, desired, cache, options.retry, (account.platform, account.id))
        result = AccountPlan(name, account.platform, account.id, tuple(sorted(changes)), _live_record(live),
                             spec=str(brand.source))
        return result, adapter, desired, live
    except BrandkitError as exc:
        if adapter is not None:
            adapter.close()
        return AccountPlan(name, account.platform, account.id, error=str(exc), spec=str(brand.source)), None, None, None


def _note(options: SyncOptions, text: str) -> None:
    if options.progress is not None:
        options.progress(text)


# -- plan / check ---------------------------------------------------------------------------------
def plan(brands: t.Sequence[Brand], options: SyncOptions | None = None) -> Plan:
    """Read every account and say what differs from the spec. Never writes to a platform."""
    options = options or SyncOptions()
    assets = _assets(brands, options)
    cache = SyncCache(options.state_dir / "cache")

    def job(brand: Brand, account: Account) -> t.Callable[[], AccountPlan]:
        def run() -> AccountPlan:
            result, adapter, _, _ = _plan_account(brand, account, assets[brand.source], options, cache)
            if adapter is not None:
                adapter.close()
            _note(options, f"{result.status:6} {account.platform}:{account.id}")
            return result
        return run

    return Plan(tuple(_run_pool([job(b, a) for b, a in _accounts(brands)], options.workers)))


# -- apply ------------------------------------------------------------------------------------------
def _backup(folder: Path, adapter: Adapter, live: LiveState, changes: t.Sequence[Change], cache: SyncCache,
            policy: RetryPolicy) -> None:
    """Save what the changes will replace: the text fields as JSON, each replaced image as a file."""
    folder.mkdir(parents=True, exist_ok=True)
    record = {"text": dict(live.text), "images": {}}
    for change in changes:
        if change.kind == "image" and isinstance(change.before, str):
            url = change.before
            data, _ = cache.image(url, lambda: call_with_retries(lambda: adapter.fetch(url), policy))
            name = f"{change.field}{_extension(data)}"
            atomic_write(folder / name, data)
            t.cast(dict[str, str], record["images"])[change.field] = name
    atomic_write(folder / "profile.json", (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode())


def _extension(data: bytes) -> str:
    return ".png" if data[:4] == b"\x89PNG" else ".jpg"


def _write(adapter: Adapter, changes: t.Sequence[Change], policy: RetryPolicy) -> None:
    # images first: text may refer to them (a newsletter template to its hosted header)
    for change in changes:
        if change.kind == "image":
            path = Path(str(change.new_image))
            data = path.read_bytes()
            call_with_retries(lambda: adapter.write_image(change.field, data, path.name), policy)
    text = {c.field: c.after for c in changes if c.kind == "text"}
    if text:
        call_with_retries(lambda: adapter.write_text(text), policy)


def _apply_account(brand: Brand, account: Account, assets: t.Mapping[str, Path], options: SyncOptions,
                   cache: SyncCache, backup_root: Path, saved: AccountPlan | None,
                   desired_override: Desired | None = None) -> AccountResult:
    name = brand.identity.name
    fail = lambda msg, changes=(): AccountResult(name, account.platform, account.id, "failed", tuple(changes), msg)  # noqa: E731
    current, adapter, desired, live = _plan_account(brand, account, assets, options, cache)
    if adapter is None or desired is None or live is None:
        return fail(current.error or "could not read the account")
    try:
        if desired_override is not None:
            desired = desired_override
            current = dataclasses.replace(current, changes=tuple(sorted(
                _diff(adapter, live, desired, cache, options.retry, (account.platform, account.id)))))
        if saved is not None and saved.fingerprint != current.fingerprint:
            moved = sorted(k for k in set(saved.live) | set(current.live) if saved.live.get(k) != current.live.get(k))
            return fail("the account changed since the plan was made (" + ", ".join(moved)
                        + "); make a new plan")
        changes = saved.changes if saved is not None else current.changes
        if not changes:
            return AccountResult(name, account.platform, account.id, "ok")
        reasons = unsafe_reasons(tuple(changes))
        if reasons and not options.force:
            return fail("refused without --force: " + "; ".join(reasons), changes)
        _backup(backup_root / account.platform / account.id, adapter, live, changes, cache, options.retry)
        _write(adapter, changes, options.retry)
        if desired_override is None:  # what was written may settle details (hosted image URLs)
            desired = call_with_retries(lambda: adapter.desired(brand, assets), options.retry)
        after = call_with_retries(adapter.read, options.retry)
        left = _diff(adapter, after, desired, cache, options.retry, (account.platform, account.id))
        if left:
            return fail("written, but verification still sees: " + ", ".join(c.field for c in left), changes)
        return AccountResult(name, account.platform, account.id, "changed", tuple(changes))
    except BrandkitError as exc:
        return fail(str(exc))
    finally:
        adapter.close()


def _new_backup_root(options: SyncOptions) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    return options.state_dir / "backups" / stamp


def apply(brands: t.Sequence[Brand], options: SyncOptions | None = None, *, saved: Plan | None = None) -> ApplyResult:
    """Write only what differs; back up what is replaced; verify. With ``saved``, apply that plan
    only where the live state still matches what it saw."""
    options = options or SyncOptions()
    assets = _assets(brands, options)
    cache = SyncCache(options.state_dir / "cache")
    backup_root = _new_backup_root(options)
    saved_by_key = {(a.platform, a.account): a for a in saved.accounts} if saved else {}
    pairs = _accounts(brands)
    if saved is not None:
        pairs = [(b, a) for b, a in pairs if (a.platform, a.id) in saved_by_key]

    def job(brand: Brand, account: Account) -> t.Callable[[], AccountResult]:
        def run() -> AccountResult:
            result = _apply_account(brand, account, assets[brand.source], options, cache, backup_root,
                                    saved_by_key.get((account.platform, account.id)))
            _note(options, f"{result.status:7} {account.platform}:{account.id}" + (f"  {result.message}" if result.message else ""))
            return result
        return run

    results = tuple(_run_pool([job(b, a) for b, a in pairs], options.workers))
    made = backup_root.exists()
    if made:
        index = {"created": backup_root.name, "specs": sorted({str(b.source) for b, _ in pairs}),
                 "accounts": [[r.platform, r.account] for r in results if r.status == "changed"]}
        atomic_write(backup_root / "backup.json", (json.dumps(index, indent=2) + "\n").encode())
    return ApplyResult(results, backup_root if made else None, options.retry.waited)


# -- restore ----------------------------------------------------------------------------------------
def restore(backup: Path, brands: t.Sequence[Brand], options: SyncOptions | None = None) -> ApplyResult:
    """Put back what a backup holds (text fields and images), backing up the current state first."""
    options = options or SyncOptions()
    options = dataclasses.replace(options, force=True)  # restoring exactly what was there is intended
    cache = SyncCache(options.state_dir / "cache")
    backup_root = _new_backup_root(options)
    by_key: dict[tuple[str, str], tuple[Brand, Account]] = {(a.platform, a.id): (b, a) for b, a in _accounts(brands)}
    jobs: list[t.Callable[[], AccountResult]] = []
    for profile in sorted(backup.glob("*/*/profile.json")):
        platform, account_id = profile.parent.parent.name, profile.parent.name
        if (platform, account_id) not in by_key:
            raise PlanError(f"the backup holds {platform}:{account_id}, which no given spec names")
        brand, account = by_key[(platform, account_id)]
        record = json.loads(profile.read_text())
        images = {field: profile.parent / name for field, name in record.get("images", {}).items()}
        unblankable: frozenset[str] = getattr(ADAPTERS[platform], "UNBLANKABLE", frozenset())
        kept = sorted(f for f, v in record["text"].items() if f in unblankable and v in ("", None, []))
        text = {f: v for f, v in record["text"].items() if f not in kept}
        desired = Desired(text=text, images=images)

        def run(brand: Brand = brand, account: Account = account, desired: Desired = desired,
                kept: list[str] = kept) -> AccountResult:
            result = _apply_account(brand, account, {}, options, cache, backup_root, None, desired_override=desired)
            if kept:
                note = f"left as they are (were empty; the platform cannot store them empty): {', '.join(kept)}"
                result = dataclasses.replace(result, message="; ".join(m for m in (result.message, note) if m))
            return result
        jobs.append(run)
    if not jobs:
        raise PlanError(f"{backup} holds no account backups (expected <platform>/<account>/profile.json)")
    results = tuple(_run_pool(jobs, options.workers))
    return ApplyResult(results, backup_root if backup_root.exists() else None, options.retry.waited)

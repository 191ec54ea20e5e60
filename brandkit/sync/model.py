"""Plans and results as value objects: a Change per field that differs (with the reason it needs
``--force``, if any), an AccountPlan per account, a Plan; an AccountResult per account applied."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing as t
from pathlib import Path

from brandkit.i18n import N_, msg
from brandkit.sync.worddiff import inline, is_markup, visible_text, word_changes

__all__ = [
    "AccountPlan",
    "AccountResult",
    "ApplyResult",
    "Change",
    "ImageChange",
    "Plan",
    "TextChange",
    "fingerprint",
]

Status = t.Literal["ok", "drift", "error"]


@dataclasses.dataclass(frozen=True)
class Change:
    """One field whose live value differs from the spec: a :class:`TextChange` or an
    :class:`ImageChange` (``kind`` says which in a saved plan)."""

    kind: t.ClassVar[t.Literal["text", "image"]]
    platform: str
    account: str
    field: str
    before: t.Any
    after: t.Any
    # why this change needs --force (blanking a field, a rename that suggests the wrong account)
    unsafe: str | None = None
    # where a person changes it, when the platform has no API for this field (the hand-off)
    by_hand: str | None = None

    def describe(self) -> str:
        raise NotImplementedError

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.platform, self.account, self.field, self.kind)

    def to_dict(self) -> dict[str, t.Any]:
        return {"kind": self.kind, **dataclasses.asdict(self)}

    @staticmethod
    def from_dict(data: t.Mapping[str, t.Any]) -> Change:
        """A change from a saved plan; "words" is derived (to_dict adds it), not a field."""
        kinds: dict[str, type[Change]] = {"text": TextChange, "image": ImageChange}
        cls = kinds.get(str(data.get("kind")))
        if cls is None:
            raise ValueError(f"a change of an unknown kind: {data.get('kind')!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclasses.dataclass(frozen=True)
class TextChange(Change):
    """A text field: before and after are what the platform and the spec say (a string, or a
    list for fields such as Mastodon's links or Facebook's emails)."""

    kind: t.ClassVar[t.Literal["text", "image"]] = "text"

    def describe(self) -> str:
        if self._wordy():
            return f"{self.field}: {inline(self.before, self.after)}"
        if is_markup(self.before) and is_markup(self.after):
            return msg(
                "{field}: {words} (markup: {before} -> {after} characters)",
                field=self.field,
                words=self.visible_words(),
                before=f"{len(self.before):,}",
                after=f"{len(self.after):,}",
            )
        return msg(
            "{field}: {before} -> {after}",
            field=self.field,
            before=_show(self.before),
            after=_show(self.after),
        )

    def visible_words(self) -> str:
        """For a document (a newsletter template): which words a reader sees changed."""
        seen_before, seen_after = visible_text(self.before), visible_text(self.after)
        if seen_before == seen_after:
            return msg("the visible text is the same; only the markup changed")
        return inline(seen_before, seen_after)

    def _wordy(self) -> bool:
        """Two texts a word-level diff explains better than both sides cut short."""
        b, a = self.before, self.after
        return (
            isinstance(b, str)
            and isinstance(a, str)
            and bool(b)
            and bool(a)
            and max(len(a), len(b)) <= 2000  # a whole template: its size says enough
        )

    def to_dict(self) -> dict[str, t.Any]:
        out = super().to_dict()
        if self._wordy():
            out["words"] = [
                {"op": op, "before": old, "after": new}
                for op, old, new in word_changes(self.before, self.after)
            ]
        return out


@dataclasses.dataclass(frozen=True)
class ImageChange(Change):
    """An image field: ``before`` is the live image's URL (None: no image), ``after`` the file
    the spec gives. Paths, never bytes."""

    kind: t.ClassVar[t.Literal["text", "image"]] = "image"
    before: str | None
    after: str
    # the perceptual distance (or what moved in the spec) and where the live and the expected
    # image are on disk
    distance: str | None = None
    live_image: str | None = None
    new_image: str | None = None

    def describe(self) -> str:
        if self.before is None:
            return msg("{field}: none -> {new}", field=self.field, new=self.new_image)
        return msg(
            "{field}: differs ({how}); live {live} -> new {new}",
            field=self.field,
            how=self.distance,
            live=self.live_image,
            new=self.new_image,
        )


def _show(value: t.Any) -> str:
    if value in (None, "", []):
        return msg("(empty)")
    if isinstance(value, str) and len(value) > 300:  # a whole document: its size says enough here
        return msg("({count} characters)", count=f"{len(value):,}")
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 90 else text[:87] + "..."


def fingerprint(live: t.Mapping[str, t.Any]) -> str:
    """A short hash of what was read, so a saved plan can tell that the account moved since."""
    return hashlib.sha256(json.dumps(live, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class AccountPlan:
    brand: str
    platform: str
    account: str
    changes: tuple[Change, ...] = ()
    live: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    error: str | None = None
    spec: str = ""
    # why apply could not write to this account (a read-only token); a check still works
    cannot_write: str | None = None
    # the platform refused the credentials (expired, revoked, missing permission)
    auth_failed: bool = False
    # the revision of the spec the plan was made from: its sha256, and its git commit if any
    spec_sha256: str = ""
    commit: str = ""

    @property
    def status(self) -> Status:
        if self.error:
            return "error"
        return "drift" if self.changes else "ok"

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.live)

    @property
    def unsafe(self) -> tuple[str, ...]:
        """Why applying this plan needs ``--force``; empty when it does not."""
        return tuple(c.unsafe for c in self.changes if c.unsafe)

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "brand": self.brand,
            "platform": self.platform,
            "account": self.account,
            "spec": self.spec,
            "spec_sha256": self.spec_sha256,
            "commit": self.commit,
            "status": self.status,
            "error": self.error,
            "fingerprint": self.fingerprint,
            "needs_force": list(self.unsafe),
            "cannot_write": self.cannot_write,
            "auth_failed": self.auth_failed,
            "live": dict(self.live),
            "changes": [c.to_dict() for c in self.changes],
        }

    @classmethod
    def from_dict(cls, data: t.Mapping[str, t.Any]) -> AccountPlan:
        return cls(
            brand=data["brand"],
            platform=data["platform"],
            account=data["account"],
            changes=tuple(Change.from_dict(c) for c in data.get("changes", [])),
            live=data.get("live", {}),
            error=data.get("error"),
            spec=data.get("spec", ""),
            spec_sha256=str(data.get("spec_sha256") or ""),
            commit=str(data.get("commit") or ""),
            cannot_write=data.get("cannot_write"),
            auth_failed=bool(data.get("auth_failed", False)),
        )


@dataclasses.dataclass(frozen=True)
class Plan:
    accounts: tuple[AccountPlan, ...]

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "accounts",
            tuple(sorted(self.accounts, key=lambda a: (a.brand, a.platform, a.account))),
        )

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for a in self.accounts for c in a.changes)

    @property
    def errors(self) -> tuple[AccountPlan, ...]:
        return tuple(a for a in self.accounts if a.status == "error")

    @property
    def drifted(self) -> tuple[AccountPlan, ...]:
        return tuple(a for a in self.accounts if a.status == "drift")

    def summary(self) -> str:
        """``3 to change (26 fields), 2 ok``: accounts, then how many fields the changes touch
        (English text; ``localize`` says it in the user's language)."""
        ok = sum(1 for a in self.accounts if a.status == "ok")
        drift = len(self.drifted)
        if drift:
            fields = N_("{count} field") if len(self.changes) == 1 else N_("{count} fields")
            said = msg(
                "{changes} to change ({fields}), {ok} ok",
                changes=drift,
                fields=msg(fields, count=len(self.changes)),
                ok=ok,
            )
        else:
            said = msg("{changes} to change, {ok} ok", changes=0, ok=ok)
        if self.errors:
            said = msg("{said}, {failed} failed", said=said, failed=len(self.errors))
        guarded = sum(1 for c in self.changes if c.unsafe)
        if guarded:
            needs = (
                N_("{said}, {count} needs --force")
                if guarded == 1
                else N_("{said}, {count} need --force")
            )
            said = msg(needs, said=said, count=guarded)
        return said

    def exit_code(self) -> int:
        """Terraform's contract: 0 in sync, 2 drift, 1 error."""
        if self.errors:
            return 1
        return 2 if self.changes else 0

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "format": "brandkit-plan/1",
            "summary": self.summary(),
            "accounts": [a.to_dict() for a in self.accounts],
        }

    @classmethod
    def from_dict(cls, data: t.Mapping[str, t.Any]) -> Plan:
        """A plan read back from JSON (an untrusted file): ValueError unless it is one."""
        if not isinstance(data, dict) or data.get("format") != "brandkit-plan/1":
            raise ValueError("not a brandkit plan file")
        try:
            plan = cls(tuple(AccountPlan.from_dict(a) for a in data["accounts"]))
            for change in plan.changes:
                if change.kind not in ("text", "image") or not isinstance(change.field, str):
                    raise ValueError(f"a change of an unknown kind: {change.kind!r}")
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a brandkit plan file ({type(exc).__name__})") from None
        return plan


@dataclasses.dataclass(frozen=True)
class AccountResult:
    brand: str
    platform: str
    account: str
    status: t.Literal["ok", "changed", "failed", "by hand"]
    changes: tuple[Change, ...] = ()
    message: str = ""

    @property
    def by_hand(self) -> tuple[Change, ...]:
        """The changes left for a person (``brandkit handoff`` says how)."""
        return tuple(c for c in self.changes if c.by_hand)


@dataclasses.dataclass(frozen=True)
class ApplyResult:
    accounts: tuple[AccountResult, ...]
    backup: Path | None
    waited: float = 0.0
    interrupted: bool = False  # stopped by Ctrl-C (or ``SyncOptions.cancel``): see each account

    def exit_code(self) -> int:
        if self.interrupted:
            return 130  # the shell's convention for SIGINT
        return 1 if any(a.status == "failed" for a in self.accounts) else 0

    def summary(self) -> str:
        counts = {
            s: sum(1 for a in self.accounts if a.status == s) for s in ("changed", "ok", "failed")
        }
        said = msg("{changed} changed, {ok} ok, {failed} failed", **counts)
        by_hand = sum(1 for a in self.accounts if a.by_hand)
        if by_hand:
            return msg(
                "{said}; {count} to change by hand (brandkit handoff)", said=said, count=by_hand
            )
        return said

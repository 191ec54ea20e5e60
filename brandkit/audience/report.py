"""The report for the other departments: per account, the audience now and over the period,
the platform's own figures, whether the profile is on-brand, and the period's problems with what
to do about each. One model, three renderings (``report_html``, ``report_markdown``, JSON)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from pathlib import Path

from brandkit import platforms
from brandkit.audience.history import History
from brandkit.audience.observe import Observation
from brandkit.colors import hex_of
from brandkit.i18n import N_
from brandkit.platforms.registry import ADAPTERS
from brandkit.spec.model import Brand

__all__ = ["AccountReport", "Report", "build_report", "parse_period"]

ADVICE = {
    "drift_appeared": N_(
        "Someone changed the profile outside brandkit. Run `brandkit apply` to "
        "put the brand back (the replaced values are backed up), or update the spec if the change "
        "is wanted."
    ),
    "token_refused": N_(
        "The platform refused the credentials (expired, revoked or missing a "
        "permission). Get a new token and put it in the environment variable the spec names "
        "(docs/scheduling.md says where for each platform)."
    ),
    "failing": N_(
        "brandkit could not read this account. The message says why; `brandkit check` tries again."
    ),
    "apply_failed": N_(
        "An apply did not finish. Run `brandkit apply` again; `brandkit restore` "
        "undoes what it wrote."
    ),
    "future_rows": N_(
        "The history holds figures dated after today, written by a machine whose clock runs "
        "ahead; they were left out. Check the clock of every machine that writes this history."
    ),
}
PROBLEMS = tuple(ADVICE)


@dataclasses.dataclass(frozen=True)
class Problem:
    at: str
    kind: str
    detail: str
    advice: str


@dataclasses.dataclass(frozen=True)
class AccountReport:
    platform: str
    platform_label: str
    account: str
    audience: int | None
    start: int | None  # the audience at the start of the period (the first figure in it)
    trend: tuple[tuple[str, int], ...]  # (YYYY-MM-DD, audience)
    figures: tuple[tuple[str, t.Any], ...]  # (label, value)
    last_campaign: t.Mapping[str, t.Any] | None
    status: str  # ok, drift, error
    status_detail: str
    last_change: str | None
    problems: tuple[Problem, ...]
    error: str | None = None

    @property
    def change(self) -> int | None:
        if self.audience is None or self.start is None:
            return None
        return self.audience - self.start

    @property
    def change_pct(self) -> float | None:
        if self.change is None or not self.start:
            return None
        return 100.0 * self.change / self.start

    def to_dict(self) -> dict[str, t.Any]:
        out = dataclasses.asdict(self)
        out["trend"] = [{"day": d, "audience": v} for d, v in self.trend]
        out["figures"] = {label: value for label, value in self.figures}
        out["change"], out["change_pct"] = self.change, self.change_pct
        return out


@dataclasses.dataclass(frozen=True)
class Report:
    brand: str
    colours: tuple[str, str, str]  # primary, on primary, accent (hex)
    logo: Path
    period_days: int
    start: str
    end: str
    generated_at: str
    accounts: tuple[AccountReport, ...]
    language: str = "en"  # the brand's: the report's words, dates and numbers

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "brand": self.brand,
            "period": {"days": self.period_days, "start": self.start, "end": self.end},
            "generated_at": self.generated_at,
            "accounts": [a.to_dict() for a in self.accounts],
        }


def parse_period(text: str) -> int:
    """``week`` (7), ``month`` (30), ``N`` or ``N days``."""
    words = text.strip().lower()
    if words in ("week", "weekly"):
        return 7
    if words in ("month", "monthly"):
        return 30
    number = words.removesuffix("days").removesuffix("day").strip()
    if number.isdigit() and 0 < int(number) <= 3650:
        return int(number)
    raise ValueError(f"period {text!r}: use week, month or a number of days (e.g. 14)")


def _trend(
    store: History, brand: str, platform: str, account: str, since: str, today: str
) -> tuple[dict[str, int], int]:
    """Audience per day: brandkit's own daily snapshots, and where it has none, the figures the
    platform keeps per day (Page follows from insights). Days after ``today`` (a machine whose
    clock ran ahead wrote them) are left out and counted."""
    points: dict[str, int] = {}
    if platform == "facebook":
        points.update(store.daily(brand, platform, account, "page_follows", since))
    for snap in store.snapshots(brand, platform, account, since):
        points[snap.day] = snap.audience
    future = [day for day in points if day > today]
    for day in future:
        del points[day]
    return dict(sorted(points.items())), len(future)


def build_report(brand: Brand, seen: Observation, history: str | Path, days: int) -> Report:
    today = dt.date.fromisoformat(seen.stats.collected_at[:10])
    start = str(today - dt.timedelta(days=days))
    figures = {(a.platform, a.account): a for a in seen.stats.accounts}
    checks = {(a.platform, a.account): a for a in seen.plan.accounts}
    accounts = []
    with History(history) as store:
        events = store.events(since=start, kinds=PROBLEMS, brand=brand.identity.name)
        for account in brand.accounts:
            key = (account.platform, account.id)
            if key not in figures:
                continue
            found, check = figures[key], checks.get(key)
            trend, future = _trend(store, brand.identity.name, *key, since=start, today=str(today))
            shown = [
                (label, found.metrics.get(name))
                for name, label in ADAPTERS[account.platform].FIGURES
                if found.metrics.get(name) is not None
            ]
            problems = [
                Problem(e.at, e.kind, e.detail, ADVICE[e.kind])
                for e in events
                if (e.platform, e.account) == key and e.at[:10] <= str(today)
            ]
            if future:
                detail = f"{future} day(s) dated after {today} left out of the trend"
                problems.append(
                    Problem(seen.stats.collected_at, "future_rows", detail, ADVICE["future_rows"])
                )
            if check is not None and check.error and not problems:
                kind = "token_refused" if check.auth_failed else "failing"
                problems.append(Problem(seen.stats.collected_at, kind, check.error, ADVICE[kind]))
            status_detail = ""
            if check is not None and check.changes:
                status_detail = ", ".join(sorted({c.field for c in check.changes}))
            accounts.append(
                AccountReport(
                    platform=account.platform,
                    platform_label=platforms.platform(account.platform).label,
                    account=account.id,
                    audience=found.audience,
                    # the change is measured from the first day of the period brandkit has
                    start=next(iter(trend.values())) if len(trend) > 1 else None,
                    trend=tuple(trend.items()),
                    figures=tuple(shown),
                    last_campaign=found.metrics.get("last_campaign"),
                    status=check.status if check is not None else "error",
                    status_detail=status_detail or (check.error or "" if check else ""),
                    last_change=store.last_change(brand.identity.name, *key),
                    problems=tuple(problems),
                    error=found.error,
                )
            )
    colors = brand.colors
    return Report(
        brand.identity.name,
        (
            hex_of(colors.primary),
            hex_of(colors.on_primary),
            hex_of(colors.accent or colors.primary),
        ),
        brand.logos.mark.path,
        days,
        start,
        str(today),
        seen.stats.collected_at,
        tuple(accounts),
        brand.identity.language,
    )

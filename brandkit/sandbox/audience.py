"""Audiences that grow, for every sandbox account: deterministic, seeded per account, read on
the sandbox's own clock (which tests move forward with ``Sandbox.advance``), so a report over a
week shows real movement and every figure can be recomputed by a test."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
import typing as t

__all__ = ["Audience", "clock"]

DAY = 86_400
_START = 20_000  # the day (since 1970) every sandbox audience starts from: 4 Oct 2024


def clock(state_data: t.Mapping[str, t.Any]) -> float:
    """The sandbox's time: the machine's, moved by ``clock_offset`` seconds."""
    return time.time() + float(state_data.get("clock_offset", 0))


class Audience:
    """One account's figures. ``total(metric, day)`` grows by a per-account rate with a weekly
    rhythm; ``daily(metric, day)`` is the day's own count (views, engagements)."""

    def __init__(self, platform: str, account: str) -> None:
        self.key = f"{platform}/{account}"

    def _seed(self, metric: str) -> int:
        return int(hashlib.sha256(f"{self.key}/{metric}".encode()).hexdigest()[:12], 16)

    def total(self, metric: str, day: int) -> int:
        seed = self._seed(metric)
        base = 800 + seed % 24_000
        rate = 4 + (seed >> 16) % 37  # people per day
        elapsed = max(0, day - _START)
        wobble = ((seed >> 24) % 9) * math.sin(2 * math.pi * elapsed / 7)
        return int(base + rate * elapsed + wobble)

    def daily(self, metric: str, day: int) -> int:
        seed = self._seed(metric)
        level = 150 + seed % 2_500
        weekday = 0.75 + 0.25 * math.sin(2 * math.pi * (day % 7) / 7)
        return int(level * weekday + (seed >> 20) % 40 * math.sin(day * 1.7) ** 2)

    def rate(self, metric: str) -> float:
        """A stable percentage (open rate, click rate), 0-100 as Mailchimp gives them."""
        seed = self._seed(metric)
        return (
            round(8 + (seed % 3_000) / 100, 2)
            if "open" in metric
            else round(0.5 + (seed % 600) / 100, 2)
        )


def day_of(timestamp: float) -> int:
    return int(timestamp // DAY)


def iso_day_end(day: int) -> str:
    """Graph's ``end_time`` of a daily value: the next day at 08:00 UTC (Pacific midnight)."""
    end = dt.datetime.fromtimestamp((day + 1) * DAY, dt.UTC).replace(hour=8)
    return end.strftime("%Y-%m-%dT%H:%M:%S+0000")

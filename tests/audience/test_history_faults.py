"""The history under load and damage (#27): watches at once alert exactly once per change; a
damaged history is said clearly, the check's result stands (exit 2 on drift) and the run's
figures are kept for the next run; rows dated in the future stay out of the trend."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import sqlite3
import typing as t
from pathlib import Path

import brandkit
from brandkit.audience.history import History
from brandkit.cli import main
from tests.audience.conftest import Receiver
from tests.sync.conftest import World


def _history(world: World) -> Path:
    return world.spec.parent / ".brandkit" / "history.sqlite"


def test_three_watches_at_once_alert_once(everything: World, receiver: Receiver) -> None:
    brandkit.apply(everything.brand, everything.options)
    assert (
        brandkit.watch(everything.brand, everything.options, notify=[receiver.url]).exit_code() == 0
    )
    everything.processed()
    everything.api().update_profile(description="Cheap coffee, whatever")
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        runs = [
            pool.submit(brandkit.watch, everything.brand, everything.options, notify=[receiver.url])
            for _ in range(3)
        ]
        codes = [r.result().exit_code() for r in runs]
    assert codes == [2, 2, 2]
    assert [m["title"] for m in receiver.received] == ["brandkit: twitter:northwind-x off-brand"]
    with History(_history(everything)) as store:
        assert len(store.events(kinds=("drift_appeared",))) == 1


def _damage(path: Path) -> None:
    """Overwrite data pages in the middle of the file (the header stays: SQLite opens it)."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 2, len(data) - page, page):
        data[start : start + page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_a_damaged_history_is_said_and_the_checks_result_stands(
    everything: World, capsys: t.Any, monkeypatch: t.Any
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    spec = str(everything.spec)
    history = _history(everything)
    for _ in range(3):  # some pages to damage
        assert main(["stats", spec, "-q"]) == 0
    _damage(history)
    capsys.readouterr()
    code = main(["watch", spec, "-q"])  # nothing applied yet: drift
    said = capsys.readouterr()
    assert code == 2, said.err
    assert "internal error" not in said.err and "this is a bug" not in said.err
    assert f"{history}: the history cannot be read or written" in said.err
    kept = history.with_name("history.sqlite.pending.jsonl")
    assert kept.is_file() and "snapshot" in kept.read_text()
    # the person moves the damaged file away, as told: the next run adds what was kept
    history.rename(history.with_name("damaged.sqlite"))
    for extra in history.parent.glob("history.sqlite-*"):
        extra.unlink()
    assert main(["stats", spec, "-q"]) == 0
    assert not kept.exists()
    with History(history) as store:
        assert (
            len(store.snapshots("Northwind Coffee Roasters", "twitter", "northwind-x")) == 1
        )  # today's, kept then replaced
        assert (
            store.last_check("Northwind Coffee Roasters", "twitter", "northwind-x") is not None
        )  # the kept check


def test_rows_dated_in_the_future_stay_out_of_the_trend(everything: World) -> None:
    brandkit.stats(everything.brand, everything.options)
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with History(_history(everything)) as store:
        store.add_snapshot(
            "Northwind Coffee Roasters",
            "twitter",
            "northwind-x",
            99_999_999,
            {},
            at=tomorrow.isoformat(),
        )
    (report,) = brandkit.report(everything.brand, everything.options)
    account = next(a for a in report.accounts if a.platform == "twitter")
    today = report.end
    assert all(day <= today for day, _ in account.trend)
    assert 99_999_999 not in [v for _, v in account.trend]
    assert any(p.kind == "future_rows" for p in account.problems)
    assert account.last_change is None or account.last_change[:10] <= today

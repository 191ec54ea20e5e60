"""The history in PostgreSQL (#30, item 2), against a real server (tests/postgres.py): the same
watch, stats and report as on SQLite; many brands apart in one history; an old SQLite history
migrated by Alembic and moved into PostgreSQL without losing a row; a server that is down,
refuses the password or drops the connection is said with the history's name (never its
password) and loses no snapshot; a history from a newer brandkit is refused."""

from __future__ import annotations

import sqlite3
import typing as t
from pathlib import Path

import psycopg
import pytest
import yaml

import brandkit
from brandkit.audience.history import History, HistoryError, checks, events, snapshots
from brandkit.cli import main
from tests.audience.conftest import Receiver
from tests.postgres import PASSWORD, Server
from tests.sync.conftest import World

NORTHWIND = "Northwind Coffee Roasters"


def test_watch_stats_and_report_on_postgresql(
    everything: World, postgres: Server, receiver: Receiver
) -> None:
    url = postgres.new_database()
    brandkit.apply(everything.brand, everything.options)
    first = brandkit.watch(everything.brand, everything.options, [receiver.url], history=url)
    assert first.exit_code() == 0 and not first.seen.history_problem
    everything.processed()
    everything.api().update_profile(description="Cheap coffee, whatever")
    for _ in range(2):  # the same drift twice: one alert
        again = brandkit.watch(everything.brand, everything.options, [receiver.url], history=url)
        assert again.exit_code() == 2 and not again.seen.history_problem
    assert [m["title"] for m in receiver.received] == ["brandkit: twitter:northwind-x off-brand"]
    with History(url) as store:
        assert store.dialect == "postgresql"
        assert len(store.snapshots(NORTHWIND, "twitter", "northwind-x")) == 1  # one per day
        assert store.count(checks) == 9  # three watches of three accounts
        assert [e.kind for e in store.events(kinds=("drift_appeared",))] == ["drift_appeared"]
        assert store.last_check(NORTHWIND, "twitter", "northwind-x")[0] == "drift"  # type: ignore[index]
    (report,) = brandkit.report(everything.brand, everything.options, history=url)
    x = next(a for a in report.accounts if a.platform == "twitter")
    assert x.audience and x.status == "drift" and x.last_change is not None


def test_two_brands_with_the_same_account_ids_stay_apart(postgres: Server) -> None:
    url = postgres.new_database()
    with History(url) as store:
        store.add_snapshot("Brand A", "twitter", "main", 10, {})
        store.add_snapshot("Brand B", "twitter", "main", 20, {})
        store.move(
            "Brand A", "twitter", "main", lambda before: ("drift:bio", [("drift_appeared", "a")])
        )
        assert [s.audience for s in store.snapshots("Brand B", "twitter", "main")] == [20]
        assert store.alert_state("Brand A", "twitter", "main") == "drift:bio"
        assert store.alert_state("Brand B", "twitter", "main") is None
        assert [e.brand for e in store.events()] == ["Brand A"]


def _old_history(path: Path) -> None:
    """A history as brandkit wrote it before Alembic and brands (schema_version 2)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES ('schema_version', '2');
        CREATE TABLE snapshots (platform TEXT NOT NULL, account TEXT NOT NULL, day TEXT NOT NULL,
            collected_at TEXT NOT NULL, audience INTEGER NOT NULL, metrics TEXT NOT NULL,
            PRIMARY KEY (platform, account, day));
        CREATE TABLE daily (platform TEXT NOT NULL, account TEXT NOT NULL, metric TEXT NOT NULL,
            day TEXT NOT NULL, value INTEGER NOT NULL,
            PRIMARY KEY (platform, account, metric, day));
        CREATE TABLE checks (id INTEGER PRIMARY KEY, at TEXT NOT NULL, platform TEXT NOT NULL,
            account TEXT NOT NULL, status TEXT NOT NULL, fields TEXT NOT NULL,
            message TEXT NOT NULL);
        CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, platform TEXT NOT NULL,
            account TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE TABLE alert_state (platform TEXT NOT NULL, account TEXT NOT NULL,
            state TEXT NOT NULL, PRIMARY KEY (platform, account));
        CREATE TABLE outbox (id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            target TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
            sent_at TEXT, claimed_at TEXT);
        CREATE INDEX events_at ON events (at);
        """
    )
    for day in range(1, 11):
        db.execute(
            "INSERT INTO snapshots VALUES ('twitter', 'northwind-x', ?, ?, ?, '{}')",
            (f"2026-11-{day:02d}", f"2026-11-{day:02d}T09:00:00+00:00", 1000 + day),
        )
        db.execute(
            "INSERT INTO checks (at, platform, account, status, fields, message) "
            "VALUES (?, 'twitter', 'northwind-x', 'ok', '[]', '')",
            (f"2026-11-{day:02d}T09:00:00+00:00",),
        )
    db.execute(
        "INSERT INTO events VALUES (7, '2026-11-03T09:00:00+00:00', 'twitter', "
        "'northwind-x', 'drift_appeared', 'bio')"
    )
    db.execute("INSERT INTO outbox (event_id, target, sent_at) VALUES (7, 'json://x', NULL)")
    db.execute("INSERT INTO alert_state VALUES ('twitter', 'northwind-x', 'ok')")
    db.commit()
    db.close()


def test_an_old_history_is_migrated_and_moved_into_postgresql_without_losing_a_row(
    everything: World, postgres: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    old = everything.spec.parent / ".brandkit" / "history.sqlite"
    _old_history(old)
    url = postgres.new_database()
    assert main(["history", "migrate", "--from", str(old), "--to", url]) == 0
    said = capsys.readouterr().out
    assert "10 snapshots" in said and "10 checks" in said and "1 events" in said
    assert "1 outbox" in said and PASSWORD not in said and "***" in said
    with History(url) as store:
        # the rows from before brands belong to the brand the file lay beside
        assert len(store.snapshots(NORTHWIND, "twitter", "northwind-x")) == 10
        assert store.alert_state(NORTHWIND, "twitter", "northwind-x") == "ok"
        [(_, target, event)] = store.pending(["json://x"])
        assert target == "json://x" and event.kind == "drift_appeared" and event.brand == NORTHWIND
        new_id = store.add_event(NORTHWIND, "twitter", "northwind-x", "applied", "bio")
        assert new_id > event.id  # ids go on after the copied ones
    # the SQLite file itself was brought to the newest schema on the way, nothing lost
    with History(old) as store:
        assert store.count(snapshots) == 10 and store.count(events) == 1
    # moved twice: refused, nothing written twice
    with pytest.raises(HistoryError, match="already holds some of these rows"):
        from brandkit.audience.migrate import migrate_history

        migrate_history(old, url)
    with History(url) as store:
        assert store.count(snapshots) == 10


def test_a_history_from_a_newer_brandkit_is_refused(postgres: Server, tmp_path: Path) -> None:
    url = postgres.new_database()
    History(url).close()
    with psycopg.connect(url) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(HistoryError, match="written by a newer brandkit .schema 0099.; upgrade"):
        History(url)


def _stats(world: World, url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["stats", str(world.spec), "-q", "--history", url])
    return code, capsys.readouterr().err


def test_a_server_that_is_down_or_refuses_the_password_loses_no_snapshot(
    everything: World,
    postgres: Server,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    url = postgres.new_database()
    wrong = url.replace(PASSWORD, "not-the-password")
    code, err = _stats(everything, wrong, capsys)
    assert code == 1 and "password authentication failed" in err
    assert "not-the-password" not in err and "127.0.0.1" in err and "kept in" in err
    assert "Traceback" not in err
    postgres.stop()
    try:
        code, err = _stats(everything, url, capsys)
        assert code == 1 and "cannot open the history" in err and PASSWORD not in err
        assert "Traceback" not in err
    finally:
        postgres.start()
    kept = list((everything.spec.parent / ".brandkit").glob("history-*.pending.jsonl"))
    assert len(kept) == 1 and len(kept[0].read_text().splitlines()) == 6  # two runs' snapshots
    code, err = _stats(everything, url, capsys)
    assert code == 0, err
    assert not kept[0].exists()  # added by the run that could write
    with History(url) as store:
        assert store.count(snapshots) == 3  # today's of each account (kept ones, then replaced)


def test_a_dropped_connection_is_opened_again(postgres: Server) -> None:
    url = postgres.new_database()
    with History(url) as store:
        store.add_event("B", "twitter", "a", "applied", "1")
        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'brandkit'"
            )
        store.add_event("B", "twitter", "a", "applied", "2")  # the pool checks, reconnects
        assert [e.detail for e in store.events()] == ["1", "2"]


def test_brandkit_history_environment_variable(
    everything: World, postgres: Server, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    url = postgres.new_database()
    monkeypatch.setenv("BRANDKIT_HISTORY", url)
    assert main(["stats", str(everything.spec), "-q"]) == 0
    out = capsys.readouterr().out
    assert PASSWORD not in out
    assert "history postgresql://brandkit:***@127.0.0.1" in out
    with History(url) as store:
        assert store.count(snapshots) == 3
    assert not (everything.spec.parent / ".brandkit" / "history.sqlite").exists()
    data = yaml.safe_load(everything.spec.read_text())
    assert data["identity"]["name"] == NORTHWIND

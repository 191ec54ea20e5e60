"""The history: audience snapshots, check results, events and alert state, in one SQLite file.

SQLite in WAL mode: readers never wait for the writer, and a job killed halfway leaves the last
committed state (every write is one transaction). Two jobs writing at once queue on SQLite's own
lock (``busy_timeout``). The schema carries a version and migrates forward on open.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import sqlite3
import time
import typing as t
from pathlib import Path

from brandkit.errors import BrandkitError

__all__ = ["Event", "History", "HistoryError", "Snapshot"]

SCHEMA_VERSION = 1
_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE snapshots (
        platform TEXT NOT NULL, account TEXT NOT NULL, day TEXT NOT NULL,
        collected_at TEXT NOT NULL, audience INTEGER NOT NULL, metrics TEXT NOT NULL,
        PRIMARY KEY (platform, account, day)
    );
    CREATE TABLE daily (
        platform TEXT NOT NULL, account TEXT NOT NULL, metric TEXT NOT NULL, day TEXT NOT NULL,
        value INTEGER NOT NULL, PRIMARY KEY (platform, account, metric, day)
    );
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, platform TEXT NOT NULL, account TEXT NOT NULL,
        status TEXT NOT NULL, fields TEXT NOT NULL, message TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, platform TEXT NOT NULL, account TEXT NOT NULL,
        kind TEXT NOT NULL, detail TEXT NOT NULL
    );
    CREATE TABLE alert_state (
        platform TEXT NOT NULL, account TEXT NOT NULL, state TEXT NOT NULL,
        PRIMARY KEY (platform, account)
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id),
        target TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
        sent_at TEXT
    );
    CREATE INDEX events_at ON events (at);
    """,
}


class HistoryError(BrandkitError):
    """The history file cannot be opened or is not brandkit's."""


@dataclasses.dataclass(frozen=True)
class Snapshot:
    platform: str
    account: str
    day: str  # YYYY-MM-DD (UTC)
    collected_at: str
    audience: int
    metrics: dict[str, t.Any]


@dataclasses.dataclass(frozen=True)
class Event:
    id: int
    at: str
    platform: str
    account: str
    kind: str  # drift_appeared, drift_resolved, failing, recovered, token_refused, ...
    detail: str


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class History:
    """``with History(path) as history: ...``; every method commits on its own."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        deadline = time.monotonic() + 30
        delay = 0.02
        while True:
            try:
                self._open()
                return
            except sqlite3.OperationalError as exc:
                # another job is creating or migrating the file: switching to WAL and the
                # schema's first transaction can answer "locked" before the busy timeout applies
                busy = "locked" in str(exc) or "busy" in str(exc)
                self._close_quietly()
                if not busy or time.monotonic() > deadline:
                    raise HistoryError(f"{self.path}: cannot open the history ({exc})") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            except sqlite3.DatabaseError as exc:
                self._close_quietly()
                raise HistoryError(
                    f"{self.path}: not a brandkit history ({exc}); move it away to start a new one"
                ) from None
            except OSError as exc:
                raise HistoryError(
                    f"{self.path}: cannot open the history ({exc.strerror})"
                ) from None

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never torn
        self._migrate()

    def _close_quietly(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _write(self) -> t.Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"{self.path} was written by a newer brandkit (schema {version}); upgrade"
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    # -- snapshots ---------------------------------------------------------------------------
    def add_snapshot(
        self,
        platform: str,
        account: str,
        audience: int,
        metrics: t.Mapping[str, t.Any],
        daily: t.Mapping[str, t.Mapping[str, int]] | None = None,
        at: str | None = None,
    ) -> None:
        """The day's snapshot of an account (a later one the same day replaces it), and the
        per-day values the platform gave."""
        at = at or now_iso()
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?, ?, ?)",
                (platform, account, at[:10], at, audience, json.dumps(metrics, sort_keys=True)),
            )
            for metric, days in (daily or {}).items():
                db.executemany(
                    "INSERT OR REPLACE INTO daily VALUES (?, ?, ?, ?, ?)",
                    [(platform, account, metric, day, int(v)) for day, v in days.items()],
                )

    def snapshots(self, platform: str, account: str, since: str = "") -> list[Snapshot]:
        rows = self.db.execute(
            "SELECT platform, account, day, collected_at, audience, metrics FROM snapshots "
            "WHERE platform=? AND account=? AND day>=? ORDER BY day",
            (platform, account, since),
        ).fetchall()
        return [
            Snapshot(row[0], row[1], row[2], row[3], row[4], json.loads(row[5])) for row in rows
        ]

    def daily(self, platform: str, account: str, metric: str, since: str = "") -> dict[str, int]:
        rows = self.db.execute(
            "SELECT day, value FROM daily WHERE platform=? AND account=? AND metric=? AND day>=? "
            "ORDER BY day",
            (platform, account, metric, since),
        ).fetchall()
        return {day: value for day, value in rows}

    # -- checks, events, alert state ----------------------------------------------------------
    def add_check(
        self, platform: str, account: str, status: str, fields: t.Sequence[str], message: str
    ) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO checks (at, platform, account, status, fields, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (now_iso(), platform, account, status, json.dumps(list(fields)), message),
            )

    def last_check(self, platform: str, account: str) -> tuple[str, str] | None:
        """(status, at) of the latest check."""
        row = self.db.execute(
            "SELECT status, at FROM checks WHERE platform=? AND account=? ORDER BY id DESC LIMIT 1",
            (platform, account),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def last_change(self, platform: str, account: str) -> str | None:
        """When the account last moved: drift appeared or resolved, or brandkit wrote to it."""
        row = self.db.execute(
            "SELECT at FROM events WHERE platform=? AND account=? AND kind IN "
            "('drift_appeared', 'drift_resolved', 'applied') ORDER BY id DESC LIMIT 1",
            (platform, account),
        ).fetchone()
        return str(row[0]) if row else None

    def add_event(self, platform: str, account: str, kind: str, detail: str) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO events (at, platform, account, kind, detail) VALUES (?, ?, ?, ?, ?)",
                (now_iso(), platform, account, kind, detail),
            )
            return int(cursor.lastrowid or 0)

    def events(self, since: str = "", kinds: t.Sequence[str] = ()) -> list[Event]:
        query = "SELECT id, at, platform, account, kind, detail FROM events WHERE at>=?"
        args: list[t.Any] = [since]
        if kinds:
            query += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += list(kinds)
        return [Event(*row) for row in self.db.execute(query + " ORDER BY id", args)]

    def alert_state(self, platform: str, account: str) -> str | None:
        row = self.db.execute(
            "SELECT state FROM alert_state WHERE platform=? AND account=?", (platform, account)
        ).fetchone()
        return str(row[0]) if row else None

    def move(
        self,
        platform: str,
        account: str,
        state: str,
        events: t.Sequence[tuple[str, str]],
        targets: t.Sequence[str] = (),
    ) -> None:
        """An account's new alert state, the events that say how it got there, and one delivery
        per event and target: all in one transaction, so a job killed halfway neither loses an
        alert nor sends one twice."""
        with self._write() as db:
            for kind, detail in events:
                cursor = db.execute(
                    "INSERT INTO events (at, platform, account, kind, detail) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (now_iso(), platform, account, kind, detail),
                )
                db.executemany(
                    "INSERT INTO outbox (event_id, target) VALUES (?, ?)",
                    [(cursor.lastrowid, target) for target in targets],
                )
            db.execute(
                "INSERT OR REPLACE INTO alert_state VALUES (?, ?, ?)", (platform, account, state)
            )

    # -- the outbox: alerts waiting for delivery ----------------------------------------------
    def pending(self, targets: t.Sequence[str]) -> list[tuple[int, str, Event]]:
        """Deliveries not made yet to any of ``targets``: (outbox id, target, event)."""
        if not targets:
            return []
        rows = self.db.execute(
            "SELECT o.id, o.target, e.id, e.at, e.platform, e.account, e.kind, e.detail "
            "FROM outbox o JOIN events e ON e.id = o.event_id WHERE o.sent_at IS NULL AND "
            f"o.target IN ({','.join('?' * len(targets))}) ORDER BY o.id",
            list(targets),
        ).fetchall()
        return [(row[0], row[1], Event(*row[2:])) for row in rows]

    def delivered(self, outbox_id: int, error: str | None) -> None:
        with self._write() as db:
            if error is None:
                db.execute(
                    "UPDATE outbox SET sent_at=?, attempts=attempts+1, last_error=NULL WHERE id=?",
                    (now_iso(), outbox_id),
                )
            else:
                db.execute(
                    "UPDATE outbox SET attempts=attempts+1, last_error=? WHERE id=?",
                    (error, outbox_id),
                )

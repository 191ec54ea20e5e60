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
import os
import sqlite3
import time
import typing as t
from pathlib import Path

from brandkit.errors import BrandkitError

__all__ = ["Event", "History", "HistoryError", "Snapshot", "keep_for_later"]

SCHEMA_VERSION = 2
CLAIM_SECONDS = 600  # a delivery claimed by a job that died is tried again after this
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
    # 2: a delivery is claimed by the job that sends it, in the transaction that picks it
    2: "ALTER TABLE outbox ADD COLUMN claimed_at TEXT",
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


def pending_path(history: Path) -> Path:
    return history.with_name(history.name + ".pending.jsonl")


def keep_for_later(history: Path, records: t.Sequence[tuple[str, t.Sequence[t.Any]]]) -> Path:
    """Keep (kind, args) records a run could not write into ``history`` beside it, one JSON
    line each (appended: several runs may keep theirs); the next run that can write the
    history adds them (``History.add_kept``)."""
    path = pending_path(history)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for kind, args in records:
            fh.write(json.dumps({"kind": kind, "args": list(args)}, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _ago(seconds: int) -> str:
    then = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)
    return then.replace(microsecond=0).isoformat()


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> HistoryError:
    return HistoryError(
        f"{path}: the history cannot be read or written ({exc}); the file may be damaged: move "
        "it away to start a new one (this run's figures are kept beside it and added later)"
    )


class History:
    """``with History(path) as history: ...``; every method commits on its own. A damaged
    file is a HistoryError naming it, never a bare sqlite3 error."""

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
            except HistoryError:
                self._close_quietly()
                raise
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
    def _write(self, opening: bool = False) -> t.Iterator[sqlite3.Connection]:
        """One transaction holding the write lock. ``opening``: a busy file is left to the
        caller (``__init__`` waits for a job that is creating it)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if opening and ("locked" in str(exc) or "busy" in str(exc)):
                raise
            if "locked" in str(exc) or "busy" in str(exc):
                raise HistoryError(f"{self.path}: the history stayed locked ({exc})") from None
            raise _damaged(self.path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None

    def _rows(self, query: str, args: t.Sequence[t.Any] = ()) -> list[t.Any]:
        try:
            return self.db.execute(query, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None

    def _migrate(self) -> None:
        with self._write(opening=True) as db:
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
        rows = self._rows(
            "SELECT platform, account, day, collected_at, audience, metrics FROM snapshots "
            "WHERE platform=? AND account=? AND day>=? ORDER BY day",
            (platform, account, since),
        )
        return [
            Snapshot(row[0], row[1], row[2], row[3], row[4], json.loads(row[5])) for row in rows
        ]

    def daily(self, platform: str, account: str, metric: str, since: str = "") -> dict[str, int]:
        rows = self._rows(
            "SELECT day, value FROM daily WHERE platform=? AND account=? AND metric=? AND day>=? "
            "ORDER BY day",
            (platform, account, metric, since),
        )
        return {day: value for day, value in rows}

    # -- checks, events, alert state ----------------------------------------------------------
    def add_check(
        self,
        platform: str,
        account: str,
        status: str,
        fields: t.Sequence[str],
        message: str,
        at: str | None = None,
    ) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO checks (at, platform, account, status, fields, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (at or now_iso(), platform, account, status, json.dumps(list(fields)), message),
            )

    # -- what a run could not write, kept for the next --------------------------------------------
    def add_kept(self) -> int:
        """Add what earlier runs kept beside the history when it could not be written (see
        ``keep_for_later``), then remove the file. The number of records added."""
        kept = pending_path(self.path)
        try:
            lines = kept.read_text(encoding="utf-8").splitlines()
        except OSError:
            return 0
        added = 0
        for line in lines:
            try:
                record = json.loads(line)
                if record.get("kind") == "snapshot":
                    self.add_snapshot(*record["args"])
                elif record.get("kind") == "check":
                    self.add_check(*record["args"])
                else:
                    continue
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # a damaged line: the rest still count
            added += 1
        kept.unlink(missing_ok=True)
        return added

    def last_check(self, platform: str, account: str) -> tuple[str, str] | None:
        """(status, at) of the latest check."""
        rows = self._rows(
            "SELECT status, at FROM checks WHERE platform=? AND account=? ORDER BY id DESC LIMIT 1",
            (platform, account),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def last_change(self, platform: str, account: str) -> str | None:
        """When the account last moved: drift appeared or resolved, or brandkit wrote to it."""
        rows = self._rows(
            "SELECT at FROM events WHERE platform=? AND account=? AND kind IN "
            "('drift_appeared', 'drift_resolved', 'applied') AND at<=? ORDER BY id DESC LIMIT 1",
            (platform, account, now_iso()),
        )
        return str(rows[0][0]) if rows else None

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
        return [Event(*row) for row in self._rows(query + " ORDER BY id", args)]

    def alert_state(self, platform: str, account: str) -> str | None:
        rows = self._rows(
            "SELECT state FROM alert_state WHERE platform=? AND account=?", (platform, account)
        )
        return str(rows[0][0]) if rows else None

    def move(
        self,
        platform: str,
        account: str,
        decide: t.Callable[[str | None], tuple[str, t.Sequence[tuple[str, str]]]],
        targets: t.Sequence[str] = (),
    ) -> list[tuple[str, str]]:
        """Move an account's alert state: ``decide(state before)`` gives the new state and the
        events that say how it got there. The state is read, and the events and one delivery
        per event and target written, in one transaction: two jobs watching at once cannot
        both see the old state (one alert per change), and a job killed halfway neither loses
        an alert nor sends one twice. Returns the events written."""
        with self._write() as db:
            row = db.execute(
                "SELECT state FROM alert_state WHERE platform=? AND account=?",
                (platform, account),
            ).fetchone()
            state, events = decide(str(row[0]) if row else None)
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
        return list(events)

    # -- the outbox: alerts waiting for delivery ----------------------------------------------
    def pending(self, targets: t.Sequence[str]) -> list[tuple[int, str, Event]]:
        """Deliveries not made yet to any of ``targets`` and not being made by another job:
        (outbox id, target, event). ``claim`` one before sending it."""
        if not targets:
            return []
        stale = _ago(CLAIM_SECONDS)
        rows = self._rows(
            "SELECT o.id, o.target, e.id, e.at, e.platform, e.account, e.kind, e.detail "
            "FROM outbox o JOIN events e ON e.id = o.event_id WHERE o.sent_at IS NULL AND "
            "(o.claimed_at IS NULL OR o.claimed_at < ?) AND "
            f"o.target IN ({','.join('?' * len(targets))}) ORDER BY o.id",
            [stale, *targets],
        )
        return [(row[0], row[1], Event(*row[2:])) for row in rows]

    def claim(self, outbox_id: int) -> bool:
        """Take one delivery for this job; False when another job took it (or it was sent) since
        ``pending`` listed it. Decided in the write transaction: a delivery goes out once."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE outbox SET claimed_at=? WHERE id=? AND sent_at IS NULL AND "
                "(claimed_at IS NULL OR claimed_at < ?)",
                (now_iso(), outbox_id, _ago(CLAIM_SECONDS)),
            )
            return cursor.rowcount == 1

    def delivered(self, outbox_id: int, error: str | None) -> None:
        with self._write() as db:
            if error is None:
                db.execute(
                    "UPDATE outbox SET sent_at=?, attempts=attempts+1, last_error=NULL, "
                    "claimed_at=NULL WHERE id=?",
                    (now_iso(), outbox_id),
                )
            else:
                db.execute(
                    "UPDATE outbox SET attempts=attempts+1, last_error=?, claimed_at=NULL "
                    "WHERE id=?",
                    (error, outbox_id),
                )

"""The history: audience snapshots, check results, events and alert state, per brand.

One implementation on SQLAlchemy Core for two databases: a SQLite file (the embedded default,
beside the spec) or a PostgreSQL server (``postgresql://…``: a team, CI runners and several
machines writing to one place). Alembic versions the schema (brandkit/audience/migrations/); a
history opens at the newest version, migrated under a lock (SQLite's write lock, PostgreSQL's
advisory lock) so two jobs starting at once do not both migrate it, and one written by a newer
brandkit is refused.

Every write is one transaction: a job killed halfway leaves the last committed state. SQLite
runs in WAL mode (readers never wait for the writer; writers queue on its lock with a busy
timeout); each write takes the lock when it begins (``BEGIN IMMEDIATE``), so no two jobs can
both read a state and then both act on it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import socket
import time
import typing as t
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from brandkit.errors import BrandkitError

__all__ = [
    "Event",
    "History",
    "HistoryError",
    "Snapshot",
    "history_label",
    "keep_for_later",
]

HEAD = "0003"  # the newest schema revision this brandkit writes (migrations/versions/)
REVISIONS = ("0001", "0002", "0003")
CLAIM_SECONDS = 600  # a delivery claimed by a job that died is tried again after this
MIGRATION_LOCK = 0x6272616E646B6974  # "brandkit": PostgreSQL's advisory lock while migrating

meta = sa.MetaData()


def _whose(key: bool) -> list[sa.Column[t.Any]]:
    """The brand, platform and account a row is about (part of the key, or not)."""
    return [sa.Column(name, sa.Text, primary_key=key) for name in ("brand", "platform", "account")]


snapshots = sa.Table(
    "snapshots",
    meta,
    *_whose(key=True),
    sa.Column("day", sa.Text, primary_key=True),
    sa.Column("collected_at", sa.Text),
    sa.Column("audience", sa.BigInteger),
    sa.Column("metrics", sa.Text),
)
daily_values = sa.Table(
    "daily",
    meta,
    *_whose(key=True),
    sa.Column("metric", sa.Text, primary_key=True),
    sa.Column("day", sa.Text, primary_key=True),
    sa.Column("value", sa.BigInteger),
)
checks = sa.Table(
    "checks",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Text),
    *_whose(key=False),
    sa.Column("status", sa.Text),
    sa.Column("fields", sa.Text),
    sa.Column("message", sa.Text),
)
events = sa.Table(
    "events",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Text),
    *_whose(key=False),
    sa.Column("kind", sa.Text),
    sa.Column("detail", sa.Text),
)
alert_state = sa.Table(
    "alert_state",
    meta,
    *_whose(key=True),
    sa.Column("state", sa.Text),
)
outbox = sa.Table(
    "outbox",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.Integer),
    sa.Column("target", sa.Text),
    sa.Column("attempts", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("sent_at", sa.Text),
    sa.Column("claimed_at", sa.Text),
)
shards = sa.Table(
    "shards",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("shard", sa.Integer),
    sa.Column("of", sa.Integer),
    sa.Column("started_at", sa.Text),
    sa.Column("until", sa.Text),
    sa.Column("host", sa.Text),
)
# every table a history holds, in the order `history migrate` copies them (events before outbox)
TABLES = (snapshots, daily_values, checks, events, alert_state, outbox)


class HistoryError(BrandkitError):
    """The history cannot be opened, read or written, or is not brandkit's."""


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
    brand: str = ""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _ago(seconds: int) -> str:
    then = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)
    return then.replace(microsecond=0).isoformat()


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def history_label(target: str | Path) -> str:
    """How messages name a history: its path, or its URL without the password."""
    if not is_url(target):
        return str(target)
    try:
        return sa.engine.make_url(str(target)).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(an unreadable database URL)"


def pending_path(history: str | Path, beside: Path | None = None) -> Path:
    """Where a run keeps what it could not write: beside a history file, or in ``beside`` (the
    state folder) for a database server."""
    if not is_url(history):
        path = Path(history)
        return path.with_name(path.name + ".pending.jsonl")
    digest = hashlib.sha256(history_label(history).encode()).hexdigest()[:12]
    return (beside or Path(".brandkit")) / f"history-{digest}.pending.jsonl"


def keep_for_later(
    history: str | Path,
    records: t.Sequence[tuple[str, t.Sequence[t.Any]]],
    beside: Path | None = None,
) -> Path:
    """Keep (kind, args) records a run could not write into ``history`` in a file, one JSON
    line each (appended: several runs may keep theirs); the next run that can write the
    history adds them (``History.add_kept``)."""
    path = pending_path(history, beside)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for kind, args in records:
            fh.write(json.dumps({"kind": kind, "args": list(args)}, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _engine(target: str | Path) -> sa.Engine:
    if not is_url(target):
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            sa.engine.URL.create("sqlite", database=str(path)),
            connect_args={"timeout": 30},
        )

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi: t.Any, record: t.Any) -> None:
            dbapi.isolation_level = None  # brandkit says when a transaction begins, and how
            dbapi.execute("PRAGMA journal_mode=WAL")
            dbapi.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never torn

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            writes = connection.get_execution_options().get("brandkit_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

        return engine
    url = sa.engine.make_url(str(target))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if not url.drivername.startswith("postgresql"):
        raise HistoryError(
            f"{history_label(target)}: brandkit keeps its history in a SQLite file or in "
            "PostgreSQL (postgresql://user@host/database)"
        )
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        connect_args={"connect_timeout": 10, "application_name": "brandkit"},
    )


class History:
    """``with History(path_or_url) as history: ...``; every method commits on its own. Any
    failure of the database is a :class:`HistoryError` naming the history (never its
    password), never a bare driver error."""

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.label = history_label(target)
        self.path = Path(target) if not is_url(target) else None
        try:
            self.engine = _engine(target)
        except ModuleNotFoundError as exc:
            raise HistoryError(
                f"{self.label}: PostgreSQL needs psycopg: pip install 'brandkit[postgresql]' "
                f"({exc.name} is missing)"
            ) from None
        except sa.exc.ArgumentError:
            raise HistoryError(f"{self.label}: not a database URL brandkit can read") from None
        self.dialect = self.engine.dialect.name
        deadline = time.monotonic() + 30
        delay = 0.02
        while True:
            try:
                self._migrate()
                return
            except sa.exc.OperationalError as exc:
                # another job is creating or migrating the file: switching to WAL and the
                # schema's first transaction can answer "locked" before the busy timeout applies
                if not self._busy(exc) or time.monotonic() > deadline:
                    self.engine.dispose()
                    raise self._error("cannot open the history", exc) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            except sa.exc.DatabaseError as exc:
                self.engine.dispose()
                raise HistoryError(
                    f"{self.label}: not a brandkit history ({_first_line(exc)}); move it away "
                    "to start a new one"
                ) from None
            except HistoryError:
                self.engine.dispose()
                raise

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- the database ---------------------------------------------------------------------------
    @staticmethod
    def _busy(exc: BaseException) -> bool:
        said = str(exc)
        return "locked" in said or "busy" in said

    def _error(self, what: str, exc: BaseException) -> HistoryError:
        if self.path is not None and isinstance(exc, sa.exc.DatabaseError) and not self._busy(exc):
            return HistoryError(
                f"{self.label}: the history cannot be read or written ({_first_line(exc)}); the "
                "file may be damaged: move it away to start a new one (this run's figures are "
                "kept beside it and added later)"
            )
        return HistoryError(f"{self.label}: {what} ({_first_line(exc)})")

    @contextlib.contextmanager
    def _write(self) -> t.Iterator[sa.Connection]:
        """One transaction that holds the write lock (SQLite) from its first statement."""
        try:
            with self.engine.connect() as connection:
                connection = connection.execution_options(brandkit_write=True)
                with connection.begin():
                    yield connection
        except sa.exc.DBAPIError as exc:
            raise self._error("the history could not be written", exc) from None

    @contextlib.contextmanager
    def _read(self) -> t.Iterator[sa.Connection]:
        try:
            with self.engine.connect() as connection, connection.begin():
                yield connection
        except sa.exc.DBAPIError as exc:
            raise self._error("the history could not be read", exc) from None

    def _migrate(self) -> None:
        """Bring the schema to ``HEAD`` (Alembic, imported only when there is work)."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(brandkit_write=True)
            with connection.begin():
                if self.dialect == "postgresql":
                    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK)))
                try:
                    found = _revision(connection)
                except HistoryError as exc:
                    raise HistoryError(f"{self.label}: not a brandkit history ({exc})") from None
                if found == HEAD:
                    return
                if found not in (None, *REVISIONS):
                    raise HistoryError(
                        f"{self.label} was written by a newer brandkit (schema {found}); upgrade "
                        "brandkit to read it"
                    )
                _upgrade(connection, found)

    def _upsert(self, table: sa.Table, row: dict[str, t.Any]) -> sa.Insert:
        insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)
        keys = [c.name for c in table.primary_key.columns]
        rest = {k: v for k, v in row.items() if k not in keys}
        return insert.values(**row).on_conflict_do_update(index_elements=keys, set_=rest)

    def _lock_account(self, connection: sa.Connection, *key: str) -> None:
        """PostgreSQL: one transaction at a time moves an account's alert state (an advisory
        lock on its key, released at commit); SQLite's write lock does that already."""
        if self.dialect == "postgresql":
            digest = hashlib.sha256("\0".join(key).encode()).digest()
            connection.execute(
                sa.select(
                    sa.func.pg_advisory_xact_lock(int.from_bytes(digest[:8], "big", signed=True))
                )
            )

    # -- snapshots -------------------------------------------------------------------------------
    def record(self, records: t.Sequence[tuple[str, t.Sequence[t.Any]]]) -> None:
        """("snapshot", add_snapshot's args) and ("check", add_check's args) records, written in
        one transaction (a watch over thousands of accounts commits once)."""
        with self._write() as db:
            for kind, args in records:
                (self._snapshot if kind == "snapshot" else self._check)(db, *args)

    def add_snapshot(
        self,
        brand: str,
        platform: str,
        account: str,
        audience: int,
        metrics: t.Mapping[str, t.Any],
        daily: t.Mapping[str, t.Mapping[str, int]] | None = None,
        at: str | None = None,
    ) -> None:
        """The day's snapshot of an account (a later one the same day replaces it), and the
        per-day values the platform gave."""
        with self._write() as db:
            self._snapshot(db, brand, platform, account, audience, metrics, daily, at)

    def _snapshot(
        self,
        db: sa.Connection,
        brand: str,
        platform: str,
        account: str,
        audience: int,
        metrics: t.Mapping[str, t.Any],
        daily: t.Mapping[str, t.Mapping[str, int]] | None = None,
        at: str | None = None,
    ) -> None:
        at = at or now_iso()
        key = {"brand": brand, "platform": platform, "account": account}
        db.execute(
            self._upsert(
                snapshots,
                {
                    **key,
                    "day": at[:10],
                    "collected_at": at,
                    "audience": audience,
                    "metrics": json.dumps(metrics, sort_keys=True),
                },
            )
        )
        for metric, days in (daily or {}).items():
            for day, value in days.items():
                row = {**key, "metric": metric, "day": day, "value": int(value)}
                db.execute(self._upsert(daily_values, row))

    def snapshots(self, brand: str, platform: str, account: str, since: str = "") -> list[Snapshot]:
        query = (
            sa.select(
                snapshots.c.platform,
                snapshots.c.account,
                snapshots.c.day,
                snapshots.c.collected_at,
                snapshots.c.audience,
                snapshots.c.metrics,
            )
            .where(
                snapshots.c.brand == brand,
                snapshots.c.platform == platform,
                snapshots.c.account == account,
                snapshots.c.day >= since,
            )
            .order_by(snapshots.c.day)
        )
        with self._read() as db:
            rows = db.execute(query).all()
        return [Snapshot(r[0], r[1], r[2], r[3], int(r[4]), json.loads(r[5])) for r in rows]

    def daily(
        self, brand: str, platform: str, account: str, metric: str, since: str = ""
    ) -> dict[str, int]:
        query = (
            sa.select(daily_values.c.day, daily_values.c.value)
            .where(
                daily_values.c.brand == brand,
                daily_values.c.platform == platform,
                daily_values.c.account == account,
                daily_values.c.metric == metric,
                daily_values.c.day >= since,
            )
            .order_by(daily_values.c.day)
        )
        with self._read() as db:
            return {day: int(value) for day, value in db.execute(query).all()}

    # -- checks, events, alert state ------------------------------------------------------------
    def add_check(
        self,
        brand: str,
        platform: str,
        account: str,
        status: str,
        fields: t.Sequence[str],
        message: str,
        at: str | None = None,
    ) -> None:
        with self._write() as db:
            self._check(db, brand, platform, account, status, fields, message, at)

    def _check(
        self,
        db: sa.Connection,
        brand: str,
        platform: str,
        account: str,
        status: str,
        fields: t.Sequence[str],
        message: str,
        at: str | None = None,
    ) -> None:
        db.execute(
            checks.insert().values(
                at=at or now_iso(),
                brand=brand,
                platform=platform,
                account=account,
                status=status,
                fields=json.dumps(list(fields)),
                message=message,
            )
        )

    def last_check(self, brand: str, platform: str, account: str) -> tuple[str, str] | None:
        """(status, at) of the latest check."""
        query = (
            sa.select(checks.c.status, checks.c.at)
            .where(
                checks.c.brand == brand, checks.c.platform == platform, checks.c.account == account
            )
            .order_by(checks.c.id.desc())
            .limit(1)
        )
        with self._read() as db:
            row = db.execute(query).first()
        return (str(row[0]), str(row[1])) if row else None

    def last_change(self, brand: str, platform: str, account: str) -> str | None:
        """When the account last moved: drift appeared or resolved, or brandkit wrote to it."""
        query = (
            sa.select(events.c.at)
            .where(
                events.c.brand == brand,
                events.c.platform == platform,
                events.c.account == account,
                events.c.kind.in_(("drift_appeared", "drift_resolved", "applied")),
                events.c.at <= now_iso(),
            )
            .order_by(events.c.id.desc())
            .limit(1)
        )
        with self._read() as db:
            row = db.execute(query).first()
        return str(row[0]) if row else None

    def add_event(self, brand: str, platform: str, account: str, kind: str, detail: str) -> int:
        with self._write() as db:
            return self._insert_event(db, brand, platform, account, kind, detail)

    def _insert_event(
        self, db: sa.Connection, brand: str, platform: str, account: str, kind: str, detail: str
    ) -> int:
        found = db.execute(
            events.insert()
            .values(
                at=now_iso(),
                brand=brand,
                platform=platform,
                account=account,
                kind=kind,
                detail=detail,
            )
            .returning(events.c.id)
        )
        return int(found.scalar_one())

    def events(
        self, since: str = "", kinds: t.Sequence[str] = (), brand: str | None = None
    ) -> list[Event]:
        query = sa.select(
            events.c.id,
            events.c.at,
            events.c.platform,
            events.c.account,
            events.c.kind,
            events.c.detail,
            events.c.brand,
        ).where(events.c.at >= since)
        if kinds:
            query = query.where(events.c.kind.in_(list(kinds)))
        if brand is not None:
            query = query.where(events.c.brand == brand)
        with self._read() as db:
            return [Event(*row) for row in db.execute(query.order_by(events.c.id)).all()]

    def alert_state(self, brand: str, platform: str, account: str) -> str | None:
        query = sa.select(alert_state.c.state).where(
            alert_state.c.brand == brand,
            alert_state.c.platform == platform,
            alert_state.c.account == account,
        )
        with self._read() as db:
            row = db.execute(query).first()
        return str(row[0]) if row else None

    def move(
        self,
        brand: str,
        platform: str,
        account: str,
        decide: t.Callable[[str | None], tuple[str, t.Sequence[tuple[str, str]]]],
        targets: t.Sequence[str] = (),
    ) -> list[tuple[str, str]]:
        """Move an account's alert state: ``decide(state before)`` gives the new state and the
        events that say how it got there. The state is read, and the events and one delivery
        per event and target written, in one transaction that holds the account's lock: two
        jobs watching at once cannot both see the old state (one alert per change), and a job
        killed halfway neither loses an alert nor sends one twice. Returns the events written."""
        key = {"brand": brand, "platform": platform, "account": account}
        with self._write() as db:
            self._lock_account(db, brand, platform, account)
            row = db.execute(
                sa.select(alert_state.c.state).where(
                    alert_state.c.brand == brand,
                    alert_state.c.platform == platform,
                    alert_state.c.account == account,
                )
            ).first()
            state, said = decide(str(row[0]) if row else None)
            for kind, detail in said:
                event_id = self._insert_event(db, brand, platform, account, kind, detail)
                if targets:
                    db.execute(
                        outbox.insert(),
                        [
                            {"event_id": event_id, "target": target, "attempts": 0}
                            for target in targets
                        ],
                    )
            db.execute(self._upsert(alert_state, {**key, "state": state}))
        return list(said)

    # -- the outbox: alerts waiting for delivery -----------------------------------------------
    def pending(self, targets: t.Sequence[str]) -> list[tuple[int, str, Event]]:
        """Deliveries not made yet to any of ``targets`` and not being made by another job:
        (outbox id, target, event). ``claim`` one before sending it."""
        if not targets:
            return []
        query = (
            sa.select(
                outbox.c.id,
                outbox.c.target,
                events.c.id,
                events.c.at,
                events.c.platform,
                events.c.account,
                events.c.kind,
                events.c.detail,
                events.c.brand,
            )
            .join(events, events.c.id == outbox.c.event_id)
            .where(
                outbox.c.sent_at.is_(None),
                sa.or_(outbox.c.claimed_at.is_(None), outbox.c.claimed_at < _ago(CLAIM_SECONDS)),
                outbox.c.target.in_(list(targets)),
            )
            .order_by(outbox.c.id)
        )
        with self._read() as db:
            return [(int(r[0]), str(r[1]), Event(*r[2:])) for r in db.execute(query).all()]

    def claim(self, outbox_id: int) -> bool:
        """Take one delivery for this job; False when another job took it (or it was sent) since
        ``pending`` listed it. Decided by one conditional update: a delivery goes out once."""
        with self._write() as db:
            done = db.execute(
                outbox.update()
                .where(
                    outbox.c.id == outbox_id,
                    outbox.c.sent_at.is_(None),
                    sa.or_(
                        outbox.c.claimed_at.is_(None), outbox.c.claimed_at < _ago(CLAIM_SECONDS)
                    ),
                )
                .values(claimed_at=now_iso())
            )
            return done.rowcount == 1

    def delivered(self, outbox_id: int, error: str | None) -> None:
        values: dict[str, t.Any] = {"attempts": outbox.c.attempts + 1, "claimed_at": None}
        values.update(
            {"sent_at": now_iso(), "last_error": None} if error is None else {"last_error": error}
        )
        with self._write() as db:
            db.execute(outbox.update().where(outbox.c.id == outbox_id).values(**values))

    # -- rows written before brands, what a run could not write ----------------------------------
    def adopt(self, brand: str) -> int:
        """Give the rows written before histories held brands ("" ) to ``brand`` (the spec the
        history lies beside). The number of rows adopted."""
        adopted = 0
        with self._write() as db:
            for table in (snapshots, daily_values, checks, events, alert_state):
                adopted += db.execute(
                    table.update().where(table.c.brand == "").values(brand=brand)
                ).rowcount
        return adopted

    def add_kept(self, beside: Path | None = None) -> int:
        """Add what earlier runs kept when the history could not be written (see
        ``keep_for_later``), then remove the file. The number of records added."""
        kept = pending_path(self.target, beside)
        try:
            lines = kept.read_text(encoding="utf-8").splitlines()
        except OSError:
            return 0
        added = 0
        for line in lines:
            try:
                record = json.loads(line)
                args: list[t.Any] = list(record["args"])
                if record.get("kind") not in ("snapshot", "check"):
                    continue
                if len(args) == 6:  # kept by a brandkit from before histories held brands
                    args.insert(0, "")
                self.record([(record["kind"], args)])
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # a damaged line: the rest still count
            added += 1
        kept.unlink(missing_ok=True)
        return added

    # -- watch shards ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def shard(self, index: int, of: int) -> t.Iterator[None]:
        """Run as shard ``index`` of ``of`` while the block runs; refused while a live job runs
        the same shard, or a shard of another split (their accounts would overlap).

        Whether a registered job still lives is asked of what dies with it: on PostgreSQL the
        advisory lock its session holds (a job killed on any machine drops its connection, and
        the lock with it); on SQLite (one machine) its process."""
        if self.dialect == "postgresql":
            with self.engine.connect() as session:  # held for the whole run: the lock lives in it
                lease = self._register(session, index, of)
                session.commit()
                try:
                    yield
                finally:
                    with contextlib.suppress(sa.exc.DBAPIError):
                        session.execute(shards.delete().where(shards.c.id == lease))
                        session.execute(sa.select(sa.func.pg_advisory_unlock_all()))
                        session.commit()
            return
        with self.engine.connect() as connection:
            db = connection.execution_options(brandkit_write=True)
            with db.begin():
                lease = self._register(db, index, of)
        try:
            yield
        finally:
            with self._write() as db:
                db.execute(shards.delete().where(shards.c.id == lease))

    def _register(self, db: sa.Connection, index: int, of: int) -> int:
        if self.dialect == "postgresql":
            db.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK + 1)))
        me = f"{socket.gethostname()} pid {os.getpid()}"
        for row in db.execute(sa.select(shards)).all():
            if not self._alive(db, row):
                db.execute(shards.delete().where(shards.c.id == row.id))
            elif row.of != of or row.shard == index:
                raise HistoryError(
                    f"{self.label}: watch --shard {index}/{of} overlaps shard {row.shard}/{row.of} "
                    f"running on {row.host}: every shard of one watch takes the same N and its "
                    "own K; wait for it to end"
                )
        found = db.execute(
            shards.insert()
            .values(shard=index, of=of, started_at=now_iso(), until="", host=me)
            .returning(shards.c.id)
        )
        lease = int(found.scalar_one())
        if self.dialect == "postgresql":
            db.execute(sa.select(sa.func.pg_advisory_lock(_shard_key(lease))))
        return lease

    def _alive(self, db: sa.Connection, row: t.Any) -> bool:
        if self.dialect == "postgresql":
            key = _shard_key(int(row.id))
            held = db.execute(
                sa.text(
                    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                    "classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"
                ),
                {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF},
            ).first()
            return held is not None
        host, _, pid = str(row.host).partition(" pid ")
        if host != socket.gethostname() or not pid.isdigit():
            return True  # another machine's: SQLite cannot ask, so it stands
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    # -- moving a whole history ------------------------------------------------------------------
    def rows(self, table: sa.Table, batch: int = 5000) -> t.Iterator[list[dict[str, t.Any]]]:
        """Every row of ``table``, in batches (``history migrate``)."""
        with self._read() as db:
            result = db.execute(sa.select(table).order_by(*table.primary_key.columns))
            while chunk := result.fetchmany(batch):
                yield [dict(row._mapping) for row in chunk]

    def count(self, table: sa.Table) -> int:
        with self._read() as db:
            return int(db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _shard_key(lease: int) -> int:
    """The advisory lock a running shard holds (a positive 63-bit number)."""
    return (0x5348 << 47) | lease


def _first_line(exc: BaseException) -> str:
    said = str(getattr(exc, "orig", None) or exc)
    return said.strip().splitlines()[0] if said.strip() else type(exc).__name__


def _revision(connection: sa.Connection) -> str | None:
    """The schema revision a history is at: Alembic's, or (before Alembic) the ``meta`` table's
    schema_version 1 or 2; None for an empty database."""
    names = set(sa.inspect(connection).get_table_names())
    if "alembic_version" in names:
        row = connection.execute(sa.text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None
    if "meta" in names:
        row = connection.execute(
            sa.text("SELECT value FROM meta WHERE key='schema_version'")
        ).first()
        version = int(row[0]) if row and str(row[0]).isdigit() else 0
        return f"{version:04d}" if version else None
    if names & {"snapshots", "events"}:
        raise HistoryError("it holds tables of that name that are not brandkit's")
    return None


def _upgrade(connection: sa.Connection, found: str | None) -> None:
    from alembic import command  # only when there is a schema to create or migrate
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    if found is not None and "alembic_version" not in sa.inspect(connection).get_table_names():
        command.stamp(config, found)  # a history from before Alembic: its version, then onward
    command.upgrade(config, HEAD)
    if "meta" in sa.inspect(connection).get_table_names():
        connection.execute(sa.text("DROP TABLE meta"))

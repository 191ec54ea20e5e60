"""``brandkit history migrate``: move a history into another (a brand's SQLite file into the
team's PostgreSQL), without losing a row.

Everything is written in one transaction on the target: a copy that fails leaves the target as
it was. Rows keep their brand; rows from before histories held brands take the owner's (the
brand whose spec the file lies beside, or ``--brand``). Several brands' files can be moved into
one shared history, one after the other: checks, events and deliveries get the target's next ids
(deliveries follow their event), and a snapshot or alert state the target already holds for the
same brand, account and day is a refusal that names it, not an overwrite.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import sqlalchemy as sa

from brandkit.audience.history import (
    History,
    HistoryError,
    alert_state,
    checks,
    daily_values,
    events,
    outbox,
    snapshots,
)

__all__ = ["migrate_history", "owner_beside"]

BATCH = 5000


def owner_beside(history: str | Path) -> str | None:
    """The brand whose spec a history file lies beside (``<folder>/.brandkit/history.sqlite``
    next to ``<folder>/brand.yaml``), if any."""
    if "://" in str(history):
        return None
    from brandkit.errors import SpecError
    from brandkit.spec import load

    folder = Path(history).resolve().parent.parent
    for name in ("brand.yaml", "brand.yml", "_brand.yml"):
        if (folder / name).is_file():
            try:
                return load(folder / name).identity.name
            except SpecError:
                return None
    return None


def _brand(rows: list[dict[str, t.Any]], owner: str | None) -> list[dict[str, t.Any]]:
    if owner:
        for row in rows:
            if not row.get("brand"):
                row["brand"] = owner
    return rows


def migrate_history(
    source: str | Path, target: str | Path, owner: str | None = None
) -> dict[str, int]:
    """Copy every row of ``source`` into ``target``; the number of rows per table."""
    owner = owner or owner_beside(source)
    copied: dict[str, int] = {}
    with History(source) as old, History(target) as new:
        if old.label == new.label:
            raise HistoryError(f"{old.label}: the source and the target are the same history")
        try:
            with new.engine.connect() as connection:
                db = connection.execution_options(brandkit_write=True)
                with db.begin():
                    for table in (snapshots, daily_values, alert_state):
                        copied[table.name] = 0
                        for rows in old.rows(table, BATCH):
                            db.execute(table.insert(), _brand(rows, owner))
                            copied[table.name] += len(rows)
                    copied["checks"] = 0
                    for rows in old.rows(checks, BATCH):
                        for row in rows:
                            del row["id"]
                        db.execute(checks.insert(), _brand(rows, owner))
                        copied["checks"] += len(rows)
                    new_ids: dict[int, int] = {}
                    copied["events"] = 0
                    for rows in old.rows(events, BATCH):
                        ids = [row.pop("id") for row in rows]
                        made = db.execute(
                            events.insert().returning(events.c.id, sort_by_parameter_order=True),
                            _brand(rows, owner),
                        )
                        new_ids.update(zip(ids, made.scalars(), strict=True))
                        copied["events"] += len(rows)
                    copied["outbox"] = 0
                    for rows in old.rows(outbox, BATCH):
                        for row in rows:
                            del row["id"]
                            row["event_id"] = new_ids[row["event_id"]]
                        db.execute(outbox.insert(), rows)
                        copied["outbox"] += len(rows)
        except sa.exc.IntegrityError as exc:
            raise HistoryError(
                f"{new.label} already holds some of these rows (the same brand, account and day): "
                f"nothing was copied ({str(exc.orig).splitlines()[0]}); was this history "
                "moved there before?"
            ) from None
        except sa.exc.DBAPIError as exc:
            raise HistoryError(
                f"{new.label}: the copy failed, nothing was written "
                f"({str(exc.orig or exc).splitlines()[0]})"
            ) from None
        for name, table in (("snapshots", snapshots), ("events", events)):
            if new.count(table) < copied[name]:  # what a reader sees: every row arrived
                raise HistoryError(f"{new.label}: {name} holds fewer rows than were copied")
    return copied

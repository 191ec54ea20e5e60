"""Many brands in one history: every row names its brand (a workspace, an agency's shared
history). Rows written before belong to no brand (""); the spec beside the history adopts them.
The tables keyed by account are made again with the brand in their key (SQLite cannot change a
primary key in place); checks and events gain the column. A table of the watch shards that are
running decides that two shards of different N do not overlap.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

KEYED: dict[str, tuple[list[str], list[sa.Column[t.Any]], list[str]]] = {
    "snapshots": (
        ["day", "collected_at", "audience", "metrics"],
        [
            sa.Column("day", sa.Text, nullable=False),
            sa.Column("collected_at", sa.Text, nullable=False),
            sa.Column("audience", sa.BigInteger, nullable=False),
            sa.Column("metrics", sa.Text, nullable=False),
        ],
        ["brand", "platform", "account", "day"],
    ),
    "daily": (
        ["metric", "day", "value"],
        [
            sa.Column("metric", sa.Text, nullable=False),
            sa.Column("day", sa.Text, nullable=False),
            sa.Column("value", sa.BigInteger, nullable=False),
        ],
        ["brand", "platform", "account", "metric", "day"],
    ),
    "alert_state": (
        ["state"],
        [sa.Column("state", sa.Text, nullable=False)],
        ["brand", "platform", "account"],
    ),
}


def upgrade() -> None:
    for table, (columns, definitions, key) in KEYED.items():
        op.create_table(
            f"{table}_v3",
            sa.Column("brand", sa.Text, nullable=False),
            sa.Column("platform", sa.Text, nullable=False),
            sa.Column("account", sa.Text, nullable=False),
            *definitions,
            sa.PrimaryKeyConstraint(*key),
        )
        listed = ", ".join(["platform", "account", *columns])
        op.execute(
            f"INSERT INTO {table}_v3 (brand, {listed}) SELECT '', {listed} FROM {table}"  # noqa: S608 - fixed names
        )
        op.drop_table(table)
        op.rename_table(f"{table}_v3", table)
    for table in ("checks", "events"):
        op.add_column(table, sa.Column("brand", sa.Text, nullable=False, server_default=""))
    op.create_index("checks_account", "checks", ["brand", "platform", "account", "id"])
    op.create_index("events_account", "events", ["brand", "platform", "account", "id"])
    op.create_table(
        "shards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("shard", sa.Integer, nullable=False),
        sa.Column("of", sa.Integer, nullable=False),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("until", sa.Text, nullable=False),
        sa.Column("host", sa.Text, nullable=False),
    )

"""The first history: snapshots, per-day values, checks, events, alert state, the outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("collected_at", sa.Text, nullable=False),
        sa.Column("audience", sa.BigInteger, nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("platform", "account", "day"),
    )
    op.create_table(
        "daily",
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("platform", "account", "metric", "day"),
    )
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "alert_state",
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("platform", "account"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.Text),
    )
    op.create_index("events_at", "events", ["at"])

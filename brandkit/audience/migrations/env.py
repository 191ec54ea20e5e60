"""Alembic's entry point for the history's schema: brandkit runs it on a connection it opened
(``config.attributes["connection"]``), inside the transaction that holds the migration lock."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()

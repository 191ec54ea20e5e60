"""The history's schema versions (Alembic revisions, run by brandkit.audience.store)."""

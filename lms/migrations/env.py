"""Alembic environment: runs on the connection that `lms.db.upgrade` hands over."""

from alembic import context

from lms import models  # noqa: F401  (registers every table on Base.metadata)
from lms.db import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

"""Imports every model module so that Alembic and `create_all` see all tables."""

from lms.lrs import documents, documents_activities  # noqa: F401
from lms.lrs import models as lrs_models  # noqa: F401

"""Imports every model module so that Alembic and `create_all` see all tables."""

from lms.accounts import models as accounts_models  # noqa: F401
from lms.launch import models as launch_models  # noqa: F401
from lms.learning import models as learning_models  # noqa: F401
from lms.lrs import documents, documents_activities  # noqa: F401
from lms.lrs import models as lrs_models  # noqa: F401
from lms.packages import models as packages_models  # noqa: F401

"""The built-in Learning Record Store: the xAPI REST API mounted at /xapi/."""

from flask import Blueprint

from lms.lrs import protocol

blueprint = Blueprint("lrs", __name__)
protocol.install(blueprint)

# The view modules register their routes on `blueprint`, so they are imported after it exists.
from lms.lrs import views_documents, views_statements  # noqa: E402, F401

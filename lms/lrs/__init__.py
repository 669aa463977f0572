"""The built-in Learning Record Store: the xAPI REST API mounted at /xapi/."""

from flask import Blueprint

from lms.lrs import protocol

blueprint = Blueprint("lrs", __name__)
protocol.install(blueprint)
from lms.lrs import views_documents  # noqa: E402, F401

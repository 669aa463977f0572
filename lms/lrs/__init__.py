"""The built-in Learning Record Store: the xAPI REST API mounted at /xapi/."""

from flask import Blueprint

blueprint = Blueprint("lrs", __name__)

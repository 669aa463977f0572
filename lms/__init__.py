"""The Mafunzo LMS: a Flask application that plays course packages and keeps progress in its LRS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from lms import config, db


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides what the environment says."""
    app = Flask(__name__)
    config.configure(app, test_config)
    db.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from lms.lrs import blueprint as lrs_blueprint

    app.register_blueprint(lrs_blueprint, url_prefix="/xapi")

    from lms.web import setup

    setup.init_app(app)

"""Mount the LMS's pages on the app: blueprints, CSRF, the logged-in user, error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    from lms.accounts.views import blueprint as accounts
    from lms.catalog.views import blueprint as catalog
    from lms.launch.views import blueprint as launch
    from lms.manage.views import blueprint as manage
    from lms.player.views import blueprint as player
    from lms.web import auth, csrf, i18n

    csrf.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(catalog)
    app.register_blueprint(accounts, url_prefix="/account")
    app.register_blueprint(player)
    app.register_blueprint(launch)
    app.register_blueprint(manage, url_prefix="/manage")
    app.register_error_handler(HTTPException, _error_page)


def _error_page(error: HTTPException):  # type: ignore[no-untyped-def]
    """A page (or JSON for the runtime) that says what went wrong, with the right status."""
    if request.blueprint == "lrs" or request.path.startswith("/xapi"):
        return error
    if request.path.startswith("/runtime/") or request.accept_mimetypes.best == "application/json":
        return {"message": error.description}, error.code or 500
    # Werkzeug's stock description is English; the page then says it in the reader's words.
    given = error.description if error.description != type(error).description else None
    return render_template("error.html", error=error, description=given), error.code or 500

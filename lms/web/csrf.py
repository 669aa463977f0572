"""CSRF protection: one random token per browser session, required on every state-changing
request except the LRS (which authenticates each request itself)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, request, session
from flask_babel import gettext
from markupsafe import Markup, escape

F = TypeVar("F", bound=Callable[..., object])
_EXEMPT: set[str] = set()
FIELD = "csrf_token"


def token() -> str:
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return str(session[FIELD])


def valid(candidate: str | None) -> bool:
    expected = session.get(FIELD)
    return bool(expected and candidate) and hmac.compare_digest(str(expected), str(candidate))


def exempt(view: F) -> F:
    """For views that check the token themselves (the runtime reads it from its JSON body)."""
    _EXEMPT.add(f"{view.__module__}.{view.__name__}")
    return view


def field() -> Markup:
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(token())}">')


def _protect() -> None:
    # A request no route takes is answered 404/405 by routing: a token cannot make it valid.
    if request.routing_exception is not None:
        return
    if request.method in ("GET", "HEAD", "OPTIONS") or request.blueprint == "lrs":
        return
    function = current_app.view_functions.get(request.endpoint or "")
    if function is not None and f"{function.__module__}.{function.__name__}" in _EXEMPT:
        return
    sent = request.form.get(FIELD) or request.headers.get("X-CSRF-Token")
    if not valid(sent):
        abort(
            400,
            description=gettext(
                "This form has expired or did not come from this site (missing or wrong CSRF "
                "token). Go back, reload the page and try again."
            ),
        )


def init_app(app: Flask) -> None:
    app.before_request(_protect)
    app.jinja_env.globals["csrf_field"] = field
    app.jinja_env.globals["csrf_token"] = token

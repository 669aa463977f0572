"""Who is logged in, and the decorators that keep pages to the right people."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_babel import gettext

from lms import db
from lms.accounts.models import User
from lms.accounts.service import ROLE_NAMES

F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User | None:
    if "user" not in g:
        user_id = session.get("user_id")
        user = db.session().get(User, user_id) if user_id is not None else None
        g.user = user
    return g.user


def log_in(user: User) -> None:
    session.clear()
    session["user_id"] = user.id
    session.permanent = True


def log_out() -> None:
    session.clear()


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            if request.method == "GET":
                return redirect(url_for("accounts.login", next=request.full_path))
            abort(401, description=gettext("Log in first."))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(role: str) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None or not user.can(role):
                abort(
                    403,
                    description=gettext(
                        "This page is for the %(role)s role and above.",
                        role=gettext(ROLE_NAMES[role]),
                    ),
                )
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    app.jinja_env.globals["current_user"] = current_user

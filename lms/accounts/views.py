"""Account pages: register, log in and out, reset a forgotten password, edit the profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from lms import db
from lms.accounts import service
from lms.web.auth import current_user, log_in, log_out, login_required

blueprint = Blueprint("accounts", __name__)


def _hash_method() -> str:
    return str(current_app.config.get("PASSWORD_HASH_METHOD", service.DEFAULT_HASH))


def _message(error: service.AccountError) -> str:
    return gettext(error.message, **error.params)


def _safe_next(default: str) -> str:
    target = request.values.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@blueprint.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    form = request.form
    if request.method == "POST":
        try:
            user = service.register(
                db.session(),
                email=form.get("email", ""),
                password=form.get("password", ""),
                name=form.get("name", ""),
                language=form.get("language", "en"),
                country=form.get("country", ""),
                organisation=form.get("organisation", ""),
                hash_method=_hash_method(),
            )
        except service.AccountError as error:
            flash(_message(error), "error")
            return render_template(
                "accounts/register.html", form=form, languages=service.LANGUAGES
            ), 400  # type: ignore[return-value]
        log_in(user)
        return redirect(url_for("catalog.index"))
    return render_template("accounts/register.html", form=form, languages=service.LANGUAGES)


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "POST":
        user = service.authenticate(
            db.session(), request.form.get("email", ""), request.form.get("password", "")
        )
        if user is None:
            flash(gettext("That e-mail address and password do not match an account."), "error")
            return render_template("accounts/login.html"), 401  # type: ignore[return-value]
        log_in(user)
        return redirect(_safe_next(url_for("catalog.my_learning")))
    return render_template("accounts/login.html")


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    log_out()
    return redirect(url_for("accounts.login"))


@blueprint.route("/reset", methods=["GET", "POST"])
def reset_request() -> str:
    if request.method == "POST":
        token = service.start_reset(db.session(), request.form.get("email", ""))
        if token is not None:
            link = url_for("accounts.reset", token=token, _external=True)
            # No mail server in this set-up: the administrator reads the link from the log.
            current_app.logger.warning(
                "password reset link for %s: %s", request.form.get("email", ""), link
            )
        flash(
            gettext(
                "If an account has that address, a reset link has been sent (ask your "
                "administrator, who finds it in the server log)."
            ),
            "info",
        )
    return render_template("accounts/reset_request.html")


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response:
    if request.method == "POST":
        try:
            user = service.finish_reset(
                db.session(), token, request.form.get("password", ""), _hash_method()
            )
        except service.AccountError as error:
            flash(_message(error), "error")
            return render_template("accounts/reset.html"), 400  # type: ignore[return-value]
        log_in(user)
        flash(gettext("Your password has been changed."), "info")
        return redirect(url_for("catalog.my_learning"))
    return render_template("accounts/reset.html")


@blueprint.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> str | tuple[str, int]:
    user = current_user()
    assert user is not None
    if request.method == "POST":
        form = request.form
        try:
            service.update_profile(
                db.session(),
                user,
                name=form.get("name", ""),
                language=form.get("language", "en"),
                country=form.get("country", ""),
                organisation=form.get("organisation", ""),
            )
        except service.AccountError as error:
            flash(_message(error), "error")
            return render_template(
                "accounts/profile.html", user=user, languages=service.LANGUAGES
            ), 400
        flash(gettext("Profile saved."), "info")
    return render_template("accounts/profile.html", user=user, languages=service.LANGUAGES)

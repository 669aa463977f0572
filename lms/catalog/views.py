"""Catalog pages: what can be learned, what I am learning, and my statement history."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from lms import db
from lms.learning import service
from lms.web.auth import current_user, login_required

blueprint = Blueprint("catalog", __name__)


@blueprint.route("/")
def index() -> str:
    return render_template(
        "catalog/index.html", entries=service.catalog(db.session(), current_user())
    )


@blueprint.route("/courses/<int:course_id>/enrol", methods=["POST"])
@login_required
def enrol(course_id: int) -> Response:
    user = current_user()
    assert user is not None
    try:
        service.enrol(db.session(), user, course_id, request.form.get("language"))
    except service.LearningError:
        abort(404, description=gettext("There is no such course."))
    flash(gettext("You are enrolled."), "info")
    return redirect(url_for("catalog.my_learning"))


@blueprint.route("/my-learning")
@login_required
def my_learning() -> str:
    user = current_user()
    assert user is not None
    return render_template(
        "catalog/my_learning.html", courses=service.my_learning(db.session(), user)
    )


@blueprint.route("/my-record")
@login_required
def history() -> str:
    """The learner's own statements, newest first, as the LRS holds them."""
    from lms.lrs.statement_queries import StatementQuery, Visibility, run_query
    from lms.lrs.statements import ref_of_agent
    from lms.runtime.service import learner_agent
    from lms.web.home import home_page

    user = current_user()
    assert user is not None
    ref = ref_of_agent(learner_agent(user, home_page()))
    page = run_query(StatementQuery(agent=ref, limit=200), Visibility(actor_ref=ref))
    statements = [json.loads(text) for text in page.statements]
    return render_template("catalog/history.html", statements=statements)

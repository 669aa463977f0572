"""Player pages, package content, and the JSON endpoint the JS API adapter commits to."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import format_timedelta, gettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms import db
from lms.learning import service as learning
from lms.learning.models import Attempt
from lms.packages.importer import package_root
from lms.packages.models import Package
from lms.player import service as player
from lms.runtime.service import (
    Runtime,
    RuntimeRequestError,
    SessionEnded,
    TimeLimitReached,
    parse_batches,
    parse_session,
)
from lms.runtime.time_limit import ENDED_BY as TIME_LIMIT
from lms.web import csrf
from lms.web.auth import current_user, login_required
from lms.web.home import home_page

blueprint = Blueprint("player", __name__)


@blueprint.route("/courses/<int:course_id>/play")
@login_required
def play(course_id: int) -> str | Response:
    user = current_user()
    assert user is not None
    session = db.session()
    enrolment = learning.enrolment_of(session, user.id, course_id)
    if enrolment is None:
        return redirect(url_for("catalog.index"))
    package = learning.current_package(session, course_id, enrolment.language)
    if package is None:
        abort(404, description=gettext("This course has no package to play yet."))
    if package.format in ("cmi5", "xapi"):
        return redirect(url_for("launch.start", course_id=course_id, au=request.args.get("sco")))
    started = player.launch_sco(
        session,
        user,
        enrolment,
        package,
        request.args.get("sco"),
        current_app.config.get("NEW_ATTEMPT_POLICY", "after-completion"),
        home_page(),
    )
    scos, position, sco, launch = started.scos, started.position, started.sco, started.launch

    window = "1" if request.args.get("window") == "1" else None

    def link(index: int) -> str | None:
        if 0 <= index < len(scos):
            return url_for(
                "player.play", course_id=course_id, sco=scos[index].identifier, window=window
            )
        return None

    config = {
        "version": launch.version.name,
        "commitUrl": url_for("player.calls", registration=launch.attempt.registration),
        "csrf": csrf.token(),
        "session": launch.session,
        "values": {
            **launch.values,
            # 2004 navigation: what the SCO may request next (RTE 4.4.2, adl.nav.request_valid).
            "adl.nav.request_valid.continue": "true" if link(position + 1) else "false",
            "adl.nav.request_valid.previous": "true" if link(position - 1) else "false",
        }
        if launch.version.name == "2004"
        else launch.values,
        "counts": launch.counts,
        "model": launch.version.client_rules(),
        "next": link(position + 1),
        "previous": link(position - 1),
        "exitUrl": url_for("catalog.my_learning"),
        "choices": {item.identifier: link(index) for index, item in enumerate(scos)},
        "timeLimit": player.time_limit_config(launch),
    }
    path, _, query = sco.href.partition("?")
    limit = config["timeLimit"]
    return render_template(
        "player/play.html",
        course=package.course,
        package=package,
        scos=scos,
        sco=sco,
        position=position,
        config=config,
        content_url=url_for("player.content", package_id=package.id, path=path)
        + ("?" + query if query else ""),
        next_url=config["next"],
        previous_url=config["previous"],
        window_mode=request.args.get("window") == "1",
        window_url=url_for("player.play", course_id=course_id, sco=sco.identifier, window="1"),
        frame_url=url_for("player.play", course_id=course_id, sco=sco.identifier),
        time_allowed=_duration_words(limit["seconds"]) if limit else "",
    )


def _duration_words(seconds: float) -> str:
    """The time allowed in the largest unit that gives a whole number ("90 minutes",
    "2 hours"), in the reader's language."""
    unit = next((size for size in (86400, 3600, 60) if seconds % size == 0), 1)
    return format_timedelta(timedelta(seconds=seconds), threshold=seconds / unit)


@blueprint.route("/content/<int:package_id>/<path:path>")
@login_required
def content(package_id: int, path: str) -> Response:
    """Package files run in the LMS's origin, so only the course's learners and its managers
    may load them (docs/admin.md: content isolation)."""
    session = db.session()
    package = session.get(Package, package_id)
    if package is None:
        abort(404)
    user = current_user()
    assert user is not None
    if (
        not user.can("manager")
        and learning.enrolment_of(session, user.id, package.course_id) is None
    ):
        abort(403, description=gettext("Enrol in this course to open its content."))
    folder = package_root(current_app.config["DATA_DIR"]) / package.folder
    return send_from_directory(folder, path)


def _own_attempt(registration: str) -> Attempt:
    """The attempt, if it is the logged-in learner's: nobody reads or writes another's data."""
    user = current_user()
    assert user is not None
    attempt = (
        db.session()
        .scalars(select(Attempt).where(Attempt.registration == registration))
        .one_or_none()
    )
    if attempt is None or attempt.user_id != user.id:
        abort(404, description=gettext("No such attempt of yours."))
    return attempt


@blueprint.route("/runtime/<registration>/calls", methods=["POST"])
@csrf.exempt
@login_required
def calls(registration: str) -> tuple[Response, int]:
    """Replay a SCO's calls since its last commit. The body is JSON even when sent as text/plain
    (navigator.sendBeacon cannot send application/json), and carries the CSRF token itself."""
    try:
        body: Any = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return jsonify(message="the body must be a JSON object"), 400
    if not csrf.valid(body.get("csrf")):
        return jsonify(message="missing or wrong CSRF token: reload the page"), 400
    attempt = _own_attempt(registration)
    user = current_user()
    assert user is not None
    try:
        session, batches = parse_session(body), parse_batches(body)
        runtime = Runtime(db.session(), user, attempt, home_page())
        stored, results = runtime.run(session, batches)
    except SessionEnded as error:
        return jsonify(message=str(error)), 409
    except TimeLimitReached as error:
        return jsonify(message=str(error), ended=TIME_LIMIT), 409
    except RuntimeRequestError as error:
        return jsonify(message=str(error)), 400
    if not stored:
        failed = results[-1]
        return jsonify(
            message=f"{failed['method']} failed with SCORM error {failed['error']}: "
            "nothing of this commit was stored",
            results=results,
        ), 400
    if runtime.ended_by:
        return jsonify(results=results, ended=runtime.ended_by), 200
    return jsonify(results=results), 200


@blueprint.route("/runtime/<registration>")
@login_required
def state(registration: str) -> Response:
    """The learner's own runtime data of one attempt (for support and for tests)."""
    attempt = _own_attempt(registration)
    user = current_user()
    assert user is not None
    loaded = Runtime(db.session(), user, attempt, home_page()).load()
    return jsonify(
        attempt=attempt.registration,
        number=attempt.number,
        values=loaded.values if loaded else {},
        state=loaded.state if loaded else "",
    )

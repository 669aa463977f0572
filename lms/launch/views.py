"""Launch pages: a learner's xAPI or cmi5 launch, the cmi5 fetch URL and return URL, and the
manager's waiver form. The logic is in lms.launch.service."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms import db
from lms.launch import progress, service
from lms.launch.statements import WAIVER_REASONS
from lms.learning import service as learning
from lms.packages.importer import package_root
from lms.packages.manifest import CMI5
from lms.packages.models import Course, Package
from lms.web import csrf
from lms.web.auth import current_user, login_required, role_required
from lms.web.home import home_page

blueprint = Blueprint("launch", __name__)


@blueprint.route("/courses/<int:course_id>/launch")
@login_required
def start(course_id: int) -> Response:
    """Send the learner's browser to the package's launch URL (the AU's, for cmi5)."""
    user = current_user()
    assert user is not None
    session = db.session()
    enrolment = learning.enrolment_of(session, user.id, course_id)
    if enrolment is None:
        return redirect(url_for("catalog.index"))
    package = learning.current_package(session, course_id, enrolment.language)
    if package is None:
        abort(404, description=gettext("This course has no package to play yet."))
    if package.format not in service.LAUNCHED_FORMATS:
        return redirect(url_for("player.play", course_id=course_id, sco=request.args.get("au")))
    scos = list(package.scos)
    if not scos:
        abort(
            404, description=gettext("This package names no file to launch (no <launch> or <url>).")
        )
    wanted = request.args.get("au") or learning.course_progress(session, enrolment).resume_sco
    sco = next((s for s in scos if s.identifier == wanted), scos[0])
    href, _, query = sco.href.partition("?")
    content = (
        sco.href  # an AU served from elsewhere, as cmi5 allows
        if "://" in href
        else url_for("player.content", package_id=package.id, path=href, _external=True)
        + ("?" + query if query else "")
    )
    urls = service.Urls(
        endpoint=url_for("lrs.about", _external=True).rsplit("about", 1)[0],
        content=content,
        fetch=url_for("launch.fetch", session_id="SESSION", secret="SECRET", _external=True)
        .replace("SESSION", "{session}")
        .replace("SECRET", "{secret}"),
        returned=url_for("launch.returned", session_id="SESSION", _external=True).replace(
            "SESSION", "{session}"
        ),
    )
    enrolment.last_access = service.now()
    if package.format == CMI5:
        folder = package_root(current_app.config["DATA_DIR"]) / package.folder
        try:
            launch = service.launch_cmi5(
                session,
                user,
                sco,
                package,
                folder,
                urls,
                home_page(),
                request.args.get("mode", "Normal"),
            )
        except service.LaunchError as error:
            abort(400, description=gettext(error.message, **error.params))
    else:
        launch = service.launch_xapi(session, user, sco, urls, home_page())
    return redirect(launch.url)


@blueprint.route("/launch/fetch/<session_id>/<secret>", methods=["POST"])
@csrf.exempt
def fetch(session_id: str, secret: str) -> tuple[Response, int]:
    """cmi5's fetch URL: answered 200 with JSON, the token or the cmi5 error (spec 8.2)."""
    return jsonify(service.fetch_token(db.session(), session_id, secret, home_page())), 200


@blueprint.route("/launch/return/<session_id>")
@login_required
def returned(session_id: str) -> Response:
    """The AU's returnURL: the learner is back; bring "My learning" up to date."""
    user = current_user()
    assert user is not None
    if service.end_session(db.session(), session_id, user.id) is None:
        abort(404, description=gettext("No such launch of yours."))
    return redirect(url_for("catalog.my_learning"))


@blueprint.route("/manage/courses/<int:course_id>/waive", methods=["GET", "POST"])
@role_required("manager")
def waive(course_id: int) -> str | Response | tuple[str, int]:
    session = db.session()
    course = session.get(Course, course_id)
    if course is None:
        abort(404, description=gettext("There is no such course."))
    package = session.scalars(
        select(Package)
        .where(Package.course_id == course_id, Package.format == CMI5)
        .order_by(Package.id.desc())
        .limit(1)
    ).one_or_none()
    if package is None:
        abort(
            404,
            description=gettext("This course has no cmi5 package, so it has no AU to waive."),
        )
    status = 200
    if request.method == "POST":
        try:
            learner_id = int(request.form.get("learner", ""))
        except ValueError:
            learner_id = 0
        try:
            service.waive(
                session,
                learner_id,
                package,
                package_root(current_app.config["DATA_DIR"]) / package.folder,
                request.form.get("au", ""),
                request.form.get("reason", ""),
                home_page(),
            )
        except service.LaunchError as error:
            flash(gettext(error.message, **error.params), "error")
            status = 400
        else:
            flash(gettext("Waived."), "info")
            return redirect(url_for("launch.waive", course_id=course_id))
    service.sweep_before_report(session, home_page(), course_id)
    rows = learning.report(session, course_id)
    page = render_template(
        "launch/waive.html",
        course=course,
        rows=rows,
        aus=list(package.scos),
        reasons=WAIVER_REASONS,
    )
    return (page, status) if status != 200 else page


@blueprint.after_app_request
def judge_statements(response: Response) -> Response:
    """Statements a learner's launch token stored may meet a moveOn: judge at once."""
    principal = g.get("lrs_principal")
    if (
        request.blueprint == "lrs"
        and request.method in ("POST", "PUT")
        and request.path.endswith("/statements")
        and response.status_code in (200, 204)
        and principal is not None
        and principal.registration
    ):
        progress.on_statements(db.session(), principal.registration, principal.activity_id)
    return response

"""Management pages: upload a package (administrators), report on a course (managers)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext

from lms import db
from lms.launch import service as launches
from lms.learning import service as learning
from lms.lrs.statements import format_time
from lms.packages.importer import PackageError, import_package
from lms.packages.models import Course
from lms.web.auth import role_required
from lms.web.home import home_page

blueprint = Blueprint("manage", __name__)


@blueprint.route("/")
@role_required("manager")
def index() -> str:
    session = db.session()
    entries = learning.catalog(session, None)
    counts = {
        entry.course.id: learning.enrolment_count(session, entry.course.id) for entry in entries
    }
    return render_template("manage/index.html", entries=entries, counts=counts)


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@blueprint.route("/upload", methods=["GET", "POST"])
@role_required("administrator")
def upload() -> str | Response | tuple[Response, int]:
    if request.method == "GET":
        return render_template("manage/upload.html")
    uploaded = request.files.get("package")
    if uploaded is None or not uploaded.filename:
        message = gettext("Choose a package zip to upload.")
        if _wants_json():
            return jsonify(message=message), 400
        flash(message, "error")
        return render_template("manage/upload.html"), 400  # type: ignore[return-value]
    with tempfile.TemporaryDirectory(dir=current_app.config["DATA_DIR"]) as folder:
        saved = Path(folder) / "upload.zip"
        uploaded.save(saved)
        try:
            package = import_package(db.session(), current_app.config["DATA_DIR"], saved)
        except PackageError as error:
            message = f"{uploaded.filename}: {error}"
            if _wants_json():
                return jsonify(message=message), 400
            flash(message, "error")
            return render_template("manage/upload.html"), 400  # type: ignore[return-value]
    message = ngettext(
        "Imported %(title)s (%(format)s, %(language)s, %(num)d launchable item).",
        "Imported %(title)s (%(format)s, %(language)s, %(num)d launchable items).",
        len(package.scos),
        title=package.title,
        format=package.format,
        language=package.language,
    )
    if _wants_json():
        return jsonify(message=message, course=package.course_id), 200
    flash(message, "info")
    return redirect(url_for("manage.index"))


@blueprint.route("/courses/<int:course_id>/report")
@role_required("manager")
def report(course_id: int) -> str | Response:
    session = db.session()
    course = session.get(Course, course_id)
    if course is None:
        abort(404, description=gettext("There is no such course."))
    language, country = request.args.get("language", ""), request.args.get("country", "")
    # Sessions whose learner left without a word are closed first, so the report is right even
    # where no cron runs `mafunzo sessions sweep`; when none is due this is one query.
    launches.sweep_before_report(session, home_page(), course_id)
    rows = learning.report(session, course_id, language, country)
    if request.args.get("format") == "csv":
        return _csv(course, rows)
    languages, countries = learning.report_filters(session, course_id)
    return render_template(
        "manage/report.html",
        course=course,
        rows=rows,
        language=language,
        country=country,
        languages=languages,
        countries=countries,
    )


def _text_cell(value: str) -> str:
    """Learners write their own name and organisation; a spreadsheet would run one starting like a
    formula (`=HYPERLINK(...)`) when the manager opens the report, so it is kept as text."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def _csv(course: Course, rows: list[learning.ReportRow]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "name",
            "email",
            "organisation",
            "country",
            "language",
            "status",
            "score",
            "progress",
            "attempts",
            "time_spent_seconds",
            "last_access",
        ]
    )
    for row in rows:
        progress = row.progress
        writer.writerow(
            [
                _text_cell(row.user.name),
                _text_cell(row.user.email),
                _text_cell(row.user.organisation),
                _text_cell(row.user.country),
                progress.language,
                progress.status,
                "" if progress.score is None else f"{progress.score:.4f}",
                f"{progress.progress:.2f}",
                progress.attempts,
                round(progress.seconds),
                format_time(progress.last_access) if progress.last_access else "",
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="report-course-{course.id}.csv"'},
    )

"""The catalog, enrolments and the progress summaries pages and reports show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.learning.models import Attempt, Enrolment
from lms.packages.manifest import PLAYABLE
from lms.packages.models import Course, Package, Sco


class LearningError(ValueError):
    """Something a learner asked for that cannot be done; the message says why."""


@dataclass
class CatalogEntry:
    course: Course
    languages: list[str]
    formats: list[str]
    enrolled: bool = False
    titles: dict[str, str] = field(default_factory=dict)  # language -> its newest package's title

    def title_in(self, language: str) -> tuple[str, str | None]:
        """(title, its language) in `language` when a package has it, else the course's title."""
        if language in self.titles:
            return self.titles[language], language
        return self.course.title, None


@dataclass
class CourseProgress:
    """A learner's standing in one course, summed over the SCOs of the package they play."""

    course: Course
    language: str
    status: str = "not started"  # not started | in progress | completed | passed | failed
    score: float | None = None
    progress: float = 0.0
    seconds: float = 0.0
    attempts: int = 0
    last_access: datetime | None = None
    resume_sco: str | None = None
    scos: list[tuple[Sco, Attempt | None]] = field(default_factory=list)


def catalog(session: Session, user: User | None) -> list[CatalogEntry]:
    courses = session.scalars(select(Course).order_by(Course.title)).all()
    packages = session.scalars(select(Package)).all()
    by_course: dict[int, list[Package]] = defaultdict(list)
    for package in packages:
        by_course[package.course_id].append(package)
    enrolled = set()
    if user is not None:
        enrolled = set(
            session.scalars(select(Enrolment.course_id).where(Enrolment.user_id == user.id))
        )
    return [
        CatalogEntry(
            course,
            sorted({p.language for p in by_course[course.id]}),
            sorted({p.format for p in by_course[course.id]}),
            course.id in enrolled,
            {p.language: p.title for p in sorted(by_course[course.id], key=lambda p: p.id)},
        )
        for course in courses
    ]


def current_package(session: Session, course_id: int, language: str) -> Package | None:
    """The newest playable package in `language`, else the newest playable one in any language."""
    playable = session.scalars(
        select(Package)
        .where(Package.course_id == course_id, Package.format.in_(PLAYABLE))
        .order_by(Package.id.desc())
    ).all()
    for package in playable:
        if package.language == language:
            return package
    return playable[0] if playable else None


def enrol(session: Session, user: User, course_id: int, language: str | None) -> Enrolment:
    course = session.get(Course, course_id)
    if course is None:
        raise LearningError("There is no such course.")
    languages = {package.language for package in course.packages}
    chosen = (
        language
        if language in languages
        else (
            user.preferred_language
            if user.preferred_language in languages
            else sorted(languages)[0]
            if languages
            else "und"
        )
    )
    enrolment = enrolment_of(session, user.id, course_id)
    if enrolment is None:
        enrolment = Enrolment(
            user_id=user.id,
            course_id=course_id,
            language=chosen,
            created=datetime.now(UTC).replace(tzinfo=None),
        )
        session.add(enrolment)
    else:
        enrolment.language = chosen
    session.commit()
    return enrolment


def enrolment_of(session: Session, user_id: int, course_id: int) -> Enrolment | None:
    return session.scalars(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    ).one_or_none()


def course_progress(
    session: Session, enrolment: Enrolment, attempts: list[Attempt] | None = None
) -> CourseProgress:
    course = session.get(Course, enrolment.course_id)
    assert course is not None
    summary = CourseProgress(
        course=course, language=enrolment.language, last_access=enrolment.last_access
    )
    if attempts is None:
        attempts = list(
            session.scalars(
                select(Attempt).where(
                    Attempt.user_id == enrolment.user_id, Attempt.course_id == course.id
                )
            )
        )
    latest: dict[str, Attempt] = {}
    for attempt in sorted(attempts, key=lambda a: a.number):
        latest[attempt.activity_iri] = attempt
        summary.seconds += attempt.seconds
    summary.attempts = len(attempts)
    package = current_package(session, course.id, enrolment.language)
    if package is None:
        return summary
    scos = [sco for sco in package.scos]
    summary.scos = [(sco, latest.get(sco.activity_iri)) for sco in scos]
    started = [a for _, a in summary.scos if a is not None]
    done = [a for a in started if a.completion == "completed" or a.success == "passed"]
    summary.progress = len(done) / len(scos) if scos else 0.0
    scores = [a.score_scaled for a in started if a.score_scaled is not None]
    summary.score = sum(scores) / len(scores) if scores else None
    if not started:
        summary.resume_sco = scos[0].identifier if scos else None
        return summary
    recent = max(started, key=lambda a: a.updated)
    unfinished = [
        sco
        for sco, a in summary.scos
        if a is None or not (a.completion == "completed" or a.success == "passed")
    ]
    summary.resume_sco = (
        next(sco.identifier for sco, a in summary.scos if a is recent)
        if not recent.finished
        else unfinished[0].identifier
        if unfinished
        else scos[0].identifier
    )
    if any(a.success == "failed" for a in started):
        summary.status = "failed"
    elif any(a.success == "passed" for a in started) and len(done) == len(scos):
        summary.status = "passed"
    elif len(done) == len(scos):
        summary.status = "completed"
    else:
        summary.status = "in progress"
    return summary


def my_learning(session: Session, user: User) -> list[CourseProgress]:
    enrolments = session.scalars(
        select(Enrolment)
        .where(Enrolment.user_id == user.id)
        .order_by(Enrolment.last_access.desc().nullslast(), Enrolment.created.desc())
    ).all()
    return [course_progress(session, enrolment) for enrolment in enrolments]


@dataclass
class ReportRow:
    user: User
    progress: CourseProgress


def report(
    session: Session, course_id: int, language: str = "", country: str = ""
) -> list[ReportRow]:
    query = (
        select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.course_id == course_id)
    )
    if language:
        query = query.where(Enrolment.language == language)
    if country:
        query = query.where(User.country == country.upper())
    rows = session.execute(query.order_by(User.name)).all()
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in session.scalars(select(Attempt).where(Attempt.course_id == course_id)):
        attempts[attempt.user_id].append(attempt)
    return [
        ReportRow(user, course_progress(session, enrolment, attempts[user.id]))
        for enrolment, user in rows
    ]


def report_filters(session: Session, course_id: int) -> tuple[list[str], list[str]]:
    languages = session.scalars(
        select(Enrolment.language).where(Enrolment.course_id == course_id).distinct()
    ).all()
    countries = session.scalars(
        select(User.country)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course_id, User.country != "")
        .distinct()
    ).all()
    return sorted(languages), sorted(countries)


def enrolment_count(session: Session, course_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course_id)
        )
        or 0
    )

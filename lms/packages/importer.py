"""Import a package zip: unpack it safely, read its descriptor, store it, all or nothing."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.packages import manifest, safe_zip
from lms.packages.errors import PackageError
from lms.packages.models import Course, Package, Sco

__all__ = ["PackageError", "import_package", "package_root"]


def package_root(data_dir: Path) -> Path:
    return data_dir / "packages"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def import_package(
    session: Session,
    data_dir: Path,
    zip_path: Path,
    limits: safe_zip.ZipLimits = safe_zip.DEFAULT_LIMITS,
) -> Package:
    """Import `zip_path`; raises PackageError (nothing kept on disk or in the database) when the
    package is unsafe or does not follow its standard."""
    root = package_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    folder = uuid4().hex
    incoming = root / f".incoming-{folder}"
    final = root / folder
    try:
        incoming.mkdir()
        safe_zip.extract(zip_path, incoming, limits)
        info = manifest.read_package(incoming)
        package = _store(session, info, folder)
        incoming.rename(final)
        try:
            session.commit()
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)
            raise
    except BaseException:
        session.rollback()
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    return package


def _store(session: Session, info: manifest.PackageInfo, folder: str) -> Package:
    course = session.scalars(select(Course).where(Course.iri == info.course_iri)).one_or_none()
    if course is None:
        course = Course(iri=info.course_iri, title=info.title, created=_now())
        session.add(course)
    elif info.language.startswith("en"):
        course.title = info.title  # the English title names the catalog entry when there is one
    package = Package(
        course=course,
        format=info.format,
        language=info.language,
        version=info.version,
        title=info.title,
        folder=folder,
        imported=_now(),
    )
    session.add(package)
    for position, found in enumerate(info.scos):
        session.add(
            Sco(
                package=package,
                position=position,
                identifier=found.identifier,
                title=found.title,
                href=found.href,
                activity_iri=found.activity_iri,
                is_sco=found.is_sco,
                mastery_score=found.mastery_score,
                launch_data=found.launch_data,
                max_time_allowed=found.max_time_allowed,
                time_limit_action=found.time_limit_action,
                completion_threshold=found.completion_threshold,
            )
        )
    session.flush()
    return package

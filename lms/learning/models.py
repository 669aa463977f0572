"""Enrolments and attempts: tied to the course IRI and SCO activity IRI, not to a package
version, so that importing a new version keeps every learner's records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base


class Enrolment(Base):
    __tablename__ = "lms_enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_lms_enrolment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    created: Mapped[datetime] = mapped_column(DateTime)
    last_access: Mapped[datetime | None] = mapped_column(DateTime)


class Attempt(Base):
    """One SCO attempt (one xAPI registration); the runtime data itself lives in the LRS State
    API, this row keeps the summary that pages and reports list quickly."""

    __tablename__ = "lms_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id"), index=True)
    activity_iri: Mapped[str] = mapped_column(Text)
    package_id: Mapped[int] = mapped_column(ForeignKey("lms_packages.id"))
    sco_id: Mapped[int] = mapped_column(ForeignKey("lms_scos.id"))
    number: Mapped[int] = mapped_column(Integer)
    completion: Mapped[str] = mapped_column(String(20), default="not attempted")
    success: Mapped[str] = mapped_column(String(20), default="unknown")
    score_scaled: Mapped[float | None] = mapped_column(Float)
    progress: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    initialized: Mapped[bool] = mapped_column(Boolean, default=False)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime)
    updated: Mapped[datetime] = mapped_column(DateTime)

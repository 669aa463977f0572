"""cmi5 registrations and AU launch sessions: what the LMS must remember between a launch, the
fetch URL, the statements the AU sends and the learner's return."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base


class Cmi5Registration(Base):
    """A learner's enrolment in a cmi5 course: one xAPI registration shared by all its AUs."""

    __tablename__ = "lms_cmi5_registrations"
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_lms_cmi5_registration"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)


class LaunchSession(Base):
    """One launch of an xAPI package or cmi5 AU. The fetch secret is kept only as a hash and
    cleared once used; `ended` is set by a terminated statement, the next launch or the idle
    sweep, with `outcome` "terminated", "abandoned" or, for a TinCan launch, "expired"."""

    __tablename__ = "lms_launch_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(36), unique=True)
    format: Mapped[str] = mapped_column(String(20))
    registration: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id"), index=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("lms_attempts.id"), index=True)
    activity_id: Mapped[str] = mapped_column(Text)
    launch_mode: Mapped[str] = mapped_column(String(10))
    fetch_hash: Mapped[str | None] = mapped_column(String(64))
    fetched: Mapped[bool] = mapped_column(Boolean, default=False)
    token_id: Mapped[str | None] = mapped_column(String(40))
    launched: Mapped[datetime] = mapped_column(DateTime)
    ended: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(20), default="")

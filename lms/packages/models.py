"""Courses, their imported packages (one per format, language and version) and launchable SCOs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base


class Course(Base):
    """One catalog entry: every language version and every package version of one course IRI."""

    __tablename__ = "lms_courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    iri: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime)
    packages: Mapped[list[Package]] = relationship(back_populates="course", order_by="Package.id")


class Package(Base):
    """An imported zip, unpacked under the data folder; older versions are kept, never deleted."""

    __tablename__ = "lms_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id"), index=True)
    format: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(35))
    version: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    folder: Mapped[str] = mapped_column(String(100))
    imported: Mapped[datetime] = mapped_column(DateTime)
    course: Mapped[Course] = relationship(back_populates="packages")
    scos: Mapped[list[Sco]] = relationship(back_populates="package", order_by="Sco.position")


class Sco(Base):
    """A launchable item of a package, in the order of the manifest's default organization."""

    __tablename__ = "lms_scos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("lms_packages.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    identifier: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    href: Mapped[str] = mapped_column(Text)
    activity_iri: Mapped[str] = mapped_column(Text)
    is_sco: Mapped[bool] = mapped_column(Boolean)
    mastery_score: Mapped[float | None] = mapped_column(Float)
    launch_data: Mapped[str] = mapped_column(Text)
    max_time_allowed: Mapped[str] = mapped_column(String(50))
    time_limit_action: Mapped[str] = mapped_column(String(50))
    completion_threshold: Mapped[float | None] = mapped_column(Float)
    package: Mapped[Package] = relationship(back_populates="scos")

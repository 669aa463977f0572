"""People who use the LMS, and the one-time links that let them choose a new password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base

ROLES = ("learner", "author", "manager", "administrator")


class User(Base):
    __tablename__ = "lms_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The xAPI account name: a random id, so statements carry no personal data.
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="learner")
    preferred_language: Mapped[str] = mapped_column(String(35), default="en")
    country: Mapped[str] = mapped_column(String(2), default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime)

    def can(self, role: str) -> bool:
        """Roles are ordered: an administrator can do what a manager can, and so on."""
        return ROLES.index(self.role) >= ROLES.index(role)


class PasswordReset(Base):
    __tablename__ = "lms_password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires: Mapped[datetime] = mapped_column(DateTime)
    used: Mapped[datetime | None] = mapped_column(DateTime)

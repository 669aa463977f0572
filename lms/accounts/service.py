"""Accounts: registration, password checks and one-time reset tokens. No Flask in here."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts.models import ROLES, PasswordReset, User
from lms.wording import N_, PersonError

LANGUAGES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
MIN_PASSWORD = 8
RESET_LIFETIME = timedelta(hours=1)
DEFAULT_HASH = "scrypt"  # werkzeug's default; tests pass a cheap method to stay fast
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


ROLE_NAMES = {
    "learner": N_("learner"),
    "author": N_("author"),
    "manager": N_("manager"),
    "administrator": N_("administrator"),
}


class AccountError(PersonError):
    """A mistake in what a person typed; the message says what to fix."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_profile(name: str, language: str, country: str) -> None:
    if not name.strip():
        raise AccountError(N_("Please give your name."))
    if language not in LANGUAGES:
        raise AccountError(
            N_("The preferred language must be one of %(choices)s."), choices=", ".join(LANGUAGES)
        )
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise AccountError(N_("The country is a two-letter ISO code, such as KE or FR."))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            N_("The password needs at least %(count)d characters."), count=MIN_PASSWORD
        )


def register(
    session: Session,
    *,
    email: str,
    password: str,
    name: str,
    language: str = "en",
    country: str = "",
    organisation: str = "",
    role: str = "learner",
    hash_method: str = DEFAULT_HASH,
) -> User:
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise AccountError(N_("That e-mail address does not look right."))
    check_password(password)
    check_profile(name, language, country)
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}.")
    if session.scalars(select(User).where(User.email == email)).first() is not None:
        raise AccountError(
            N_("An account with that e-mail address exists already: log in, or reset its password.")
        )
    user = User(
        public_id=str(uuid4()),
        email=email,
        password_hash=generate_password_hash(password, hash_method),
        name=name.strip(),
        role=role,
        preferred_language=language,
        country=country.upper(),
        organisation=organisation.strip(),
        created=_now(),
    )
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user


def update_profile(
    session: Session, user: User, *, name: str, language: str, country: str, organisation: str
) -> None:
    check_profile(name, language, country)
    user.name, user.preferred_language = name.strip(), language
    user.country, user.organisation = country.upper(), organisation.strip()
    session.commit()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_reset(session: Session, email: str) -> str | None:
    """A one-time token for the account with this address, or None when there is none."""
    user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            user_id=user.id, token_hash=_digest(token), expires=_now() + RESET_LIFETIME, used=None
        )
    )
    session.commit()
    return token


def finish_reset(
    session: Session, token: str, password: str, hash_method: str = DEFAULT_HASH
) -> User:
    reset = session.scalars(
        select(PasswordReset).where(PasswordReset.token_hash == _digest(token))
    ).first()
    if reset is None or reset.used is not None or reset.expires < _now():
        raise AccountError(N_("This reset link is not valid any more: ask for a new one."))
    check_password(password)
    user = session.get(User, reset.user_id)
    assert user is not None
    user.password_hash = generate_password_hash(password, hash_method)
    reset.used = _now()
    session.commit()
    return user

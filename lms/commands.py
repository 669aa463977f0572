"""The LMS's own `mafunzo` subcommands: import a package, run the demo, manage accounts, close
idle launch sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask

from lms.config import LAUNCH_IDLE_HOURS, idle_hours
from packager.cli import cli


@contextmanager
def _lms_app() -> Iterator[Flask]:
    """The app, configured from the environment, inside an app context; its pool closed after."""
    from lms import create_app

    app = create_app()
    try:
        with app.app_context():
            yield app
    finally:
        app.extensions["mafunzo.engine"].dispose()


@cli.command("import")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(package: Path) -> None:
    """Import a SCORM 1.2 / 2004, cmi5 or xAPI package zip into the LMS catalog."""
    from lms import db
    from lms.packages.importer import PackageError, import_package

    with _lms_app() as app:
        try:
            imported = import_package(db.session(), app.config["DATA_DIR"], package)
        except PackageError as error:
            raise click.ClickException(f"{package}: {error}") from None
        click.echo(
            f"imported {imported.title!r} ({imported.format}, {imported.language}, "
            f"{len(imported.scos)} launchable item(s)) into course {imported.course.iri}"
        )


SAMPLE_COURSE = Path("courses/nua-crash-course")
UN_LANGUAGES = ("en", "ar", "zh", "fr", "ru", "es")
DEMO_ACCOUNTS = (
    ("admin@example.org", "Demo Administrator", "administrator"),
    ("learner@example.org", "Demo Learner", "learner"),
)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--course",
    default=SAMPLE_COURSE,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    default=UN_LANGUAGES,
    show_default=True,
    help="Languages to build (those without a complete translation are skipped).",
)
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit.")
def demo(host: str, port: int, course: Path, languages: tuple[str, ...], no_serve: bool) -> None:
    """Build the sample course, import it, create demo accounts, and serve the LMS."""
    with _lms_app() as app:
        for package in _build_sample(course, languages, app.config["DATA_DIR"] / "demo-dist"):
            _import_once(app, package)
        _create_demo_accounts(app)
    if no_serve:
        return
    from lms import create_app

    click.echo(f"Serving the LMS at http://{host}:{port}/ (Ctrl+C to stop)")
    create_app().run(host=host, port=port)


def _build_sample(course: Path, languages: tuple[str, ...], out: Path) -> list[Path]:
    try:
        from packager.build import BuildError, build
    except ImportError:
        click.echo("The packager's build is not available: no sample course is built.")
        return []
    if not course.is_dir():
        click.echo(f"{course} not found: no sample course is built.")
        return []
    try:
        # One build reads every translation once; only when it fails is each language tried
        # alone, so that one broken language does not keep the others out of the demo.
        built, _warnings = build(course, ["scorm2004"], list(languages), "single", out)
        return [item.path for item in built]
    except BuildError:
        pass
    paths = []
    for language in languages:
        try:
            built, _warnings = build(course, ["scorm2004"], [language], "single", out)
        except BuildError as error:
            click.echo(f"The sample course in {language!r} was not built: {error}")
            continue
        paths += [item.path for item in built]
    return paths


def _import_once(app: Flask, package: Path) -> None:
    """Import a built zip unless these very bytes were imported before (make run is re-run)."""
    import hashlib

    from lms import db
    from lms.packages.importer import PackageError, import_package

    ledger = app.config["DATA_DIR"] / "demo-imported.txt"
    digest = hashlib.sha256(package.read_bytes()).hexdigest()
    done = set(ledger.read_text().split()) if ledger.exists() else set()
    if digest in done:
        click.echo(f"{package.name}: imported already")
        return
    try:
        imported = import_package(db.session(), app.config["DATA_DIR"], package)
    except PackageError as error:
        click.echo(f"{package}: {error}", err=True)
        return
    with ledger.open("a") as handle:
        handle.write(digest + "\n")
    click.echo(f"{package.name}: imported as {imported.title!r} ({imported.language})")


def _create_demo_accounts(app: Flask) -> None:
    import secrets

    from sqlalchemy import select

    from lms import db
    from lms.accounts import service
    from lms.accounts.models import User

    session = db.session()
    for email, name, role in DEMO_ACCOUNTS:
        if session.scalars(select(User).where(User.email == email)).first() is not None:
            click.echo(
                f"{role}: {email} (exists already; its password was shown when it was created)"
            )
            continue
        password = secrets.token_urlsafe(9)
        service.register(
            session,
            email=email,
            password=password,
            name=name,
            role=role,
            hash_method=app.config.get("PASSWORD_HASH_METHOD", service.DEFAULT_HASH),
        )
        click.echo(f"{role}: {email}  password: {password}  (shown once: note it now)")


@cli.group("user")
def user_group() -> None:
    """Manage LMS accounts from the command line."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice(["learner", "author", "manager", "administrator"]),
    default="learner",
    show_default=True,
)
@click.password_option()
def user_create(email: str, name: str, role: str, password: str) -> None:
    """Create an account (the password is asked for, twice)."""
    from lms import db
    from lms.accounts import service

    with _lms_app() as app:
        try:
            service.register(
                db.session(),
                email=email,
                password=password,
                name=name,
                role=role,
                hash_method=app.config.get("PASSWORD_HASH_METHOD", service.DEFAULT_HASH),
            )
        except service.AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"{role} {email} created")


@user_group.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(["learner", "author", "manager", "administrator"]))
def user_role(email: str, role: str) -> None:
    """Give an account another role."""
    from sqlalchemy import select

    from lms import db
    from lms.accounts.models import User
    from lms.accounts.service import normalise_email

    with _lms_app():
        session = db.session()
        user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
        if user is None:
            raise click.ClickException(f"no account has the address {email}")
        user.role = role
        session.commit()
        click.echo(f"{email} is now {role}")


@cli.group("sessions")
def sessions_group() -> None:
    """Launch sessions of xAPI and cmi5 content."""


def _idle_hours(_ctx: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    try:
        return None if value is None else idle_hours(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@sessions_group.command("sweep")
@click.option(
    "--idle-hours",
    callback=_idle_hours,
    metavar="HOURS",
    help="Close sessions silent for longer than this many hours, above 0 "
    f"(default: MAFUNZO_LAUNCH_IDLE_HOURS, or {LAUNCH_IDLE_HOURS:g}).",
)
def sessions_sweep(idle_hours: float | None) -> None:
    """Close the launch sessions whose content has gone silent: a cmi5 session without
    `terminated` gets `abandoned`, and its token stops working. Run it from cron."""
    from datetime import timedelta

    from sqlalchemy import select

    from lms import db
    from lms.accounts.models import User
    from lms.launch import service
    from lms.packages.models import Course
    from lms.web.home import home_page

    with _lms_app():
        idle = service.idle_timeout() if idle_hours is None else timedelta(hours=idle_hours)
        session = db.session()
        closed = service.sweep(session, home_page(), idle)
        emails = dict(
            session.execute(
                select(User.id, User.email).where(User.id.in_({c.user_id for c in closed}))
            ).all()
        )
        iris = dict(
            session.execute(
                select(Course.id, Course.iri).where(Course.id.in_({c.course_id for c in closed}))
            ).all()
        )
        for launch in closed:
            click.echo(
                f"{launch.outcome}: {launch.format} session {launch.session_id} of "
                f"{emails.get(launch.user_id, '?')} in {iris.get(launch.course_id, '?')}, "
                f"launched {launch.launched.isoformat(timespec='seconds')}Z"
            )
        hours = f"{idle.total_seconds() / 3600:g}"
        click.echo(f"{len(closed)} session(s) closed (silent for more than {hours} hours)")

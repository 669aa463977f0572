"""The LMS interface in the learner's language, right to left for Arabic.

The language is the account's preference, else the one picked in the switcher (a cookie, so it
holds before logging in), else the browser's Accept-Language, else English. Catalogs are the
translators' `.po` files in `translations/lms/`, read when the app starts: no compiled `.mo`
files to forget to rebuild.
"""

from __future__ import annotations

import io
from functools import cached_property
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, Response, redirect, request, url_for
from flask_babel import Babel, Domain, get_locale
from werkzeug.wrappers import Response as BaseResponse

from lms import db
from lms.accounts.service import LANGUAGES
from lms.web.auth import current_user
from packager.languages import UN_LANGUAGES, direction

CATALOGS = Path(__file__).resolve().parents[2] / "translations" / "lms"
COOKIE = "mafunzo_language"
COOKIE_AGE = 365 * 24 * 3600

blueprint = Blueprint("language", __name__)


def load_catalogs(folder: Path = CATALOGS) -> dict[str, Translations]:
    """Each language's `.po` as gettext translations; fuzzy entries are not used."""
    loaded: dict[str, Translations] = {}
    for language in UN_LANGUAGES:
        path = folder / f"{language}.po"
        if path.is_file():
            with path.open("rb") as source:
                catalog = read_po(source, locale=language)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)  # leaves fuzzy entries out
            compiled.seek(0)
            loaded[language] = Translations(compiled, domain="messages")
    return loaded


class _CatalogDomain(Domain):
    """Flask-Babel's domain, fed from the `.po` files instead of `.mo` files on disk."""

    def __init__(self, catalogs: dict[str, Translations]) -> None:
        super().__init__()
        self._catalogs = catalogs

    def get_translations(self) -> NullTranslations:
        locale = get_locale()
        return self._catalogs.get(str(locale), NullTranslations()) if locale else NullTranslations()


class _LmsBabel(Babel):
    """Flask-Babel whose one domain is ours; it offers no other way to replace the loader."""

    def __init__(self, catalogs: dict[str, Translations]) -> None:
        self._catalogs = catalogs
        super().__init__()

    @cached_property
    def domain_instance(self) -> Domain:  # type: ignore[override]
        return _CatalogDomain(self._catalogs)


def select_language() -> str:
    user = current_user()
    if user is not None and user.preferred_language in UN_LANGUAGES:
        return user.preferred_language
    chosen = request.cookies.get(COOKIE, "")
    if chosen in UN_LANGUAGES:
        return chosen
    return request.accept_languages.best_match(UN_LANGUAGES) or "en"


def ui_language() -> str:
    locale = get_locale()
    return str(locale) if locale else "en"


@blueprint.post("/language")
def switch() -> BaseResponse:
    """The switcher: remembered in a cookie, and as the account's preference when logged in."""
    language = request.form.get("ui_language", "")
    if language not in UN_LANGUAGES:
        return Response(
            f"Unknown language {language!r}: choose one of {', '.join(UN_LANGUAGES)}.", 400
        )
    user = current_user()
    if user is not None:
        user.preferred_language = language
        db.session().commit()
    back = request.form.get("next", "")
    local = back.startswith("/") and not back.startswith(("//", "/\\"))  # not another site
    target = back if local else url_for("catalog.index")
    response = redirect(target)
    response.set_cookie(COOKIE, language, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    _LmsBabel(load_catalogs()).init_app(app, locale_selector=select_language)
    app.register_blueprint(blueprint)
    app.jinja_env.globals.update(
        ui_language=ui_language,
        ui_direction=lambda: direction(ui_language()),
        ui_languages=LANGUAGES,
    )

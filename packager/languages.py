"""Language tags: the six UN languages Mafunzo ships UI text for, and BCP 47 checks for the rest."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"})

_BCP47_SHAPE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$")


def is_known_language(tag: str) -> bool:
    """True for a well-formed tag whose language Babel (CLDR) knows, such as `fr` or `zh-Hans`."""
    if not _BCP47_SHAPE.match(tag):
        return False
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def direction(tag: str) -> str:
    """`rtl` for right-to-left scripts, `ltr` otherwise; what `<html dir>` needs."""
    return "rtl" if tag.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

"""The `.pot` and `<lang>.po` files of a course: where they live, how they are merged and written.

Babel does the gettext work; this module adds what makes the files pleasant under version control:
reading order, no rewrite when nothing but a date changed, and the previous msgid of fuzzy entries.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from packager.diagnostics import Diagnostic, Severity, display_path
from packager.model import Course

WIDTH = 100
_DATE_LINES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.M)


def translations_dir(course_root: Path) -> Path:
    """`translations/` beside the `courses/` folder holding the course (DESIGN.md's layout)."""
    root = Path(course_root).resolve()
    base = root.parent.parent if root.parent.name == "courses" else root.parent
    return base / "translations"


def template_path(translations: Path, slug: str) -> Path:
    return translations / slug / f"{slug}.pot"


def po_path(translations: Path, slug: str, language: str) -> Path:
    return translations / slug / f"{language}.po"


def target_languages(course: Course) -> tuple[str, ...]:
    return tuple(tag for tag in course.languages if tag != course.source_language)


def locale_of(language: str) -> Locale:
    return Locale.parse(language, sep="-")


# gettext's Plural-Forms for the six UN languages (CLDR's categories, as GNU gettext writes them);
# Babel's own table maps Arabic numbers 11-99 to the wrong form, so these are set explicitly.
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
    "zh": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}


def expected_plural_forms(language: str) -> str:
    known = PLURAL_FORMS.get(language.split("-")[0].lower())
    return known or Catalog(locale=locale_of(language)).plural_forms


def set_language(catalog: Catalog, language: str) -> None:
    """The `Language` and `Plural-Forms` headers for the language, whatever the file said."""
    catalog.locale = locale_of(language)
    catalog.mime_headers = [("Plural-Forms", expected_plural_forms(language))]
    catalog.language_team = f"{locale_of(language).english_name} <{language}@li.org>"


def serialize(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=WIDTH,
        sort_output=False,
        include_previous=True,
        ignore_obsolete=False,
    )
    return buffer.getvalue()


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write unless only the dates would change, so extracting twice gives the same file."""
    data = serialize(catalog)
    if path.is_file() and _DATE_LINES.sub(b"", path.read_bytes()) == _DATE_LINES.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


class CatalogError(ValueError):
    """A .po file a person broke, told as `path:line: message` (a ValueError for old callers)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.diagnostic = Diagnostic(display_path(path), line, Severity.ERROR, message)
        super().__init__(f"{display_path(path)}:{line}: {message}")


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """The catalog, or CatalogError naming the line a translator's tool or hand broke."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language and locale_of(language), abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", 0) + 1
        text = str(getattr(error, "line", "")).strip()
        raise CatalogError(path, line, f"not valid .po syntax: {text!r}") from None
    except UnicodeDecodeError as error:
        raise CatalogError(
            path, 1, f"this .po file is not in its declared encoding: {error.reason}"
        ) from None
    previous = _previous_msgids(path.read_text(encoding=catalog.charset or "utf-8"))
    for message in catalog:
        # Babel reads a `#| ...` line as a translator comment `| ...`
        message.user_comments = [c for c in message.user_comments if not c.startswith("| ")]
        if message.lineno in previous:
            message.previous_id = [previous[message.lineno]]
    return catalog


def _previous_msgids(text: str) -> dict[int, str]:
    """msgid line -> the `#| msgid` above it; Babel writes these lines but does not read them."""
    found: dict[int, str] = {}
    pending: list[str] = []
    in_previous = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#| msgid "):
            pending, in_previous = [line.removeprefix("#| msgid ")], True
        elif line.startswith('#| "') and in_previous:
            pending.append(line.removeprefix("#| "))
        else:
            in_previous = False
            if line.startswith("msgid ") and pending:
                found[number] = "".join(unescape(part.strip()) for part in pending)
                pending = []
            elif not line.strip():
                pending = []
    return found


@dataclass(frozen=True)
class UpdateSummary:
    language: str
    created: bool
    new: int
    fuzzy: int
    obsolete: int

    def __str__(self) -> str:
        verb = "created" if self.created else "updated"
        return (
            f"{self.language}: {verb}; {self.new} new, {self.fuzzy} fuzzy, {self.obsolete} obsolete"
        )


def merge(template: Catalog, existing: Catalog | None, language: str) -> tuple[Catalog, int, int]:
    """The language's catalog brought up to the template: (catalog, fuzzy count, obsolete count).

    A changed source becomes fuzzy with its previous msgid kept, so the translator sees what
    changed; a removed one is kept as obsolete (`#~`) in case it comes back.
    """
    if existing is None:
        catalog = Catalog(
            locale=locale_of(language),
            project=template.project,
            version=template.version,
            copyright_holder=template.copyright_holder,
            msgid_bugs_address=template.msgid_bugs_address,
            creation_date=template.creation_date,
            header_comment=template.header_comment.replace(
                "do not edit; translate the <lang>.po files", f"translation into {language}"
            ),
            fuzzy=False,
        )
        set_language(catalog, language)
        for message in template:
            if message.id:
                catalog[message.id] = message.clone()
        _clear_strings(catalog)
        return catalog, 0, 0
    fuzzy_before = {m.id for m in existing if m.id and m.fuzzy}
    previous = {(m.context, m.id): m.previous_id for m in existing if m.id and m.previous_id}
    existing.update(template, no_fuzzy_matching=False, update_header_comment=False)
    for message in existing:
        if message.fuzzy and not message.previous_id:  # Babel forgets it on a second merge
            message.previous_id = previous.get((message.context, message.id), [])
    set_language(existing, language)
    existing.fuzzy = False
    fuzzy = sum(1 for m in existing if m.id and m.fuzzy and m.id not in fuzzy_before)
    return existing, fuzzy, len(existing.obsolete)


def _clear_strings(catalog: Catalog) -> None:
    for message in catalog:
        if message.id:
            message.string = ("",) * catalog.num_plurals if message.pluralizable else ""

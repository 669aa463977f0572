"""`mafunzo i18n ...`: the translator's and the release manager's commands for course content."""

from __future__ import annotations

import json
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from packager.diagnostics import Diagnostic, Diagnostics, Severity, display_path
from packager.i18n import catalog as catalogs
from packager.i18n import pages
from packager.i18n.check import check_catalog
from packager.i18n.extract import build_template, occurrences
from packager.i18n.figures import FLAG as FIGURE_FLAG
from packager.i18n.markdown_import import (
    apply_translations,
    pair_translations,
    report_edited_figures,
)
from packager.i18n.stats import as_json, as_table, course_stats
from packager.i18n.xliff import XliffError, read_xliff, write_xliff
from packager.languages import UN_LANGUAGES, is_known_language
from packager.loader import load_course
from packager.model import Course

TRANSLATIONS = click.option(
    "--translations",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the catalogs (default: translations/ beside the courses/ folder).",
)
LANGS = click.option(
    "--lang",
    "languages",
    multiple=True,
    help="A language tag; repeat for several (default: every language of course.yaml).",
)


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


def _course(path: Path) -> Course:
    course, diagnostics = load_course(path)
    _report(diagnostics)
    if course is None:
        raise click.ClickException(
            f"{display_path(path)}: the course has errors (see `mafunzo check`)"
        )
    return course


def _folder(course: Course, translations: Path | None) -> Path:
    return translations or catalogs.translations_dir(course.root)


def _languages(course: Course, languages: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [tag for tag in languages if tag not in course.languages]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)} not in the course's `languages` ({', '.join(course.languages)})",
            param_hint="--lang",
        )
    return tuple(t for t in languages if t != course.source_language) or catalogs.target_languages(
        course
    )


def _read(path: Path, language: str) -> Catalog:
    try:
        return catalogs.read_catalog(path, language)
    except catalogs.CatalogError as exc:
        raise click.ClickException(str(exc)) from None
    except (PoFileError, ValueError) as exc:
        raise click.ClickException(
            f"{display_path(path)}:1: cannot read this .po file: {exc}"
        ) from None


def _write_template(course: Course, folder: Path) -> Catalog:
    template = build_template(course)
    path = catalogs.template_path(folder, course.slug)
    changed = catalogs.write_catalog(path, template)
    state = "wrote" if changed else "unchanged"
    click.echo(f"{display_path(path)}: {state}, {len(template)} messages")
    return template


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def i18n() -> None:
    """Translate course content with gettext catalogs (see docs/translating.md)."""


@i18n.command()
@click.argument("course", type=click.Path(path_type=Path))
@TRANSLATIONS
def extract(course: Path, translations: Path | None) -> None:
    """Write translations/<slug>/<slug>.pot from the course's sources."""
    loaded = _course(course)
    _write_template(loaded, _folder(loaded, translations))


@i18n.command()
@click.argument("course", type=click.Path(path_type=Path))
@LANGS
@TRANSLATIONS
def update(course: Path, languages: tuple[str, ...], translations: Path | None) -> None:
    """Extract, then create or merge each language's .po (changed texts become fuzzy)."""
    loaded = _course(course)
    folder = _folder(loaded, translations)
    template = _write_template(loaded, folder)
    for language in _languages(loaded, languages):
        path = catalogs.po_path(folder, loaded.slug, language)
        existing = _read(path, language) if path.is_file() else None
        before = {(m.context, m.id) for m in existing if m.id} if existing else set()
        merged, fuzzy, obsolete = catalogs.merge(template, existing, language)
        new = sum(1 for m in merged if m.id and (m.context, m.id) not in before and not m.fuzzy)
        catalogs.write_catalog(path, merged)
        summary = catalogs.UpdateSummary(language, existing is None, new, fuzzy, obsolete)
        click.echo(f"{display_path(path)}: {summary}")


@i18n.command()
@click.argument("courses", nargs=-1, type=click.Path(path_type=Path))
@LANGS
@TRANSLATIONS
@click.option("--json", "as_json_output", is_flag=True, help="Print JSON instead of a table.")
def stats(
    courses: tuple[Path, ...],
    languages: tuple[str, ...],
    translations: Path | None,
    as_json_output: bool,
) -> None:
    """Per course and language: messages and words translated, fuzzy, untranslated.

    Without COURSE, every course under ./courses.
    """
    paths = courses or tuple(sorted(p for p in Path("courses").glob("*") if p.is_dir()))
    if not paths:
        raise click.UsageError("name a COURSE folder (no ./courses folder here)")
    tables: list[str] = []
    records: list[dict[str, object]] = []
    for path in paths:
        loaded = _course(path)
        try:
            rows = course_stats(
                loaded, _languages(loaded, languages), _folder(loaded, translations)
            )
        except catalogs.CatalogError as exc:
            raise click.ClickException(str(exc)) from None
        tables.append(as_table(loaded.slug, rows))
        records.extend(as_json(loaded.slug, rows))
    if as_json_output:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(tables))


@i18n.command()
@click.argument("targets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@LANGS
@TRANSLATIONS
def check(targets: tuple[Path, ...], languages: tuple[str, ...], translations: Path | None) -> None:
    """Check .po files (given, or those of each COURSE): placeholders, markup, URLs, numbers...

    Exit status 1 when there is an error; warnings alone do not fail.
    """
    paths = targets or tuple(sorted(p for p in Path("courses").glob("*") if p.is_dir()))
    report = Diagnostics()
    checked = 0
    for target in paths:
        if target.suffix == ".po":
            _check_file(target, _language_of(target), None, report)
            checked += 1
            continue
        loaded = _course(target)
        folder = _folder(loaded, translations)
        for language in _languages(loaded, languages):
            path = catalogs.po_path(folder, loaded.slug, language)
            if not path.is_file():
                report.warning(path, 1, "no translation yet: run `mafunzo i18n update`")
                continue
            _check_file(path, language, loaded, report)
            checked += 1
    diagnostics = report.sorted()
    _report(diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    click.echo(f"{checked} catalogs checked: {errors} errors, {warnings} warnings")
    if errors:
        raise SystemExit(1)


def _language_of(path: Path) -> str:
    """`fr` for `fr.po`; else the file's `Language` header (`.../fr/LC_MESSAGES/messages.po`)."""
    if is_known_language(path.stem):
        return path.stem
    try:
        with path.open("rb") as source:
            declared = read_po(source).locale_identifier
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(
            f"{display_path(path)}:1: cannot read this .po file: {exc}"
        ) from None
    if not declared:
        raise click.ClickException(
            f"{display_path(path)}:1: which language is this? Name the file <language>.po "
            "or give it a `Language` header"
        )
    return declared.replace("_", "-")


def _check_file(path: Path, language: str, course: Course | None, report: Diagnostics) -> None:
    catalog = _read(path, language)
    check_catalog(catalog, path, language, report)
    if course is not None:
        missing = {o.key for o in occurrences(course)} - {(m.context, m.id) for m in catalog}
        if missing:
            report.warning(
                path,
                1,
                f"{len(missing)} messages of the course are not in this file: "
                "run `mafunzo i18n update`",
            )


@i18n.command("update-pages")
@click.option("--lang", "languages", multiple=True, help="A language; repeat (default: all five).")
def update_pages(languages: tuple[str, ...]) -> None:
    """Bring the catalogs of the package pages' own words (buttons, feedback) up to date."""
    template = pages.pages_template()
    changed = catalogs.write_catalog(pages.template_path(), template)
    click.echo(
        f"{display_path(pages.template_path())}: "
        f"{'wrote' if changed else 'unchanged'}, {len(template)} messages"
    )
    for language in languages or tuple(t for t in UN_LANGUAGES if t != "en"):
        path = pages.po_path(language)
        existing = _read(path, language) if path.is_file() else None
        merged, fuzzy, obsolete = catalogs.merge(template, existing, language)
        catalogs.write_catalog(path, merged)
        new = sum(1 for m in merged if m.id and not m.string)
        summary = catalogs.UpdateSummary(language, existing is None, new, fuzzy, obsolete)
        click.echo(f"{display_path(path)}: {summary}")


@i18n.command("export-xliff")
@click.argument("course", type=click.Path(path_type=Path))
@click.option("--lang", "language", required=True, help="The target language.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="The .xlf to write."
)
@TRANSLATIONS
def export_xliff(
    course: Path, language: str, output: Path | None, translations: Path | None
) -> None:
    """Write the language's catalog as XLIFF 1.2 for a translation vendor's CAT tool."""
    loaded = _course(course)
    folder = _folder(loaded, translations)
    path = catalogs.po_path(folder, loaded.slug, language)
    if not path.is_file():
        raise click.ClickException(
            f"{display_path(path)} does not exist: run `mafunzo i18n update --lang {language}`"
        )
    output = output or path.with_suffix(".xlf")
    output.write_bytes(write_xliff(_read(path, language), loaded.source_language, language))
    click.echo(f"{display_path(output)}: wrote {language} for {loaded.slug}")


@i18n.command("import-xliff")
@click.argument("course", type=click.Path(path_type=Path))
@click.argument("xliff", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@TRANSLATIONS
def import_xliff(course: Path, xliff: Path, translations: Path | None) -> None:
    """Take a vendor's XLIFF back into the language's .po (translations and review states)."""
    loaded = _course(course)
    folder = _folder(loaded, translations)
    try:
        language, units = read_xliff(xliff.read_bytes())
    except XliffError as exc:
        raise click.ClickException(f"{display_path(xliff)}:{exc.line}: {exc.message}") from None
    path = catalogs.po_path(folder, loaded.slug, _languages(loaded, (language,))[0])
    catalog = _read(path, language) if path.is_file() else None
    if catalog is None:
        raise click.ClickException(
            f"{display_path(path)} does not exist: run `mafunzo i18n update --lang {language}`"
        )
    report = Diagnostics()
    for unit in units:
        message = catalog.get(unit.msgid, context=unit.context)
        if message is None:
            report.warning(xliff, unit.line, "this unit is not in the catalog any more; skipped")
            continue
        message.string = unit.string
        if unit.fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
    _report(report.sorted())
    catalogs.write_catalog(path, catalog)
    click.echo(f"{display_path(path)}: imported {len(units)} units from {display_path(xliff)}")


@i18n.command("import-markdown")
@click.argument("course", type=click.Path(path_type=Path))
@click.argument("copy", type=click.Path(path_type=Path))
@click.option("--lang", "language", required=True, help="The language of the translated copy.")
@TRANSLATIONS
def import_markdown(course: Path, copy: Path, language: str, translations: Path | None) -> None:
    """Fill the language's .po from a translated copy of the course's Markdown (same structure)."""
    source = _course(course)
    _languages(source, (language,))
    translated = _course(copy)
    report = Diagnostics()
    pairs = pair_translations(source, translated, report)
    report_edited_figures(source, translated, report)
    diagnostics = report.sorted()
    _report(diagnostics)
    if report.has_errors:
        raise click.ClickException(
            f"{display_path(copy)}: nothing imported; make its structure match the source"
        )
    folder = _folder(source, translations)
    template = _write_template(source, folder)
    path = catalogs.po_path(folder, source.slug, language)
    existing = _read(path, language) if path.is_file() else None
    merged, _fuzzy, _obsolete = catalogs.merge(template, existing, language)
    count = apply_translations(merged, pairs)
    catalogs.write_catalog(path, merged)
    summary = f"{display_path(path)}: {count} of {len(template)} messages from {display_path(copy)}"
    figures_left = sum(
        1 for m in merged if m.id and FIGURE_FLAG in m.flags and (m.fuzzy or not m.string)
    )
    if figures_left:
        are = "message is" if figures_left == 1 else "messages are"
        summary += f"; {figures_left} figure {are} not in the Markdown: translate in the .po"
    click.echo(summary)

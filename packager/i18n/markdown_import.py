"""A translated copy of a course's Markdown turned into the language's `.po` file.

Some translators prefer to translate the Markdown itself. Their copy must keep the source's
structure, block for block; the two courses are walked side by side and each source message is
paired with the text in the same place of the copy. Where the structures part, the first place
is reported as `path:line` in the copy, with the matching place in the source.

The words of the figures (figures.py) are not Markdown, and they are not read from the copy's
SVG files: a translated drawing has no structure to pair reliably (an editor regroups and
rewrites its text elements), and the figure rules (the lines, the tags, the length) are checked
on `.po` messages. Figure messages keep whatever translation the `.po` has; a figure the copy
changed is pointed out, so that no translator's work there is lost without a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from packager.diagnostics import Diagnostics, display_path
from packager.i18n.extract import Occurrence, needs_translation, occurrences
from packager.i18n.figures import figures_used
from packager.i18n.placeholders import protect_like
from packager.i18n.walk import Slot, map_texts
from packager.model import Course, Module, Question


@dataclass(frozen=True)
class Landmark:
    """One element of a course's shape: what it is and where it was written."""

    what: str
    path: Path
    line: int


def shape(course: Course) -> Iterator[Landmark]:
    """The course's structure without its words: what must be the same in a translated copy."""
    yaml_path = course.root / "course.yaml"
    yield Landmark(f"{len(course.keywords)} keywords", yaml_path, 1)
    for module in course.modules:
        yield Landmark(f"module {module.path.name}", module.path, 1)
        yield Landmark(f"{len(module.objectives)} objectives", module.path, 1)
        for page in module.pages:
            yield Landmark("page", module.path, page.line)
            yield from _nodes(page.blocks, module)


def _nodes(blocks: tuple[object, ...], module: Module) -> Iterator[Landmark]:
    for block in blocks:
        yield Landmark(_describe(block), module.path, getattr(block, "line", 1))
        for field in fields(block):  # type: ignore[arg-type]
            value = getattr(block, field.name)
            if isinstance(value, tuple) and value and is_dataclass(value[0]):
                yield from _nodes(value, module)


def _describe(block: object) -> str:
    name = type(block).__name__.lower()
    if isinstance(block, Question):
        return (
            f"question #{block.id} ({block.type.value}, {len(block.choices)} choices, "
            f"{len(block.answers)} accepted answers, {len(block.pairs)} pairs, "
            f"{'with' if block.feedback else 'without'} feedback)"
        )
    detail = {
        "heading": f"level {getattr(block, 'level', '')}",
        "listblock": "ordered" if getattr(block, "ordered", False) else "bulleted",
        "table": f"{len(getattr(block, 'header', ()))} columns, "
        f"{len(getattr(block, 'rows', ()))} rows",
        "choice": "with feedback" if getattr(block, "feedback", None) else "without feedback",
        "image": "with title" if getattr(block, "title", None) else "without title",
    }.get(name)
    name = _NAMES.get(name, name)
    return f"{name} ({detail})" if detail else name


_NAMES = {
    "listblock": "list",
    "listitem": "list item",
    "codeblock": "code block",
    "rawhtml": "HTML block",
    "matchpair": "matching pair",
}


def _slots(course: Course) -> list[Slot]:
    found: list[Slot] = []

    def record(slot: Slot) -> str:
        found.append(slot)
        return slot.text

    map_texts(course, record)
    return found


def _where(path: Path, line: int) -> str:
    return f"{display_path(path)}:{line}"


def pair_translations(
    source: Course, copy: Course, report: Diagnostics
) -> dict[tuple[str | None, str], str]:
    """Source message key -> translated message, or {} with the mismatches in `report`."""
    for mine, theirs in zip(shape(source), shape(copy), strict=False):
        if mine.what != theirs.what:
            report.error(
                theirs.path,
                theirs.line,
                f"the structure differs from the source: found {theirs.what} where "
                f"{_where(mine.path, mine.line)} has {mine.what}",
            )
            return {}
    source_shape, copy_shape = list(shape(source)), list(shape(copy))
    if len(source_shape) != len(copy_shape):
        extra = copy_shape[len(source_shape)] if len(copy_shape) > len(source_shape) else None
        missing = source_shape[len(copy_shape)] if extra is None else None
        if extra is not None:
            report.error(extra.path, extra.line, f"{extra.what} is not in the source")
        elif missing is not None:
            report.error(
                copy.root,
                1,
                f"the copy ends before {missing.what} of {_where(missing.path, missing.line)}",
            )
        return {}
    return _pair_texts(source, copy, report)


def _pair_texts(
    source: Course, copy: Course, report: Diagnostics
) -> dict[tuple[str | None, str], str]:
    wanted = iter(occurrences(source))
    pairs: dict[tuple[str | None, str], str] = {}
    first_seen: dict[tuple[str | None, str], Slot] = {}
    for mine, theirs in zip(_slots(source), _slots(copy), strict=True):
        if mine.role is not theirs.role:
            report.error(
                theirs.path,
                theirs.line,
                f"found a {theirs.role} where {_where(mine.path, mine.line)} has a {mine.role}",
            )
            continue
        if not needs_translation(protect_like(mine.text, ())[0]):
            continue
        occurrence: Occurrence = next(wanted)
        message, unknown = protect_like(theirs.text, occurrence.targets)
        for target in unknown:
            report.error(
                theirs.path,
                theirs.line,
                f"link or image target `{target}` is not in the source text "
                f"({_where(mine.path, mine.line)}): keep targets unchanged",
            )
        if occurrence.key in pairs and pairs[occurrence.key] != message:
            earlier = first_seen[occurrence.key]
            report.warning(
                theirs.path,
                theirs.line,
                f"the same source text is translated differently at "
                f"{_where(earlier.path, earlier.line)}; that first translation is kept",
            )
            continue
        pairs.setdefault(occurrence.key, message)
        first_seen.setdefault(occurrence.key, theirs)
    return pairs


def apply_translations(catalog: Catalog, pairs: dict[tuple[str | None, str], str]) -> int:
    """Fill the catalog from the pairs; the entries become finished (not fuzzy)."""
    count = 0
    for (context, msgid), string in pairs.items():
        message = catalog.get(msgid, context=context)
        if message is None:
            continue
        message.string = string
        message.flags.discard("fuzzy")
        message.previous_id = []
        count += 1
    return count


def report_edited_figures(source: Course, copy: Course, report: Diagnostics) -> None:
    """A warning at each figure of the source that the copy changed: its words are not imported."""
    for figure in figures_used(source):
        theirs = copy.root / figure
        if theirs.is_file() and theirs.read_bytes() != (source.root / figure).read_bytes():
            report.warning(
                theirs,
                1,
                "the words of a figure are not imported from the copy: translate them in the "
                ".po (or its XLIFF), where `mafunzo i18n check` checks their lines and tags",
            )

"""Reads and checks `course.yaml`: what the course is and the order of its modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packager import yaml_lines
from packager.diagnostics import Diagnostics
from packager.languages import is_known_language
from packager.model import Author
from packager.yaml_lines import Located

ISO_DURATION = re.compile(
    r"^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?"
    r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$"
)
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")

REQUIRED = (
    "id",
    "title",
    "description",
    "version",
    "language",
    "languages",
    "authors",
    "license",
    "keywords",
    "duration",
    "mastery_score",
    "modules",
)
KNOWN = frozenset(REQUIRED)


@dataclass(frozen=True)
class CourseHeader:
    """course.yaml's content, checked; `module_files` keeps each entry's line for later errors."""

    id: str
    title: str
    description: str
    version: str
    language: str
    languages: tuple[str, ...]
    authors: tuple[Author, ...]
    license: str
    keywords: tuple[str, ...]
    duration: str
    mastery_score: float
    module_files: tuple[tuple[str, int], ...]


def read_course_yaml(path: Path, diagnostics: Diagnostics) -> CourseHeader | None:
    """The header, or None when course.yaml cannot be read at all.

    A header with mistakes in some fields is still returned (the mistakes reported), so that the
    modules are checked too and an author sees every problem of the course in one run.
    """
    if not path.is_file():
        diagnostics.error(path, 1, "course.yaml is missing: every course folder needs one")
        return None
    try:
        root = yaml_lines.parse(path.read_text(encoding="utf-8"))
    except yaml_lines.YamlError as exc:
        diagnostics.error(path, exc.line, exc.message)
        return None
    except UnicodeDecodeError:
        diagnostics.error(path, 1, "course.yaml is not UTF-8 text")
        return None
    if not isinstance(root.value, dict):
        diagnostics.error(path, root.line, "course.yaml must be a mapping of fields (`id: ...`)")
        return None
    return _check(path, root, diagnostics)


def _check(path: Path, root: Located, diagnostics: Diagnostics) -> CourseHeader:
    fields: dict[str, Located] = root.value
    for key, value in fields.items():
        if key not in KNOWN:
            diagnostics.error(
                path, value.line, f"unknown field `{key}` (known: {', '.join(REQUIRED)})"
            )
    for key in REQUIRED:
        if key not in fields:
            diagnostics.error(path, root.line, f"missing field `{key}`")

    def text(key: str, numbers_ok: bool = False) -> str:
        item = fields.get(key)
        if item is None:
            return ""
        allowed = str | int | float if numbers_ok else str
        if isinstance(item.value, bool) or not isinstance(item.value, allowed):
            diagnostics.error(path, item.line, f"`{key}` must be text")
            return ""
        value = str(item.value).strip()
        if not value:
            diagnostics.error(path, item.line, f"`{key}` must not be empty")
        return value

    def text_list(key: str) -> list[tuple[str, int]]:
        item = fields.get(key)
        if item is None:
            return []
        if not isinstance(item.value, list):
            diagnostics.error(path, item.line, f"`{key}` must be a list")
            return []
        out = []
        for entry in item.value:
            if not isinstance(entry.value, str | int | float) or isinstance(entry.value, bool):
                diagnostics.error(path, entry.line, f"each entry of `{key}` must be text")
                continue
            out.append((str(entry.value), entry.line))
        return out

    course_id = text("id")
    if course_id and not ABSOLUTE_IRI.match(course_id):
        diagnostics.error(
            path,
            fields["id"].line,
            f"`id` must be an absolute IRI such as "
            f"https://example.org/courses/my-course, not `{course_id}`",
        )
    version = text("version", numbers_ok=True)
    if version and re.search(r"\s|/", version):
        diagnostics.error(path, fields["version"].line, "`version` must not contain spaces or `/`")
    language = text("language")
    languages = text_list("languages")
    for tag, line in [(language, fields["language"].line)] if language else []:
        if not is_known_language(tag):
            diagnostics.error(path, line, f"unknown language tag `{tag}` (use BCP 47, e.g. `en`)")
    seen: set[str] = set()
    for tag, line in languages:
        if not is_known_language(tag):
            diagnostics.error(path, line, f"unknown language tag `{tag}` (use BCP 47, e.g. `fr`)")
        if tag in seen:
            diagnostics.error(path, line, f"language `{tag}` is listed twice")
        seen.add(tag)
    if language and languages and language not in seen:
        diagnostics.error(
            path,
            fields["languages"].line,
            f"`languages` must include the source language `{language}`",
        )
    duration = text("duration")
    if duration and not ISO_DURATION.match(duration):
        diagnostics.error(
            path,
            fields["duration"].line,
            f"`duration` must be an ISO 8601 duration such as PT2H30M, not `{duration}`",
        )
    mastery = _mastery(path, fields.get("mastery_score"), diagnostics)
    authors = _authors(path, fields.get("authors"), diagnostics)
    modules = text_list("modules")
    if "modules" in fields and isinstance(fields["modules"].value, list) and not modules:
        diagnostics.error(path, fields["modules"].line, "`modules` must list at least one file")
    return CourseHeader(
        id=course_id,
        title=text("title"),
        description=text("description"),
        version=version,
        language=language,
        languages=tuple(tag for tag, _ in languages),
        authors=authors,
        license=text("license"),
        keywords=tuple(k for k, _ in text_list("keywords")),
        duration=duration,
        mastery_score=mastery,
        module_files=tuple(modules),
    )


def _mastery(path: Path, item: Located | None, diagnostics: Diagnostics) -> float:
    if item is None:
        return 0.0
    value: Any = item.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        diagnostics.error(path, item.line, "`mastery_score` must be a number between 0 and 1")
        return 0.0
    if not 0 <= value <= 1:
        hint = f" (did you mean {value / 100:g}?)" if 1 < value <= 100 else ""
        diagnostics.error(
            path, item.line, f"`mastery_score` must be between 0 and 1, not {value:g}{hint}"
        )
    return float(value)


def _authors(path: Path, item: Located | None, diagnostics: Diagnostics) -> tuple[Author, ...]:
    if item is None:
        return ()
    if not isinstance(item.value, list) or not item.value:
        diagnostics.error(path, item.line, "`authors` must be a list of `- name: ...` entries")
        return ()
    authors = []
    for entry in item.value:
        if not isinstance(entry.value, dict) or "name" not in entry.value:
            diagnostics.error(path, entry.line, "each author needs a `name`")
            continue
        for key, value in entry.value.items():
            if key not in ("name", "email"):
                diagnostics.error(path, value.line, f"unknown author field `{key}`")
        name, email = entry.value["name"], entry.value.get("email")
        if not isinstance(name.value, str) or (
            email is not None and not isinstance(email.value, str)
        ):
            diagnostics.error(path, entry.line, "an author's `name` and `email` must be text")
            continue
        authors.append(
            Author(str(entry.value["name"].value), str(email.value) if email is not None else None)
        )
    return tuple(authors)

"""xAPI (TinCan) packages: tincan.xml read back into activities and checked against the course
model (ids, types, launch files, language maps, interaction definitions); identical rebuilds."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from packager.build import build, complete_translations
from packager.formats import xapi
from packager.i18n.translate import load_translation
from packager.loader import load_course
from packager.model import Course, QuestionType
from tests.fixtures.scorm import SAMPLE_COURSE, TINY_COURSE

NS = "{http://projecttincan.com/tincan.xsd}"
COURSE = "http://adlnet.gov/expapi/activities/course"
MODULE = "http://adlnet.gov/expapi/activities/module"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"


@dataclass
class Activity:
    type: str
    names: dict[str, str]
    descriptions: dict[str, str]
    launch: dict[str, str]
    interaction_type: str | None = None
    patterns: list[str] = field(default_factory=list)
    components: dict[str, list[str]] = field(default_factory=dict)


def read_tincan(files: dict[str, bytes]) -> dict[str, Activity]:
    """tincan.xml as our model of it: every activity by id, in document order."""
    root = etree.fromstring(files["tincan.xml"])
    assert root.tag == f"{NS}tincan"
    found: dict[str, Activity] = {}
    for element in root.findall(f"{NS}activities/{NS}activity"):

        def texts(tag: str, parent: etree._Element = element) -> dict[str, str]:
            return {e.get("lang"): e.text for e in parent.findall(f"{NS}{tag}")}

        assert element.get("id") not in found
        found[element.get("id")] = Activity(
            type=element.get("type"),
            names=texts("name"),
            descriptions=texts("description"),
            launch=texts("launch"),
            interaction_type=element.findtext(f"{NS}interactionType"),
            patterns=[p.text for p in element.iter(f"{NS}correctResponsePattern")],
            components={
                kind.tag.removeprefix(NS): [c.findtext(f"{NS}id") for c in kind]
                for kind in element
                if kind.tag in (f"{NS}choices", f"{NS}source", f"{NS}target")
            },
        )
    return found


@pytest.fixture(scope="module")
def tiny() -> Course:
    course, diagnostics = load_course(TINY_COURSE)
    assert course is not None, diagnostics
    return course


@pytest.fixture(scope="module")
def sample_files(sample_course: Course) -> dict[str, bytes]:
    french = load_translation(sample_course, "fr").course
    return xapi.package_files(french, "per-module", complete_translations(sample_course))


def test_course_and_modules_are_activities_with_their_iris_and_types(tiny: Course) -> None:
    files = xapi.package_files(tiny, "single")
    activities = read_tincan(files)
    ids = list(activities)
    assert ids[0] == tiny.id and activities[tiny.id].type == COURSE
    assert ids[1 : 1 + len(tiny.modules)] == [m.iri for m in tiny.modules]
    assert all(activities[m.iri].type == MODULE for m in tiny.modules)
    assert activities[tiny.id].launch == {"en": "index.html"}
    assert "index.html" in files
    assert all(activities[m.iri].launch == {} for m in tiny.modules)


def test_per_module_layout_launches_each_module(tiny: Course) -> None:
    files = xapi.package_files(tiny, "per-module")
    activities = read_tincan(files)
    for module in tiny.modules:
        assert activities[module.iri].launch == {"en": f"{module.slug}.html"}
        assert f"{module.slug}.html" in files
    assert activities[tiny.id].launch == {"en": f"{tiny.modules[0].slug}.html"}


def test_every_question_is_an_interaction_with_its_correct_pattern(tiny: Course) -> None:
    activities = read_tincan(xapi.package_files(tiny, "single"))
    expected_types = {
        QuestionType.SINGLE: "choice",
        QuestionType.MULTIPLE: "choice",
        QuestionType.TRUE_FALSE: "true-false",
        QuestionType.SHORT: "fill-in",
        QuestionType.MATCHING: "matching",
        QuestionType.ORDERING: "sequencing",
    }
    for question in tiny.questions:
        activity = activities[question.iri]
        assert activity.type == INTERACTION
        assert activity.interaction_type == expected_types[question.type]
        if question.type is QuestionType.SHORT:
            assert activity.patterns == list(question.answers)
        elif question.type is QuestionType.MATCHING:
            ids = [p.id for p in question.pairs]
            assert activity.patterns == ["[,]".join(f"{i}[.]{i}" for i in ids)]
            assert activity.components == {"source": ids, "target": ids}
        elif question.type is QuestionType.ORDERING:
            assert activity.patterns == ["[,]".join(c.id for c in question.choices)]
            assert activity.components == {"choices": [c.id for c in question.choices]}
        else:
            assert activity.patterns == ["[,]".join(c.id for c in question.correct_choices)]
    capital = activities[f"{tiny.modules[1].iri}#capital"]
    assert capital.names == {"en": "Which city is the capital of Kenya?"}
    assert capital.components == {"choices": ["a", "b", "c"]}


def finished(course: Course) -> set[str]:
    return {
        lang for lang in course.languages if load_translation(course, lang).completeness.complete
    }


def test_names_are_language_maps_of_every_finished_translation(
    sample_files: dict[str, bytes], sample_course: Course
) -> None:
    activities = read_tincan(sample_files)
    languages = finished(sample_course)
    french = load_translation(sample_course, "fr").course
    for activity in activities.values():
        assert set(activity.names) == languages
        assert set(activity.descriptions) == languages
        assert next(iter(activity.names)) == "fr"  # the package's own language first
    assert activities[sample_course.id].names["fr"] == french.title
    assert activities[sample_course.id].names["en"] == sample_course.title
    first = sample_course.modules[0]
    assert activities[first.iri].names["fr"] == re.sub(r"[*_`]", "", french.modules[0].title)
    assert activities[first.iri].launch == {"fr": f"{first.slug}.html"}


def test_pages_carry_the_interaction_definitions_for_the_runtime(
    sample_files: dict[str, bytes], sample_course: Course
) -> None:
    page = sample_files[f"{sample_course.modules[0].slug}.html"].decode()
    found = re.search(r'<script type="application/json" id="mafunzo-data">(.*?)</script>', page)
    data: dict[str, Any] = json.loads(found.group(1))
    question = sample_course.modules[0].questions[0]
    definition = data["runtime"]["interactions"][question.iri]
    assert set(definition["name"]) == finished(sample_course)
    assert [c["id"] for c in definition["choices"]] == [c.id for c in question.choices]
    assert data["runtime"]["activities"][f"{sample_course.modules[0].slug}.html"] == (
        sample_course.modules[0].iri
    )
    assert b'<script src="xapi-runtime.js">' in page.encode()


def test_rebuilding_gives_the_same_bytes(tmp_path: Path) -> None:
    first, _ = build(SAMPLE_COURSE, ["xapi"], ["en"], "single", tmp_path / "a")
    second, _ = build(SAMPLE_COURSE, ["xapi"], ["en"], "single", tmp_path / "b")
    assert first[0].path.read_bytes() == second[0].path.read_bytes()
    with zipfile.ZipFile(first[0].path) as archive:
        assert "tincan.xml" in archive.namelist()
        assert archive.namelist() == sorted(archive.namelist())

"""Every format names the course in exactly the languages the build hands it, the package's own
first: here a Swahili version that exists in no .po file, so only the texts given can supply it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from lxml import etree

from packager.course_texts import CourseTexts
from packager.formats import cmi5, scorm12, scorm2004, xapi
from packager.loader import load_course
from packager.model import Course
from tests.fixtures.scorm import TINY_COURSE

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IMSMD = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"
TINCAN = "{http://projecttincan.com/tincan.xsd}"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"

Titles = list[tuple[str, str]]


def _scorm12(files: dict[str, bytes]) -> Titles:
    root = etree.fromstring(files["imsmanifest.xml"])
    found = root.findall(f".//{IMSMD}general/{IMSMD}title/{IMSMD}langstring")
    return [(s.get(XML_LANG), s.text) for s in found]


def _scorm2004(files: dict[str, bytes]) -> Titles:
    root = etree.fromstring(files["imsmanifest.xml"])
    found = root.findall(f".//{LOM}general/{LOM}title/{LOM}string")
    return [(s.get("language"), s.text) for s in found]


def _xapi(files: dict[str, bytes]) -> Titles:
    course = etree.fromstring(files["tincan.xml"]).find(f"{TINCAN}activities/{TINCAN}activity")
    return [(s.get("lang"), s.text) for s in course.findall(f"{TINCAN}name")]


def _cmi5(files: dict[str, bytes]) -> Titles:
    root = etree.fromstring(files["cmi5.xml"])
    found = root.findall(f"{CMI5}course/{CMI5}title/{CMI5}langstring")
    return [(s.get("lang"), s.text) for s in found]


FORMATS: dict[str, tuple[Callable[..., dict[str, bytes]], Callable[[dict], Titles]]] = {
    "scorm12": (scorm12.package_files, _scorm12),
    "scorm2004": (scorm2004.package_files, _scorm2004),
    "xapi": (xapi.package_files, _xapi),
    "cmi5": (cmi5.package_files, _cmi5),
}


@pytest.fixture(scope="module")
def english() -> Course:
    course, diagnostics = load_course(TINY_COURSE)
    assert course is not None, diagnostics
    return replace(course, title="Tiny course")


@pytest.fixture(scope="module")
def swahili(english: Course) -> Course:
    return replace(english, language="sw", title="Kozi ndogo")


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_course_title_is_given_in_each_language_handed_over(
    format_name: str, english: Course, swahili: Course
) -> None:
    package_files, titles = FORMATS[format_name]
    texts = CourseTexts((english, swahili))
    assert titles(package_files(english, "single", texts)) == [
        ("en", "Tiny course"),
        ("sw", "Kozi ndogo"),
    ]
    assert titles(package_files(swahili, "single", texts)) == [
        ("sw", "Kozi ndogo"),
        ("en", "Tiny course"),
    ]


@pytest.mark.parametrize("format_name", FORMATS)
def test_without_texts_a_package_names_its_own_language_only(
    format_name: str, english: Course
) -> None:
    package_files, titles = FORMATS[format_name]
    assert titles(package_files(english, "single")) == [("en", "Tiny course")]

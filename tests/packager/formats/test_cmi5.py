"""cmi5 packages of the sample course: the official course structure schema, one AU per module,
moveOn and mastery, language maps of every finished translation, byte-identical rebuilds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from packager.build import build
from packager.i18n.translate import load_translation
from packager.model import Course
from tests.fixtures.scorm import SAMPLE_COURSE

NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cmi5")
    built, _ = build(SAMPLE_COURSE, ["cmi5"], ["en", "fr"], "single", out)
    return {b.language: b.path for b in built}


@pytest.fixture(scope="module")
def cmi5_schema(schemas_dir: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(schemas_dir / "cmi5" / "CourseStructure.xsd"), parser))


def structure(package: Path) -> etree._Element:
    with zipfile.ZipFile(package) as archive:
        return etree.fromstring(archive.read("cmi5.xml"))


def finished_languages(course: Course) -> set[str]:
    return {
        lang for lang in course.languages if load_translation(course, lang).completeness.complete
    }


def test_cmi5_xml_is_valid_against_the_course_structure_schema(
    packages: dict[str, Path], cmi5_schema: etree.XMLSchema
) -> None:
    for package in packages.values():
        assert cmi5_schema.validate(structure(package)), cmi5_schema.error_log


def test_the_schema_refuses_an_unknown_move_on(
    packages: dict[str, Path], cmi5_schema: etree.XMLSchema
) -> None:
    root = structure(packages["en"])
    root.find(f"{NS}au").set("moveOn", "Sometimes")
    assert not cmi5_schema.validate(root)


def test_one_au_per_module_with_its_iri_and_document(
    packages: dict[str, Path], sample_course: Course
) -> None:
    root = structure(packages["en"])
    assert root.find(f"{NS}course").get("id") == sample_course.id
    aus = root.findall(f"{NS}au")
    assert [au.get("id") for au in aus] == [m.iri for m in sample_course.modules]
    with zipfile.ZipFile(packages["en"]) as archive:
        names = set(archive.namelist())
        for au in aus:
            url = au.findtext(f"{NS}url")
            assert url in names
            assert b'<script src="cmi5-runtime.js">' in archive.read(url)
        runtime = archive.read("cmi5-runtime.js").decode()
    assert "keepalive" in runtime  # the shared xAPI client travels in the runtime script


def test_move_on_and_mastery_follow_the_final_assessment(
    packages: dict[str, Path], sample_course: Course
) -> None:
    aus = {au.get("id"): au for au in structure(packages["en"]).findall(f"{NS}au")}
    for module in sample_course.modules:
        au = aus[module.iri]
        assert au.get("launchMethod") == "AnyWindow"
        if module.assessment:
            assert au.get("moveOn") == "CompletedAndPassed"
            assert float(au.get("masteryScore")) == sample_course.mastery_score
        else:
            assert au.get("moveOn") == "Completed"
            assert au.get("masteryScore") is None


def test_titles_in_every_finished_translation(
    packages: dict[str, Path], sample_course: Course
) -> None:
    expected = finished_languages(sample_course)
    assert expected >= {"en", "fr"}
    french = load_translation(sample_course, "fr").course
    for language, package in packages.items():
        root = structure(package)
        for element in root.iter(f"{NS}title", f"{NS}description"):
            langs = [s.get("lang") for s in element.findall(f"{NS}langstring")]
            assert set(langs) == expected and len(langs) == len(expected)
            assert langs[0] == language  # readers taking the first string get the package's
        course_titles = {
            s.get("lang"): s.text
            for s in root.find(f"{NS}course/{NS}title").iter(f"{NS}langstring")
        }
        assert course_titles["fr"] == french.title
        first_au = root.find(f"{NS}au/{NS}title")
        titles = {s.get("lang"): s.text for s in first_au.iter(f"{NS}langstring")}
        assert titles["fr"] == re.sub(r"[*_`]", "", french.modules[0].title)


def test_rebuilding_gives_the_same_bytes(packages: dict[str, Path], tmp_path: Path) -> None:
    again, _ = build(SAMPLE_COURSE, ["cmi5"], ["en"], "per-module", tmp_path)
    assert again[0].path.read_bytes() == packages["en"].read_bytes()

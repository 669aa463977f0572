"""Reading packages from other tools: format, course IRI, language, SCOs, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.packages.errors import PackageError
from lms.packages.manifest import read_package
from packager.formats import scorm12, scorm2004
from packager.loader import load_course
from tests.fixtures.courses import SAMPLE_COURSE
from tests.fixtures.scorm_packages import (
    COURSE_IRI,
    SCORM12_MANIFEST,
    SCORM2004_MANIFEST,
    scorm12_files,
    scorm2004_files,
)


def unpack(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def test_scorm12_package_is_read_with_its_launch_settings(tmp_path: Path) -> None:
    info = read_package(unpack(tmp_path, scorm12_files()))
    assert (info.format, info.course_iri, info.language) == ("scorm12", COURSE_IRI, "fr")
    assert info.title == "Sécurité de l'eau"
    [sco] = info.scos
    assert sco.href == "sco/index.html?mode=quiz"
    assert sco.mastery_score == pytest.approx(0.8)
    assert (sco.launch_data, sco.max_time_allowed, sco.time_limit_action) == (
        "seed=42",
        "00:30:00",
        "continue,message",
    )
    assert sco.activity_iri == f"{COURSE_IRI}/item1"


def test_multi_sco_scorm2004_package_lists_every_sco_in_order(tmp_path: Path) -> None:
    info = read_package(unpack(tmp_path, scorm2004_files()))
    assert (info.format, info.language, info.version) == ("scorm2004", "en", "2.0")
    assert [sco.identifier for sco in info.scos] == ["intro", "rivers", "quiz"]
    rivers, quiz = info.scos[1], info.scos[2]
    assert (rivers.launch_data, rivers.completion_threshold) == ("river-data", 0.5)
    assert quiz.mastery_score == pytest.approx(0.7)
    assert (quiz.max_time_allowed, quiz.time_limit_action) == ("PT1H", "exit,message")


def test_version_comes_from_namespaces_when_schemaversion_is_missing(tmp_path: Path) -> None:
    manifest = SCORM12_MANIFEST.replace("<schemaversion>1.2</schemaversion>", "")
    assert read_package(unpack(tmp_path, scorm12_files(manifest))).format == "scorm12"


def test_cmi5_and_xapi_packages_are_recognised(tmp_path: Path) -> None:
    cmi5 = unpack(
        tmp_path / "cmi5",
        {
            "cmi5.xml": (
                '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'
                '<course id="https://example.org/c"><title><langstring lang="es">Curso</langstring>'
                '</title></course><au id="https://example.org/c/au1"><title><langstring lang="es">A'
                "</langstring></title><url>index.html</url></au></courseStructure>"
            )
        },
    )
    info = read_package(cmi5)
    assert (info.format, info.course_iri, info.language) == ("cmi5", "https://example.org/c", "es")
    tincan = unpack(
        tmp_path / "tincan",
        {
            "tincan.xml": (
                '<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>'
                '<activity id="https://example.org/t" type="http://adlnet.gov/expapi/activities/course">'
                '<name lang="ar">دورة</name><launch lang="ar">index.html</launch></activity>'
                "</activities></tincan>"
            )
        },
    )
    assert read_package(tincan).format == "xapi"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"course/imsmanifest.xml": SCORM12_MANIFEST},
            "not at the root of the zip (found at course/",
        ),
        ({"index.html": "<p>"}, "no imsmanifest.xml"),
        (
            {
                "imsmanifest.xml": SCORM12_MANIFEST.replace(
                    'identifierref="res1"', 'identifierref="nope"'
                )
            },
            "item 'item1' refers to resource 'nope', which is not defined",
        ),
        (
            {"imsmanifest.xml": SCORM12_MANIFEST.replace('identifierref="res1"', "")},
            "no launchable SCO",
        ),
        (
            {"imsmanifest.xml": SCORM12_MANIFEST.replace("</organizations>", "</organization>")},
            "imsmanifest.xml:27: malformed XML",
        ),
        ({"imsmanifest.xml": SCORM12_MANIFEST}, "launches 'sco/index.html', which is not in"),
    ],
)
def test_broken_packages_are_refused_with_a_message_naming_the_problem(
    tmp_path: Path, files: dict[str, str | bytes], message: str
) -> None:
    with pytest.raises(PackageError) as refused:
        read_package(unpack(tmp_path, files))
    assert message in str(refused.value)


def test_xml_with_an_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    manifest = SCORM2004_MANIFEST.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY x SYSTEM "file://{secret}">]>',
    ).replace("<title>Water safety</title>", "<title>&x;</title>")
    with pytest.raises(PackageError, match="DOCTYPE or entity declaration is not allowed"):
        read_package(unpack(tmp_path / "pkg", scorm2004_files(manifest)))


def test_objective_iris_name_the_course_and_sco_when_lom_does_not(tmp_path: Path) -> None:
    manifest = SCORM2004_MANIFEST.replace(
        f"<lom:identifier><lom:catalog>URI</lom:catalog><lom:entry>{COURSE_IRI}</lom:entry>\n"
        "      </lom:identifier>",
        "",
    ).replace('objectiveID="quiz-passed"', f'objectiveID="{COURSE_IRI}/quiz"')
    assert COURSE_IRI not in manifest.split("<organizations")[0]
    info = read_package(unpack(tmp_path, scorm2004_files(manifest)))
    assert info.course_iri == f"{COURSE_IRI}/quiz"  # the one objective IRI there is
    assert info.scos[2].activity_iri == f"{COURSE_IRI}/quiz"
    assert info.scos[0].activity_iri == f"{COURSE_IRI}/quiz/intro"


@pytest.mark.parametrize("format_name", ["scorm12", "scorm2004"])
@pytest.mark.parametrize("layout", ["single", "per-module"])
def test_our_own_packages_are_grouped_by_the_course_iri_in_their_metadata(
    tmp_path: Path, format_name: str, layout: str
) -> None:
    course, _ = load_course(SAMPLE_COURSE)
    files = {"scorm12": scorm12, "scorm2004": scorm2004}[format_name].package_files(course, layout)
    info = read_package(unpack(tmp_path, files))
    assert (info.format, info.course_iri, info.language) == (format_name, course.id, "en")

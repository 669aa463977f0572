"""SCORM 1.2 packages of the sample course: the official schemas and Moodle's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from packager.model import Course
from tests.packager.formats import manifest_checks as check

IMSMD = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
LAYOUTS = ["single", "per-module"]


@pytest.fixture(params=LAYOUTS)
def package(request: pytest.FixtureRequest, scorm_packages: dict) -> Path:
    return scorm_packages[("scorm12", request.param)]


def test_manifest_is_valid_against_the_official_schemas(
    package: Path, scorm12_schema: etree.XMLSchema
) -> None:
    _, root, _ = check.read(package)
    assert scorm12_schema.validate(root), scorm12_schema.error_log


def test_the_schemas_reject_a_broken_manifest(
    scorm_packages: dict, scorm12_schema: etree.XMLSchema
) -> None:
    _, root, _ = check.read(scorm_packages[("scorm12", "single")])
    check.by_name(root, "item")[0].append(etree.Element(f"{ADLCP}unknownelement"))
    assert not scorm12_schema.validate(root)


def test_package_is_named_after_the_course(package: Path, sample_course: Course) -> None:
    assert package.name == f"nua-crash-course-{sample_course.version}-scorm12-en.zip"


def test_bytes_no_bom_no_bare_ampersand(package: Path) -> None:
    raw, _, _ = check.read(package)
    check.no_bom_no_bare_ampersand(raw)


def test_prefixes_are_literal_and_packaging_elements_unprefixed(package: Path) -> None:
    raw, root, _ = check.read(package)
    check.literal_prefixes(root, raw)
    assert b'adlcp:scormtype="sco"' in raw


def test_schemaversion_is_exactly_1_2(package: Path) -> None:
    _, root, _ = check.read(package)
    check.schemaversion_is(root, "1.2")


def test_every_identifierref_resolves(package: Path) -> None:
    _, root, _ = check.read(package)
    check.identifierrefs_resolve(root)


def test_no_xml_base(package: Path) -> None:
    raw, root, _ = check.read(package)
    check.no_xml_base(raw, root)


def test_launch_items_in_the_default_organization_point_at_scos(package: Path) -> None:
    _, root, _ = check.read(package)
    check.launch_items_are_scos(root, "scormtype")


def test_every_file_is_listed_in_a_resource(package: Path) -> None:
    _, root, names = check.read(package)
    check.every_file_listed(root, names)


def test_title_and_metadata_come_from_course_yaml(package: Path, sample_course: Course) -> None:
    _, root, _ = check.read(package)
    assert check.by_name(root, "organization")[0].findtext("{*}title") == sample_course.title
    general = root.find(f".//{IMSMD}general")
    assert general.findtext(f"{IMSMD}title/{IMSMD}langstring") == sample_course.title
    assert general.findtext(f"{IMSMD}description/{IMSMD}langstring") == sample_course.description
    assert general.findtext(f"{IMSMD}language") == "en"
    assert general.findtext(f"{IMSMD}identifier") == sample_course.id  # importers group by it
    english = f"{IMSMD}langstring[@{{http://www.w3.org/XML/1998/namespace}}lang='en']"
    keywords = [k.text for k in general.iterfind(f"{IMSMD}keyword/{english}")]
    assert keywords == list(sample_course.keywords)
    titles = general.findall(f"{IMSMD}title/{IMSMD}langstring")  # the package's language first
    assert [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in titles] == [
        "en", "ar", "es", "fr", "ru", "zh"
    ]  # fmt: skip


def test_single_layout_is_one_sco_with_the_mastery_score(scorm_packages: dict) -> None:
    _, root, _ = check.read(scorm_packages[("scorm12", "single")])
    items = check.default_organization_holds_the_launch_items(root)
    assert len(items) == 1
    assert items[0].findtext(f"{ADLCP}masteryscore") == "80"


def test_per_module_layout_has_one_sco_a_module_and_mastery_on_the_assessment(
    scorm_packages: dict, sample_course: Course
) -> None:
    _, root, _ = check.read(scorm_packages[("scorm12", "per-module")])
    items = check.default_organization_holds_the_launch_items(root)
    assert [i.findtext("{*}title") for i in items] == [m.title for m in sample_course.modules]
    mastery = {i.findtext("{*}title"): i.findtext(f"{ADLCP}masteryscore") for i in items}
    assert mastery.pop(sample_course.assessment.title) == "80"
    assert set(mastery.values()) == {None}

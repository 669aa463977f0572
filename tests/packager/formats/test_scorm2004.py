"""SCORM 2004 4th edition packages of the sample course: the official schemas, Moodle's rules,
mastery and rollup."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from packager.model import Course
from tests.packager.formats import manifest_checks as check

LOM = "{http://ltsc.ieee.org/xsd/LOM}"
IMSSS = "{http://www.imsglobal.org/xsd/imsss}"
LAYOUTS = ["single", "per-module"]


@pytest.fixture(params=LAYOUTS)
def package(request: pytest.FixtureRequest, scorm_packages: dict) -> Path:
    return scorm_packages[("scorm2004", request.param)]


def test_manifest_is_valid_against_the_official_schemas(
    package: Path, scorm2004_schema: etree.XMLSchema
) -> None:
    _, root, _ = check.read(package)
    assert scorm2004_schema.validate(root), scorm2004_schema.error_log


def test_the_schemas_reject_a_broken_manifest(
    scorm_packages: dict, scorm2004_schema: etree.XMLSchema
) -> None:
    _, root, _ = check.read(scorm_packages[("scorm2004", "single")])
    control = root.find(f".//{IMSSS}controlMode")
    control.set("flow", "sometimes")
    assert not scorm2004_schema.validate(root)


def test_package_is_named_after_the_course(package: Path, sample_course: Course) -> None:
    assert package.name == f"nua-crash-course-{sample_course.version}-scorm2004-en.zip"


def test_bytes_no_bom_no_bare_ampersand(package: Path) -> None:
    raw, _, _ = check.read(package)
    check.no_bom_no_bare_ampersand(raw)


def test_prefixes_are_literal_and_packaging_elements_unprefixed(package: Path) -> None:
    raw, root, _ = check.read(package)
    check.literal_prefixes(root, raw)
    assert b'adlcp:scormType="sco"' in raw
    assert b"<imsss:sequencing>" in raw


def test_schemaversion_is_exactly_2004_4th_edition(package: Path) -> None:
    _, root, _ = check.read(package)
    check.schemaversion_is(root, "2004 4th Edition")


def test_every_identifierref_resolves(package: Path) -> None:
    _, root, _ = check.read(package)
    check.identifierrefs_resolve(root)


def test_no_xml_base(package: Path) -> None:
    raw, root, _ = check.read(package)
    check.no_xml_base(raw, root)


def test_launch_items_in_the_default_organization_point_at_scos(package: Path) -> None:
    _, root, _ = check.read(package)
    check.launch_items_are_scos(root, "scormType")


def test_every_file_is_listed_in_a_resource(package: Path) -> None:
    _, root, names = check.read(package)
    check.every_file_listed(root, names)


def test_title_and_metadata_come_from_course_yaml(package: Path, sample_course: Course) -> None:
    _, root, _ = check.read(package)
    assert check.by_name(root, "organization")[0].findtext("{*}title") == sample_course.title
    general = root.find(f".//{LOM}general")
    assert general.findtext(f"{LOM}title/{LOM}string") == sample_course.title
    assert general.findtext(f"{LOM}description/{LOM}string") == sample_course.description
    assert general.findtext(f"{LOM}language") == "en"
    assert general.findtext(f"{LOM}identifier/{LOM}catalog") == "URI"
    assert general.findtext(f"{LOM}identifier/{LOM}entry") == sample_course.id  # for importers
    keywords = [k.text for k in general.iterfind(f"{LOM}keyword/{LOM}string[@language='en']")]
    assert keywords == list(sample_course.keywords)
    titles = general.findall(f"{LOM}title/{LOM}string")  # the package's language first
    assert [t.get("language") for t in titles] == ["en", "ar", "es", "fr", "ru", "zh"]


def test_flow_and_choice_are_on(package: Path) -> None:
    _, root, _ = check.read(package)
    organization = check.by_name(root, "organization")[0]
    control = organization.find(f"{IMSSS}sequencing/{IMSSS}controlMode")
    assert (control.get("flow"), control.get("choice")) == ("true", "true")


def test_every_sco_sets_its_own_completion_and_objective(package: Path) -> None:
    _, root, _ = check.read(package)
    for item in check.default_organization_holds_the_launch_items(root):
        delivery = item.find(f"{IMSSS}sequencing/{IMSSS}deliveryControls")
        assert delivery.get("completionSetByContent") == "true"
        assert delivery.get("objectiveSetByContent") == "true"


def _primary(item: etree._Element) -> etree._Element | None:
    return item.find(f"{IMSSS}sequencing/{IMSSS}objectives/{IMSSS}primaryObjective")


def test_single_layout_passes_by_measure_at_the_mastery_score(
    scorm_packages: dict, sample_course: Course
) -> None:
    _, root, _ = check.read(scorm_packages[("scorm2004", "single")])
    (item,) = check.default_organization_holds_the_launch_items(root)
    primary = _primary(item)
    assert primary.get("satisfiedByMeasure") == "true"
    assert float(primary.findtext(f"{IMSSS}minNormalizedMeasure")) == sample_course.mastery_score
    assert primary.get("objectiveID") == sample_course.id


def test_per_module_rollup_completes_with_every_module_and_passes_with_the_assessment(
    scorm_packages: dict, sample_course: Course
) -> None:
    _, root, _ = check.read(scorm_packages[("scorm2004", "per-module")])
    items = check.default_organization_holds_the_launch_items(root)
    assert [i.findtext("{*}title") for i in items] == [m.title for m in sample_course.modules]
    for item, module in zip(items, sample_course.modules, strict=True):
        rollup = item.find(f"{IMSSS}sequencing/{IMSSS}rollupRules")
        # completion: no item opts out, so the default rule (all children completed) applies
        assert rollup is None or rollup.get("rollupProgressCompletion") in (None, "true")
        if module.assessment:
            assert rollup is None or rollup.get("rollupObjectiveSatisfied") != "false"
            assert _primary(item).get("satisfiedByMeasure") == "true"
            assert _primary(item).get("objectiveID") == module.iri
        else:
            assert rollup.get("rollupObjectiveSatisfied") == "false"
            assert _primary(item) is None
    organization = check.by_name(root, "organization")[0]
    assert organization.find(f"{IMSSS}sequencing/{IMSSS}rollupRules") is None

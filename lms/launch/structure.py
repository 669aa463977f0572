"""The parts of a stored cmi5.xml the LMS needs at launch and when judging moveOn: each AU's
moveOn, masteryScore, launchMethod, launchParameters and entitlementKey, and the blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from lms.packages import safe_xml

MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")


@dataclass(frozen=True)
class Au:
    id: str
    url: str
    move_on: str = "NotApplicable"
    mastery_score: float | None = None
    launch_method: str = "AnyWindow"
    launch_parameters: str = ""
    entitlement_key: str = ""


@dataclass
class Block:
    """A block of the course structure; `au_ids` holds every AU inside it, nested ones too."""

    id: str
    au_ids: list[str] = field(default_factory=list)


@dataclass
class Structure:
    course_id: str
    aus: dict[str, Au] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if _local(child) == name:
            return (child.text or "").strip()
    return ""


def _decimal(value: str | None) -> float | None:
    """masteryScore; a package imported before the importer checked it may hold a non-number."""
    try:
        return float(value) if value else None
    except ValueError:
        return None


def read(package_folder: Path) -> Structure:
    """Read cmi5.xml of an imported package (the importer checked it parses)."""
    return _read(str(package_folder))


# An imported package's folder never changes, and moveOn is judged after every statement batch.
@lru_cache(maxsize=64)
def _read(package_folder: str) -> Structure:
    root = safe_xml.parse((Path(package_folder) / "cmi5.xml").read_bytes(), "cmi5.xml")
    course = next((e for e in root if _local(e) == "course"), None)
    structure = Structure(course_id=course.get("id", "") if course is not None else "")
    for element in root.iter():
        name = _local(element)
        if name == "au":
            mastery = element.get("masteryScore")
            move_on = element.get("moveOn", "NotApplicable")
            structure.aus[element.get("id", "")] = Au(
                id=element.get("id", ""),
                url=_child_text(element, "url"),
                move_on=move_on if move_on in MOVE_ON else "NotApplicable",
                mastery_score=_decimal(mastery),
                launch_method=element.get("launchMethod", "AnyWindow"),
                launch_parameters=_child_text(element, "launchParameters"),
                entitlement_key=_child_text(element, "entitlementKey"),
            )
        elif name == "block":
            structure.blocks.append(
                Block(
                    id=element.get("id", ""),
                    au_ids=[au.get("id", "") for au in element.iter() if _local(au) == "au"],
                )
            )
    return structure

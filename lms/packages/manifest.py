"""Read what a package is from its descriptor: format, course IRI, language and launchable SCOs.

Parsing goes by local names, not namespaces: packages from other tools mix namespace versions,
and what matters is the structure the standards define.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from lxml import etree

from lms.packages import safe_xml
from lms.packages.errors import PackageError

SCORM12 = "scorm12"
SCORM2004 = "scorm2004"
CMI5 = "cmi5"
XAPI = "xapi"
PLAYABLE = frozenset({SCORM12, SCORM2004, CMI5, XAPI})

_IRI = re.compile(r"^(https?://|urn:|tag:)\S+$", re.I)
_DESCRIPTORS = {"imsmanifest.xml": "scorm", "cmi5.xml": CMI5, "tincan.xml": XAPI}


@dataclass
class Sco:
    """One launchable item: a SCO (talks to the API) or an asset (`is_sco` False)."""

    identifier: str
    title: str
    href: str
    activity_iri: str
    is_sco: bool = True
    mastery_score: float | None = None  # scaled 0..1, from masteryscore or minNormalizedMeasure
    launch_data: str = ""
    max_time_allowed: str = ""
    time_limit_action: str = ""
    completion_threshold: float | None = None


@dataclass
class PackageInfo:
    format: str
    course_iri: str
    title: str
    language: str = "und"
    version: str = ""
    scos: list[Sco] = field(default_factory=list)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    found = _children(element, name)
    return found[0] if found else None


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [node for node in element.iter() if _local(node) == name]


def _attr(element: etree._Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace prefix or case (scormtype/scormType)."""
    for key, value in element.attrib.items():
        if etree.QName(key).localname.lower() == name.lower():
            return value
    return None


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def find_descriptor(root: Path) -> tuple[str, Path]:
    """Which kind of package sits in the extracted folder `root`, and its descriptor file."""
    for name, kind in _DESCRIPTORS.items():
        if (root / name).is_file():
            return kind, root / name
    for name in _DESCRIPTORS:
        nested = sorted(root.rglob(name))
        if nested:
            where = nested[0].relative_to(root).as_posix()
            raise PackageError(
                f"{name} is not at the root of the zip (found at {where}): zip "
                "the contents of the package folder, not the folder itself"
            )
    raise PackageError(
        "no imsmanifest.xml (SCORM), cmi5.xml (cmi5) or tincan.xml (xAPI) at the "
        "root of the zip: this is not a package Mafunzo knows"
    )


def read_package(root: Path) -> PackageInfo:
    """Parse the descriptor of the extracted package in `root`."""
    kind, descriptor = find_descriptor(root)
    document = safe_xml.parse(descriptor.read_bytes(), descriptor.name)
    if kind == CMI5:
        return _read_cmi5(document)
    if kind == XAPI:
        return _read_tincan(document)
    info = read_scorm_manifest(document)
    for sco in info.scos:
        target = sco.href.split("?", 1)[0].split("#", 1)[0]
        if not _is_remote(target) and not (root / target).is_file():
            raise PackageError(
                f"imsmanifest.xml: item {sco.identifier!r} launches {target!r}, "
                "which is not in the package"
            )
    return info


def _is_remote(href: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I))


def scorm_version(manifest: etree._Element) -> str:
    schema_version = _text(_child(_child(manifest, "metadata"), "schemaversion"))
    if schema_version == "1.2":
        return SCORM12
    if schema_version.startswith("2004") or schema_version.startswith("CAM 1.3"):
        return SCORM2004
    namespaces = " ".join(str(uri) for node in manifest.iter() for uri in node.nsmap.values())
    if "adlcp_v1p3" in namespaces or "imsss" in namespaces:
        return SCORM2004
    if "adlcp_rootv1p2" in namespaces or "imscp_rootv1p1p2" in namespaces:
        return SCORM12
    raise PackageError(
        "imsmanifest.xml: neither its schemaversion nor its namespaces say which "
        "SCORM version it is (expected schemaversion 1.2 or 2004 ...)"
    )


def read_scorm_manifest(manifest: etree._Element) -> PackageInfo:
    if _local(manifest) != "manifest":
        raise PackageError("imsmanifest.xml: the root element must be <manifest>")
    version = scorm_version(manifest)
    organizations = _child(manifest, "organizations")
    orgs = _children(organizations, "organization") if organizations is not None else []
    if not orgs:
        raise PackageError("imsmanifest.xml: no <organization>, so nothing can be launched")
    default_id = _attr(organizations, "default") if organizations is not None else None
    organization = next((org for org in orgs if _attr(org, "identifier") == default_id), orgs[0])
    if default_id and _attr(organization, "identifier") != default_id:
        raise PackageError(
            f"imsmanifest.xml: the default organization {default_id!r} does not exist"
        )
    lom = _find_lom(manifest)
    course_iri = _lom_iri(lom) or _objectives_iri(organization) or _manifest_fallback_iri(manifest)
    title = _text(_child(organization, "title")) or _lom_title(lom) or course_iri
    info = PackageInfo(
        format=version,
        course_iri=course_iri,
        title=title,
        language=_lom_language(lom) or "und",
        version=_lom_version(lom),
    )
    resources = _resources(manifest)
    for item in _descendants(organization, "item"):
        sco = _item_sco(item, resources, course_iri, version)
        if sco is not None:
            info.scos.append(sco)
    if not info.scos:
        raise PackageError(
            "imsmanifest.xml: no launchable SCO: no item of the default "
            "organization points at a resource with an href"
        )
    iris = [sco.activity_iri for sco in info.scos]
    for sco in info.scos:
        if iris.count(sco.activity_iri) > 1:  # a shared (global) objective names no one SCO
            sco.activity_iri = _default_iri(course_iri, sco.identifier)
    return info


def _default_iri(course_iri: str, identifier: str) -> str:
    """The xAPI SCORM Profile's SCO IRI: `<course IRI>/<sco path>`."""
    return f"{course_iri.rstrip('/')}/{identifier}"


def _objective_iri(item: etree._Element) -> str:
    """Our packages name an item's primary objective by the IRI of what the item teaches (the
    course, or a module): the SCO's activity IRI in every format."""
    sequencing = _child(item, "sequencing")
    primary = _child(_child(sequencing, "objectives"), "primaryObjective")
    value = (_attr(primary, "objectiveID") or "") if primary is not None else ""
    return value if re.match(r"^https?://\S+$", value) else ""


def _resources(manifest: etree._Element) -> dict[str, tuple[etree._Element, str]]:
    """Each resource by identifier, with its href resolved against every `xml:base` above it."""
    found: dict[str, tuple[etree._Element, str]] = {}
    manifest_base = manifest.get("{http://www.w3.org/XML/1998/namespace}base", "")
    holder = _child(manifest, "resources")
    if holder is None:
        return found
    holder_base = urljoin(
        manifest_base, holder.get("{http://www.w3.org/XML/1998/namespace}base", "")
    )
    for resource in _children(holder, "resource"):
        identifier = _attr(resource, "identifier") or ""
        base = urljoin(holder_base, resource.get("{http://www.w3.org/XML/1998/namespace}base", ""))
        href = _attr(resource, "href") or ""
        found[identifier] = (resource, urljoin(base, href) if href else "")
    return found


def _item_sco(
    item: etree._Element,
    resources: dict[str, tuple[etree._Element, str]],
    course_iri: str,
    version: str,
) -> Sco | None:
    identifier = _attr(item, "identifier") or ""
    ref = _attr(item, "identifierref")
    if not ref:
        return None
    if ref not in resources:
        raise PackageError(
            f"imsmanifest.xml: item {identifier!r} refers to resource {ref!r}, "
            "which is not defined (unresolved identifierref)"
        )
    resource, href = resources[ref]
    if not href:
        raise PackageError(
            f"imsmanifest.xml: item {identifier!r} points at resource {ref!r}, "
            "which has no href to launch"
        )
    parameters = _attr(item, "parameters") or ""
    if parameters:
        if parameters.startswith(("?", "&")) and "?" in href:
            href += "&" + parameters[1:]
        elif parameters.startswith(("?", "#")):
            href += parameters
        else:
            href += ("&" if "?" in href else "?") + parameters
    scorm_type = (_attr(resource, "scormtype") or "sco").lower()
    sco = Sco(
        identifier=identifier,
        title=_text(_child(item, "title")) or identifier,
        href=href,
        activity_iri=(
            _lom_iri(_find_lom(item))
            or _objective_iri(item)
            or _default_iri(course_iri, identifier)
        ),
        is_sco=scorm_type == "sco",
    )
    if version == SCORM12:
        _scorm12_item(item, sco)
    else:
        _scorm2004_item(item, sco)
    return sco


def _scorm12_item(item: etree._Element, sco: Sco) -> None:
    mastery = _text(_child(item, "masteryscore"))
    if mastery:
        try:
            sco.mastery_score = float(mastery) / 100
        except ValueError:
            raise PackageError(
                f"imsmanifest.xml: item {sco.identifier!r} has masteryscore "
                f"{mastery!r}, which is not a number"
            ) from None
    sco.launch_data = _text(_child(item, "datafromlms"))
    sco.max_time_allowed = _text(_child(item, "maxtimeallowed"))
    sco.time_limit_action = _text(_child(item, "timelimitaction"))


def _scorm2004_item(item: etree._Element, sco: Sco) -> None:
    sco.launch_data = _text(_child(item, "dataFromLMS"))
    sco.time_limit_action = _text(_child(item, "timeLimitAction"))
    threshold = _child(item, "completionThreshold")
    if threshold is not None:
        value = _attr(threshold, "minProgressMeasure") or _text(threshold)
        sco.completion_threshold = _number(value, sco, "completionThreshold")
    sequencing = _child(item, "sequencing")
    if sequencing is None:
        return
    limits = _child(sequencing, "limitConditions")
    if limits is not None:
        sco.max_time_allowed = _attr(limits, "attemptAbsoluteDurationLimit") or ""
    primary = _child(_child(sequencing, "objectives"), "primaryObjective")
    if primary is not None and (_attr(primary, "satisfiedByMeasure") or "").lower() == "true":
        measure = _text(_child(primary, "minNormalizedMeasure"))
        sco.mastery_score = _number(measure or "1.0", sco, "minNormalizedMeasure")


def _number(value: str, sco: Sco, what: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise PackageError(
            f"imsmanifest.xml: item {sco.identifier!r} has {what} {value!r}, which is not a number"
        ) from None


def _find_lom(element: etree._Element) -> etree._Element | None:
    metadata = _child(element, "metadata")
    if metadata is None:
        return None
    return next(iter(_descendants(metadata, "lom")), None)


def _lom_iri(lom: etree._Element | None) -> str:
    """The first IRI in LOM general/identifier (LOM 1.0) or general/catalogentry (IMS MD 1.2)."""
    general = _child(lom, "general")
    if general is None:
        return ""
    for holder in _children(general, "identifier") + _children(general, "catalogentry"):
        entry = _child(holder, "entry")
        text = _text(entry) if entry is not None else _text(holder)
        if _IRI.match(text):
            return text
    return ""


def _lom_title(lom: etree._Element | None) -> str:
    return _text(_child(_child(lom, "general"), "title"))


def _lom_language(lom: etree._Element | None) -> str:
    return _text(_child(_child(lom, "general"), "language"))


def _lom_version(lom: etree._Element | None) -> str:
    lifecycle = _child(lom, "lifeCycle")
    if lifecycle is None:
        lifecycle = _child(lom, "lifecycle")
    return _text(_child(lifecycle, "version"))


def _objectives_iri(organization: etree._Element) -> str:
    """Packages that name their objectives by IRIs (ours: the course IRI, or module IRIs under
    it) share the course IRI as the objectives' common path."""
    iris = [
        value
        for node in _descendants(organization, "primaryObjective")
        if (value := _attr(node, "objectiveID") or "") and re.match(r"^https?://", value)
    ]
    if not iris:
        return ""
    if len(iris) == 1:
        return iris[0]
    parts = [iri.rstrip("/").split("/") for iri in iris]
    common: list[str] = []
    for pieces in zip(*parts, strict=False):
        if len(set(pieces)) != 1:
            break
        common.append(pieces[0])
    return "/".join(common) if len(common) > 3 else ""


def _manifest_fallback_iri(manifest: etree._Element) -> str:
    """A course IRI for packages that carry none: stable for the same manifest identifier."""
    identifier = _attr(manifest, "identifier") or "unnamed"
    return f"urn:mafunzo:package:{identifier}"


def _lang_string(element: etree._Element | None) -> tuple[str, str]:
    """Text and language of a cmi5/tincan `langstring` list: the first one."""
    if element is None:
        return "", ""
    strings = _children(element, "langstring")
    if strings:
        return _text(strings[0]), strings[0].get("lang", "")
    return _text(element), element.get("lang", "")


def _read_cmi5(document: etree._Element) -> PackageInfo:
    course = _child(document, "course")
    if course is None or not _attr(course, "id"):
        raise PackageError("cmi5.xml: no <course id=...>")
    title, language = _lang_string(_child(course, "title"))
    info = PackageInfo(
        format=CMI5, course_iri=_attr(course, "id") or "", title=title, language=language or "und"
    )
    for au in _descendants(document, "au"):
        au_title, _ = _lang_string(_child(au, "title"))
        sco = Sco(
            identifier=_attr(au, "id") or "",
            title=au_title,
            href=_text(_child(au, "url")),
            activity_iri=_attr(au, "id") or "",
            launch_data=_text(_child(au, "launchParameters")),
        )
        mastery = _attr(au, "masteryScore")
        try:
            sco.mastery_score = float(mastery) if mastery else None
        except ValueError:
            raise PackageError(
                f"cmi5.xml: AU {sco.identifier!r} has masteryScore {mastery!r}, "
                "which is not a number"
            ) from None
        info.scos.append(sco)
    return info


def _read_tincan(document: etree._Element) -> PackageInfo:
    activities = _descendants(document, "activity")
    if not activities:
        raise PackageError("tincan.xml: no <activity>")
    course = next(
        (a for a in activities if (_attr(a, "type") or "").endswith("/course")), activities[0]
    )
    name = _child(course, "name")
    info = PackageInfo(
        format=XAPI,
        course_iri=_attr(course, "id") or "",
        title=_text(name),
        language=(name.get("lang", "") if name is not None else "") or "und",
    )
    launch = _child(course, "launch")
    if launch is not None:
        info.scos.append(
            Sco(
                identifier="launch",
                title=info.title,
                href=_text(launch),
                activity_iri=info.course_iri,
            )
        )
    return info

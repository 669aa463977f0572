"""Activities (xAPI Data 2.4.4.1): an IRI id and a definition whose language maps, IRIs and
extensions are checked, with interactions limited to the component lists their type uses."""

from __future__ import annotations

from lms.lrs.validation.checks import (
    InvalidStatement,
    check_extensions,
    check_keys,
    require_array,
    require_iri,
    require_irl,
    require_object,
    require_string,
    validate_language_map,
)

_ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))

_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_DEFINITION_KEYS = frozenset(
    (
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *_COMPONENT_LISTS,
    )
)
_COMPONENTS_ALLOWED: dict[str, frozenset[str]] = {
    "true-false": frozenset(),
    "choice": frozenset(("choices",)),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset(("source", "target")),
    "performance": frozenset(("steps",)),
    "sequencing": frozenset(("choices",)),
    "likert": frozenset(("scale",)),
    "numeric": frozenset(),
    "other": frozenset(),
}
_INTERACTION_TYPES = ", ".join(_COMPONENTS_ALLOWED)
_COMPONENT_KEYS = frozenset(("id", "description"))


def check_definition(value: object, path: str) -> None:
    definition = require_object(value, path, "an Activity definition")
    check_keys(definition, _DEFINITION_KEYS, path, "an Activity definition")
    get = definition.get
    name = get("name")
    if name is not None:
        validate_language_map(name, path + ".name")
    description = get("description")
    if description is not None:
        validate_language_map(description, path + ".description")
    activity_type = get("type")
    if activity_type is not None:
        require_iri(activity_type, path + ".type")
    more_info = get("moreInfo")
    if more_info is not None:
        require_irl(more_info, path + ".moreInfo")
    extensions = get("extensions")
    if extensions is not None:
        check_extensions(extensions, path + ".extensions")
    interaction_type = get("interactionType")
    if interaction_type is None:
        for key in ("correctResponsesPattern", *_COMPONENT_LISTS):
            if key in definition:
                raise InvalidStatement(
                    f"{path}.{key}",
                    "needs an interactionType in the same definition",
                )
        return
    allowed = _COMPONENTS_ALLOWED.get(require_string(interaction_type, path + ".interactionType"))
    if allowed is None:
        raise InvalidStatement(
            path + ".interactionType", f"{interaction_type!r} is not one of {_INTERACTION_TYPES}"
        )
    pattern = get("correctResponsesPattern")
    if pattern is not None:
        pattern_path = path + ".correctResponsesPattern"
        for index, response in enumerate(require_array(pattern, pattern_path, "strings")):
            require_string(response, f"{pattern_path}[{index}]")
    for key in _COMPONENT_LISTS:
        components = get(key)
        if components is None:
            continue
        list_path = f"{path}.{key}"
        if key not in allowed:
            raise InvalidStatement(
                list_path,
                f"is not used with interactionType {interaction_type!r}",
            )
        seen: set[str] = set()
        items = require_array(components, list_path, "interaction components")
        for index, item in enumerate(items):
            item_path = f"{list_path}[{index}]"
            component = require_object(item, item_path, "an interaction component")
            check_keys(component, _COMPONENT_KEYS, item_path, "an interaction component")
            if "id" not in component:
                raise InvalidStatement(item_path + ".id", "is required")
            component_id = require_string(component["id"], item_path + ".id")
            if component_id in seen:
                raise InvalidStatement(
                    item_path + ".id",
                    f"{component_id!r} is used twice in {key}",
                )
            seen.add(component_id)
            component_description = component.get("description")
            if component_description is not None:
                validate_language_map(component_description, item_path + ".description")


def check_activity(obj: dict, path: str) -> None:
    object_type = obj.get("objectType")
    if object_type is not None and object_type != "Activity":
        raise InvalidStatement(path + ".objectType", f"must be 'Activity', not {object_type!r}")
    check_keys(obj, _ACTIVITY_KEYS, path, "an Activity")
    if "id" not in obj:
        raise InvalidStatement(path + ".id", "is required")
    require_iri(obj["id"], path + ".id")
    definition = obj.get("definition")
    if definition is not None:
        check_definition(definition, path + ".definition")


def validate_activity(obj: object, path: str = "activity") -> None:
    """An Activity object: an IRI id and an optional definition."""
    check_activity(require_object(obj, path, "an Activity"), path)

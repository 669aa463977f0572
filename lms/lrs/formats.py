"""The `format` parameter of statement queries: `ids` strips objects to what identifies them,
`canonical` shows the LRS's own activity definitions and verb displays in the caller's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
FORMATS = ("exact", "ids", "canonical")
_DEFINITION_MAPS = ("name", "description")
_INTERACTION_LISTS = ("choices", "scale", "source", "target", "steps")


def ids_format(statement: dict[str, Any]) -> dict[str, Any]:
    result = dict(statement)
    result["actor"] = _agent_ids(statement["actor"])
    result["verb"] = {"id": statement["verb"]["id"]}
    result["object"] = _object_ids(statement["object"])
    if "authority" in statement:
        result["authority"] = _agent_ids(statement["authority"])
    if "context" in statement:
        result["context"] = _context_ids(statement["context"])
    return result


def _agent_ids(agent: dict[str, Any]) -> dict[str, Any]:
    reduced: dict[str, Any] = {"objectType": agent.get("objectType", "Agent")}
    for key in IFIS:
        if key in agent:
            reduced[key] = agent[key]
    if reduced["objectType"] == "Group" and len(reduced) == 1:
        reduced["member"] = [_agent_ids(member) for member in agent.get("member", [])]
    return reduced


def _object_ids(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": obj["id"]}
    if kind in ("Agent", "Group"):
        return _agent_ids(obj)
    if kind == "SubStatement":
        return ids_format(obj)
    return obj


def _context_ids(context: dict[str, Any]) -> dict[str, Any]:
    result = dict(context)
    for key in ("instructor", "team"):
        if key in context:
            result[key] = _agent_ids(context[key])
    if "contextActivities" in context:
        result["contextActivities"] = {
            role: [{"objectType": "Activity", "id": activity["id"]} for activity in _list(value)]
            for role, value in context["contextActivities"].items()
        }
    if "contextAgents" in context:
        result["contextAgents"] = [
            {**entry, "agent": _agent_ids(entry["agent"])} for entry in context["contextAgents"]
        ]
    if "contextGroups" in context:
        result["contextGroups"] = [
            {**entry, "group": _agent_ids(entry["group"])} for entry in context["contextGroups"]
        ]
    return result


def _list(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value]


def canonical_format(
    statement: dict[str, Any],
    languages: Sequence[str],
    definition_of: Callable[[str], dict[str, Any] | None],
) -> dict[str, Any]:
    """Activities carry the LRS's merged definition and every language map keeps one language."""
    result = dict(statement)
    verb = dict(statement["verb"])
    if "display" in verb:
        verb["display"] = pick_language(verb["display"], languages)
    result["verb"] = verb
    result["object"] = _canonical_object(statement["object"], languages, definition_of)
    if "context" in statement and "contextActivities" in statement["context"]:
        context = dict(statement["context"])
        context["contextActivities"] = {
            role: [_canonical_activity(a, languages, definition_of) for a in _list(value)]
            for role, value in context["contextActivities"].items()
        }
        result["context"] = context
    return result


def _canonical_object(
    obj: dict[str, Any], languages: Sequence[str], definition_of: Callable[[str], Any]
) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _canonical_activity(obj, languages, definition_of)
    if kind == "SubStatement":
        return canonical_format(obj, languages, definition_of)
    return obj


def _canonical_activity(
    activity: dict[str, Any], languages: Sequence[str], definition_of: Callable[[str], Any]
) -> dict[str, Any]:
    definition = definition_of(activity["id"]) or activity.get("definition")
    result = {key: value for key, value in activity.items() if key != "definition"}
    if definition:
        result["definition"] = _filter_definition(definition, languages)
    return result


def _filter_definition(definition: dict[str, Any], languages: Sequence[str]) -> dict[str, Any]:
    result = dict(definition)
    for key in _DEFINITION_MAPS:
        if isinstance(result.get(key), dict):
            result[key] = pick_language(result[key], languages)
    for key in _INTERACTION_LISTS:
        if isinstance(result.get(key), list):
            result[key] = [
                {**item, "description": pick_language(item["description"], languages)}
                if isinstance(item.get("description"), dict)
                else item
                for item in result[key]
            ]
    return result


def pick_language(language_map: dict[str, str], languages: Sequence[str]) -> dict[str, str]:
    """Keep the one entry the caller prefers: an exact tag, then a shared primary language, then
    `und`, then the first entry."""
    if not language_map:
        return language_map
    by_lower = {tag.lower(): tag for tag in language_map}
    for wanted in languages:
        wanted = wanted.lower()
        if wanted in by_lower:
            return {by_lower[wanted]: language_map[by_lower[wanted]]}
        primary = wanted.split("-")[0]
        for lower, tag in by_lower.items():
            if lower.split("-")[0] == primary:
                return {tag: language_map[tag]}
    tag = by_lower.get("und") or next(iter(language_map))
    return {tag: language_map[tag]}

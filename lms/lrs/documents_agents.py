"""One home for how the document resources name an agent: a canonical key and the Person object."""

from __future__ import annotations

import json
from typing import Any

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


class AgentKeyError(ValueError):
    """The agent has no single inverse functional identifier to file documents under."""


def agent_key(agent: dict[str, Any]) -> str:
    """A string equal for two agents exactly when they share the same inverse functional identifier.

    Names and objectType are left out: the spec identifies an agent by its IFI alone, so the same
    learner sending `{"name": "A", "mbox": ...}` and `{"mbox": ...}` reaches the same documents.
    """
    present = [name for name in IFI_PROPERTIES if agent.get(name) is not None]
    if len(present) != 1:
        raise AgentKeyError(
            "an agent needs exactly one of mbox, mbox_sha1sum, openid, account; "
            f"found {len(present)}"
        )
    name = present[0]
    value = agent[name]
    if name == "account":
        if not isinstance(value, dict) or not {"homePage", "name"} <= value.keys():
            raise AgentKeyError("an account needs both homePage and name")
        return "account:" + json.dumps([value["homePage"], value["name"]], ensure_ascii=False)
    if not isinstance(value, str):
        raise AgentKeyError(f"{name} must be a string")
    if name == "mbox_sha1sum":
        value = value.lower()
    return f"{name}:{value}"


def person_object(agent: dict[str, Any]) -> dict[str, Any]:
    """The Agents resource's Person: every property an array, built from what the client sent.

    Mafunzo keeps no directory linking one person's several identifiers, so the Person carries the
    given agent's name and identifier, which is what the spec asks when nothing more is known.
    """
    person: dict[str, Any] = {"objectType": "Person"}
    if isinstance(agent.get("name"), str):
        person["name"] = [agent["name"]]
    for name in IFI_PROPERTIES:
        if agent.get(name) is not None:
            person[name] = [agent[name]]
    return person

"""Agents and Groups (xAPI Data 2.4.2): exactly one inverse functional identifier, anonymous and
identified groups, and the authority rule. Also what the document resources check their `agent`
parameter with."""

from __future__ import annotations

import re

from lms.lrs.validation.checks import (
    InvalidStatement,
    check_keys,
    require_array,
    require_irl,
    require_object,
    require_string,
)
from lms.lrs.validation.formats import is_iri

INVERSE_FUNCTIONAL_IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = frozenset(("objectType", "name", *INVERSE_FUNCTIONAL_IDENTIFIERS))
_GROUP_KEYS = frozenset((*_AGENT_KEYS, "member"))
_ACCOUNT_KEYS = frozenset(("homePage", "name"))
_MAILTO = re.compile(r"mailto:[^@\s<>\"]+@[^@\s<>\"]+")
_SHA1_HEX = re.compile(r"[0-9a-fA-F]{40}")


def _identifiers(obj: dict, path: str, what: str) -> int:
    """Check the inverse functional identifiers present and return how many there are."""
    count = 0
    mbox = obj.get("mbox")
    if mbox is not None:
        count += 1
        if _MAILTO.fullmatch(require_string(mbox, path + ".mbox")) is None:
            raise InvalidStatement(
                path + ".mbox", f"{mbox!r} is not a mailto IRI (mailto:me@example.com)"
            )
    sha1 = obj.get("mbox_sha1sum")
    if sha1 is not None:
        count += 1
        if _SHA1_HEX.fullmatch(require_string(sha1, path + ".mbox_sha1sum")) is None:
            raise InvalidStatement(
                path + ".mbox_sha1sum", "must be 40 hex digits (SHA-1 of a mailto IRI)"
            )
    openid = obj.get("openid")
    if openid is not None:
        count += 1
        text = require_string(openid, path + ".openid")
        if not (is_iri(text) and text.isascii()):
            raise InvalidStatement(path + ".openid", f"{text!r} is not a URI")
    account = obj.get("account")
    if account is not None:
        count += 1
        account_path = path + ".account"
        check_keys(
            require_object(account, account_path, "an account"),
            _ACCOUNT_KEYS,
            account_path,
            "an account",
        )
        if "homePage" not in account:
            raise InvalidStatement(account_path + ".homePage", "is required")
        require_irl(account["homePage"], account_path + ".homePage")
        if "name" not in account:
            raise InvalidStatement(account_path + ".name", "is required")
        require_string(account["name"], account_path + ".name")
    if count > 1:
        found = ", ".join(key for key in INVERSE_FUNCTIONAL_IDENTIFIERS if key in obj)
        raise InvalidStatement(
            path,
            f"{what} must have exactly one of mbox, mbox_sha1sum, openid, account (found {found})",
        )
    return count


def check_agent(obj: dict, path: str) -> None:
    object_type = obj.get("objectType")
    if object_type is not None and object_type != "Agent":
        raise InvalidStatement(path + ".objectType", f"must be 'Agent', not {object_type!r}")
    check_keys(obj, _AGENT_KEYS, path, "an Agent")
    name = obj.get("name")
    if name is not None:
        require_string(name, path + ".name")
    if _identifiers(obj, path, "an Agent") == 0:
        raise InvalidStatement(path, "an Agent needs one of mbox, mbox_sha1sum, openid, account")


def check_group(obj: dict, path: str) -> None:
    """A Group whose objectType the caller has seen to be 'Group'."""
    check_keys(obj, _GROUP_KEYS, path, "a Group")
    name = obj.get("name")
    if name is not None:
        require_string(name, path + ".name")
    identified = _identifiers(obj, path, "an identified Group")
    members = obj.get("member")
    if members is not None:
        member_path = path + ".member"
        for index, member in enumerate(require_array(members, member_path, "Agents")):
            item_path = f"{member_path}[{index}]"
            if require_object(member, item_path, "an Agent").get("objectType") == "Group":
                raise InvalidStatement(
                    item_path + ".objectType",
                    "a Group's members must be Agents",
                )
            check_agent(member, item_path)
    if not identified and not members:
        raise InvalidStatement(
            path,
            "an anonymous Group (no mbox, mbox_sha1sum, openid or "
            "account) needs at least one member",
        )


def validate_agent(obj: object, path: str = "agent") -> None:
    """An Agent (not a Group), as the `agent` parameter of the State and Agent Profile resources."""
    check_agent(require_object(obj, path, "an Agent"), path)


def validate_group(obj: object, path: str) -> None:
    """A Group, where only a Group will do (a context's team, a 2.0 contextGroup)."""
    group = require_object(obj, path, "a Group")
    if group.get("objectType") != "Group":
        raise InvalidStatement(path + ".objectType", "is required and must be 'Group'")
    check_group(group, path)


def validate_actor(obj: object, path: str = "actor") -> None:
    """An Agent or a Group, told apart by objectType."""
    actor = require_object(obj, path, "an Agent or Group")
    object_type = actor.get("objectType")
    if object_type == "Group":
        check_group(actor, path)
    elif object_type is None or object_type == "Agent":
        check_agent(actor, path)
    else:
        raise InvalidStatement(
            path + ".objectType", f"must be 'Agent' or 'Group', not {object_type!r}"
        )


def validate_authority(obj: object, path: str) -> None:
    """An Agent, or for 3-legged OAuth an anonymous Group of exactly the application and user."""
    validate_actor(obj, path)
    authority: dict = obj  # type: ignore[assignment]  # validate_actor checked it is an object
    if authority.get("objectType") == "Group":
        if any(key in authority for key in INVERSE_FUNCTIONAL_IDENTIFIERS):
            raise InvalidStatement(
                path,
                "an authority Group must be anonymous (the application "
                "and the user as its two members), not an identified "
                "Group",
            )
        if len(authority["member"]) != 2:
            raise InvalidStatement(
                path + ".member",
                "an authority Group must have exactly two Agents (the application and the user)",
            )

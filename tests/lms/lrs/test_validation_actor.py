"""Agents and Groups (xAPI Data 2.4.2): one inverse functional identifier, group membership, and
the `agent` parameter of the document resources."""

import pytest

from lms.lrs.validation import (
    InvalidStatement,
    validate_actor,
    validate_agent,
    validate_group,
    validate_statement,
)
from tests.fixtures.xapi_statements import REMOVE, changed

ACCOUNT = {"homePage": "https://lms.example.org", "name": "1625378"}
SHA1 = "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"
MEMBERS = [{"mbox": "mailto:a@example.org"}, {"account": ACCOUNT}]


def path_of(statement: dict, version: str = "1.0.3") -> str:
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement, version)
    return caught.value.path


@pytest.mark.parametrize(
    "actor",
    [
        {"mbox": "mailto:amina@example.org"},
        {"objectType": "Agent", "mbox_sha1sum": SHA1},
        {"objectType": "Agent", "mbox_sha1sum": SHA1.upper(), "name": "Ena Hills"},
        {"openid": "http://toby.openid.example.org/"},
        {"account": ACCOUNT, "name": "Andrew"},
        {"objectType": "Group", "member": MEMBERS},
        {"objectType": "Group", "name": "Team PB", "mbox": "mailto:team@example.org"},
        {"objectType": "Group", "account": ACCOUNT, "member": MEMBERS},
        {"objectType": "Group", "openid": "http://team.example.org/", "member": []},
    ],
)
def test_valid_actors(statement, actor):
    validate_statement(changed(statement, "actor", actor))


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        ({"mbox": "mailto:a@example.org", "openid": "http://a.example.org/"}, "actor"),
        ({"mbox": "mailto:a@example.org", "account": ACCOUNT}, "actor"),
        ({"name": "Nobody"}, "actor"),
        ({"objectType": "Agent"}, "actor"),
        ({"mbox": "amina@example.org"}, "actor.mbox"),
        ({"mbox": "mailto:amina"}, "actor.mbox"),
        ({"mbox": "MAILTO amina@example.org"}, "actor.mbox"),
        ({"mbox": ["mailto:amina@example.org"]}, "actor.mbox"),
        ({"mbox_sha1sum": SHA1[:-1]}, "actor.mbox_sha1sum"),
        ({"mbox_sha1sum": "z" * 40}, "actor.mbox_sha1sum"),
        ({"openid": "toby"}, "actor.openid"),
        ({"openid": "http://tóby.example.org/"}, "actor.openid"),
        ({"account": "1625378"}, "actor.account"),
        ({"account": {"name": "1625378"}}, "actor.account.homePage"),
        ({"account": {"homePage": "www.example.com", "name": "1"}}, "actor.account.homePage"),
        ({"account": {"homePage": "https://lms.example.org"}}, "actor.account.name"),
        ({"account": {"homePage": "https://lms.example.org", "name": 5}}, "actor.account.name"),
        ({"account": {**ACCOUNT, "id": "x"}}, "actor.account.id"),
        ({"objectType": "agent", "mbox": "mailto:a@example.org"}, "actor.objectType"),
        ({"objectType": "Person", "mbox": "mailto:a@example.org"}, "actor.objectType"),
        ({"mbox": "mailto:a@example.org", "member": MEMBERS}, "actor.member"),
        ({"mbox": "mailto:a@example.org", "email": "a@example.org"}, "actor.email"),
        ({"mbox": "mailto:a@example.org", "name": None}, "actor.name"),
        ("mailto:a@example.org", "actor"),
    ],
)
def test_invalid_agents(statement, actor, path):
    assert path_of(changed(statement, "actor", actor)) == path


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        ({"objectType": "Group"}, "actor"),
        ({"objectType": "Group", "member": []}, "actor"),
        ({"objectType": "Group", "member": {"mbox": "mailto:a@example.org"}}, "actor.member"),
        ({"objectType": "Group", "member": [{"name": "x"}]}, "actor.member[0]"),
        ({"objectType": "Group", "member": [MEMBERS[0], {"mbox": "x"}]}, "actor.member[1].mbox"),
        (
            {"objectType": "Group", "member": [{"objectType": "Group", "member": MEMBERS}]},
            "actor.member[0].objectType",
        ),
        (
            {"objectType": "Group", "mbox": "mailto:t@example.org", "openid": "http://t.example/"},
            "actor",
        ),
        ({"objectType": "Group", "member": MEMBERS, "account": {}}, "actor.account.homePage"),
        ({"objectType": "Group", "member": MEMBERS, "members": []}, "actor.members"),
    ],
)
def test_invalid_groups(statement, actor, path):
    assert path_of(changed(statement, "actor", actor)) == path


def test_two_identifiers_are_reported_by_name(statement):
    actor = {"mbox": "mailto:a@example.org", "mbox_sha1sum": SHA1}
    with pytest.raises(InvalidStatement, match=r"exactly one .*found mbox, mbox_sha1sum"):
        validate_statement(changed(statement, "actor", actor))


def test_instructor_may_be_an_agent_or_a_group(statement):
    validate_statement(changed(statement, "context.instructor", {"mbox": "mailto:t@example.org"}))
    group = {"objectType": "Group", "member": MEMBERS}
    validate_statement(changed(statement, "context.instructor", group))
    bad = changed(statement, "context.instructor", {"mbox": "t@example.org"})
    assert path_of(bad) == "context.instructor.mbox"


def test_team_must_be_a_group(statement):
    team = {"objectType": "Group", "member": MEMBERS}
    validate_statement(changed(statement, "context.team", team))
    agent = changed(statement, "context.team", {"mbox": "mailto:t@example.org"})
    assert path_of(agent) == "context.team.objectType"


def test_authority_is_an_agent_or_an_oauth_pair(statement):
    validate_statement(changed(statement, "authority", {"account": ACCOUNT}))
    pair = {"objectType": "Group", "member": MEMBERS}
    validate_statement(changed(statement, "authority", pair))
    trio = {"objectType": "Group", "member": [*MEMBERS, {"mbox": "mailto:c@example.org"}]}
    assert path_of(changed(statement, "authority", trio)) == "authority.member"
    assert path_of(changed(statement, "authority", {"name": "LRS"})) == "authority"
    one = {"objectType": "Group", "member": MEMBERS[:1]}
    assert path_of(changed(statement, "authority", one)) == "authority.member"
    identified = {"objectType": "Group", "openid": "http://openid.example.org/1", "member": MEMBERS}
    assert path_of(changed(statement, "authority", identified)) == "authority"


def test_agent_as_object_needs_object_type(statement):
    agent = {"mbox": "mailto:b@example.org"}
    assert path_of(changed(statement, "object", agent)) == "object.objectType"
    interviewed = changed(
        changed(statement, "object", {**agent, "objectType": "Agent"}), "context.platform", REMOVE
    )
    validate_statement(interviewed)


def test_group_as_object(statement):
    group = {"objectType": "Group", "member": MEMBERS}
    validate_statement(changed(changed(statement, "object", group), "context.platform", REMOVE))
    member_is_group = {"objectType": "Group", "member": [group]}
    assert path_of(changed(statement, "object", member_is_group)) == "object.member[0].objectType"


# --- the agent parameter of the State and Agent Profile resources ------------------------------


def test_agent_parameter_accepts_an_agent():
    validate_agent({"objectType": "Agent", "mbox": "mailto:a@example.org"})
    validate_agent({"account": ACCOUNT})


@pytest.mark.parametrize(
    ("agent", "path", "message"),
    [
        ({"objectType": "Group", "member": MEMBERS}, "agent.objectType", "must be 'Agent'"),
        ({"mbox": "mailto:a@example.org", "account": ACCOUNT}, "agent", "exactly one"),
        ({"name": "Amina"}, "agent", "needs one of"),
        (["mailto:a@example.org"], "agent", "JSON object"),
    ],
)
def test_agent_parameter_refuses_anything_else(agent, path, message):
    with pytest.raises(InvalidStatement, match=message) as caught:
        validate_agent(agent)
    assert caught.value.path == path


def test_validate_actor_names_its_own_path():
    validate_actor({"objectType": "Group", "member": MEMBERS})
    with pytest.raises(InvalidStatement) as caught:
        validate_actor({"objectType": "Team"}, "related_agent")
    assert caught.value.path == "related_agent.objectType"


def test_validate_group_wants_a_group():
    validate_group({"objectType": "Group", "member": MEMBERS}, "team")
    with pytest.raises(InvalidStatement) as caught:
        validate_group({"mbox": "mailto:a@example.org"}, "team")
    assert caught.value.path == "team.objectType"

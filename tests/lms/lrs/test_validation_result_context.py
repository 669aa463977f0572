"""Result and Context (xAPI Data 2.4.5-2.4.6), with the 2.0 context agents and groups."""

import math

import pytest

from lms.lrs.validation import InvalidStatement, validate_statement
from tests.fixtures.xapi_statements import REMOVE, changed

STATEMENT_ID = "8f87ccde-bb56-4c2e-ab83-44982ef22df0"
AGENT = {"objectType": "Agent", "mbox": "mailto:player-1@example.com"}
GROUP = {"objectType": "Group", "mbox": "mailto:team-1@example.com"}
RELEVANT = ["https://example.com/xapi/types/coach"]


def path_of(statement: dict, version: str = "1.0.3") -> str:
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement, version)
    return caught.value.path


# --- result ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score",
    [
        {"scaled": -1},
        {"scaled": 1},
        {"scaled": 0.95},
        {"raw": 7, "min": 0, "max": 10},
        {"raw": 0, "min": 0, "max": 10},
        {"raw": 10.0, "min": 0, "max": 10},
        {"raw": -1000},
        {"min": -5.5, "max": -5.25},
        {},
    ],
)
def test_valid_scores(statement, score):
    validate_statement(changed(statement, "result.score", score))


@pytest.mark.parametrize(
    ("score", "path", "message"),
    [
        ({"scaled": 1.01}, "scaled", "between -1 and 1"),
        ({"scaled": -1.5}, "scaled", "between -1 and 1"),
        ({"scaled": "0.5"}, "scaled", "number"),
        ({"scaled": True}, "scaled", "number"),
        ({"scaled": math.nan}, "scaled", "finite"),
        ({"raw": 11, "min": 0, "max": 10}, "raw", "greater than max"),
        ({"raw": -1, "min": 0, "max": 10}, "raw", "less than min"),
        ({"raw": 5, "max": 4}, "raw", "greater than max"),
        ({"raw": 5, "min": 6}, "raw", "less than min"),
        ({"min": 10, "max": 10}, "max", "greater than min"),
        ({"min": 10, "max": 0}, "max", "greater than min"),
        ({"max": "100"}, "max", "number"),
        ({"min": [0]}, "min", "number"),
        ({"percent": 50}, "percent", "not a property"),
    ],
)
def test_invalid_scores(statement, score, path, message):
    with pytest.raises(InvalidStatement, match=message) as caught:
        validate_statement(changed(statement, "result.score", score))
    assert caught.value.path == f"result.score.{path}"


@pytest.mark.parametrize(
    "duration",
    [
        "PT4H35M59.14S",
        "PT16559.14S",
        "P3Y1M29DT4H35M59.14S",
        "P3Y",
        "P4W",
        "PT1H0M0.1S",
        "P1M",
        "PT0.005S",
        "P0D",
    ],
)
def test_valid_durations(statement, duration):
    validate_statement(changed(statement, "result.duration", duration))


@pytest.mark.parametrize(
    "duration",
    [
        "PA1H0M0S",
        "P4W1D",
        "should fail",
        12345,
        {"key": "invalid"},
        "PT",
        "P1DT",
        "P0003-01-29",
        "PT1,5H2M",
        "pt1h",
        "PT-1S",
    ],
)
def test_invalid_durations(statement, duration):
    assert path_of(changed(statement, "result.duration", duration)) == "result.duration"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("success", "true"),
        ("success", 1),
        ("completion", "false"),
        ("completion", 0),
        ("response", 2),
        ("response", ["b"]),
        ("score", 0.5),
        ("extensions", "x"),
        ("passed", True),
    ],
)
def test_invalid_result_properties(statement, key, value):
    assert path_of(changed(statement, f"result.{key}", value)) == f"result.{key}"


def test_result_extension_keys_are_iris(statement):
    broken = changed(statement, "result.extensions", {"https://example.com/ok": 1, "bad key": 2})
    assert path_of(broken) == "result.extensions.bad key"


def test_result_must_be_an_object(statement):
    assert path_of(changed(statement, "result", "passed")) == "result"


# --- context --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dotted", "value"),
    [
        ("registration", "ec531277b57b4c158d91d292c5b2b8f7"),
        ("registration", 17),
        ("language", "english language"),
        ("language", "en_US"),
        ("language", 1),
        ("revision", 3),
        ("platform", ["Mafunzo"]),
        ("statement", STATEMENT_ID),
        ("extensions", {"attempt": 1}),
        ("contextActivities", []),
        ("team", "Team PB"),
        ("instructor", {"name": "Ms Otieno"}),
        ("coach", AGENT),
    ],
)
def test_invalid_context_properties(statement, dotted, value):
    broken = changed(statement, f"context.{dotted}", value)
    path = path_of(broken)
    assert path.startswith(f"context.{dotted.split('.')[0]}")


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"statement": {"id": STATEMENT_ID}}, "context.statement.objectType"),
        ({"statement": {"objectType": "StatementRef", "id": "x"}}, "context.statement.id"),
        ({"extensions": {"attempt": 1}}, "context.extensions.attempt"),
        ({"registration": "ec531277b57b4c158d91d292c5b2b8f7"}, "context.registration"),
        ({"instructor": {"name": "Ms Otieno"}}, "context.instructor"),
        ({"team": {"mbox": "mailto:t@example.org"}}, "context.team.objectType"),
        ({"team": {"objectType": "Group"}}, "context.team"),
    ],
)
def test_context_paths(statement, value, path):
    assert path_of(changed(statement, "context", value)) == path


def test_context_language_is_bcp47(statement):
    validate_statement(changed(statement, "context.language", "zh-Hans-CN"))
    assert path_of(changed(statement, "context.language", "chinese")) == "context.language"


@pytest.mark.parametrize(
    "value",
    [
        {"parent": {"id": "http://example.com/course"}},  # a single Activity, as 0.95 sent it
        {"other": []},
        {},  # the conformance suite dropped its rule against an empty contextActivities
        {"grouping": [{"id": "http://example.com/a"}, {"id": "http://example.com/b"}]},
        {
            "category": [
                {
                    "objectType": "Activity",
                    "id": "https://w3id.org/xapi/cmi5/context/categories/moveon",
                }
            ]
        },
    ],
)
def test_valid_context_activities(statement, value):
    validate_statement(changed(statement, "context.contextActivities", value))


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"parents": []}, "context.contextActivities.parents"),
        ({"parent": "http://example.com/course"}, "context.contextActivities.parent"),
        ({"parent": ["http://example.com/course"]}, "context.contextActivities.parent[0]"),
        ({"grouping": [{"name": "x"}]}, "context.contextActivities.grouping[0].name"),
        ({"category": [{"definition": {}}]}, "context.contextActivities.category[0].id"),
        ({"other": {"id": "other"}}, "context.contextActivities.other.id"),
        (
            {"other": [{"objectType": "Agent", "mbox": "mailto:a@example.org"}]},
            "context.contextActivities.other[0].objectType",
        ),
    ],
)
def test_invalid_context_activities(statement, value, path):
    assert path_of(changed(statement, "context.contextActivities", value)) == path


@pytest.mark.parametrize("key", ["revision", "platform"])
@pytest.mark.parametrize(
    "target",
    [
        AGENT,
        GROUP,
        {"objectType": "StatementRef", "id": STATEMENT_ID},
        {
            "objectType": "SubStatement",
            "actor": AGENT,
            "verb": {"id": "http://example.com/visited"},
            "object": {"id": "http://example.com/website"},
        },
    ],
)
def test_revision_and_platform_only_for_activities(statement, key, target):
    context = {key: "Mafunzo 1.2"}
    broken = changed(changed(statement, "context", context), "object", target)
    with pytest.raises(InvalidStatement, match="only be used when the object is an Activity") as e:
        validate_statement(broken)
    assert e.value.path == f"context.{key}"
    validate_statement(changed(changed(statement, "context", context), "object.objectType", REMOVE))


# --- xAPI 2.0 context agents and groups -----------------------------------------------------------


def test_context_agents_and_groups_are_2_0_only(statement):
    context = {
        "contextAgents": [
            {"objectType": "contextAgent", "agent": AGENT, "relevantTypes": RELEVANT}
        ],
        "contextGroups": [{"objectType": "contextGroup", "group": GROUP}],
    }
    with_both = changed(statement, "context", context)
    validate_statement(with_both, "2.0.0")
    with pytest.raises(InvalidStatement, match=r"new in xAPI 2\.0\.0") as caught:
        validate_statement(with_both, "1.0.3")
    assert caught.value.path == "context.contextAgents"
    only_groups = changed(statement, "context", {"contextGroups": context["contextGroups"]})
    assert path_of(only_groups, "1.0.3") == "context.contextGroups"


@pytest.mark.parametrize(
    ("items", "path"),
    [
        ("players", "context.contextAgents"),
        ([AGENT], "context.contextAgents[0].mbox"),
        ([{"objectType": "Should fail", "agent": AGENT}], "context.contextAgents[0].objectType"),
        ([{"agent": AGENT}], "context.contextAgents[0].objectType"),
        ([{"objectType": "contextAgent"}], "context.contextAgents[0].agent"),
        (
            [{"objectType": "contextAgent", "agent": {"key": "Should fail"}}],
            "context.contextAgents[0].agent.key",
        ),
        (
            [{"objectType": "contextAgent", "agent": GROUP}],
            "context.contextAgents[0].agent.objectType",
        ),
        (
            [{"objectType": "contextAgent", "agent": AGENT, "relevantTypes": []}],
            "context.contextAgents[0].relevantTypes",
        ),
        (
            [{"objectType": "contextAgent", "agent": AGENT, "relevantTypes": ["abc"]}],
            "context.contextAgents[0].relevantTypes[0]",
        ),
        (
            [{"objectType": "contextAgent", "agent": AGENT, "relevantTypes": RELEVANT[0]}],
            "context.contextAgents[0].relevantTypes",
        ),
    ],
)
def test_invalid_context_agents(statement, items, path):
    assert path_of(changed(statement, "context.contextAgents", items), "2.0.0") == path


@pytest.mark.parametrize(
    ("items", "path"),
    [
        ({"objectType": "contextGroup", "group": GROUP}, "context.contextGroups"),
        ([{"objectType": "Should fail", "group": GROUP}], "context.contextGroups[0].objectType"),
        (
            [{"objectType": "contextGroup", "group": {"key": "Should fail"}}],
            "context.contextGroups[0].group.objectType",
        ),
        (
            [{"objectType": "contextGroup", "group": AGENT}],
            "context.contextGroups[0].group.objectType",
        ),
        (
            [{"objectType": "contextGroup", "group": {"objectType": "Group"}}],
            "context.contextGroups[0].group",
        ),
        (
            [{"objectType": "contextGroup", "group": GROUP, "relevantTypes": []}],
            "context.contextGroups[0].relevantTypes",
        ),
        (
            [{"objectType": "contextGroup", "group": GROUP, "relevantTypes": ["abc"]}],
            "context.contextGroups[0].relevantTypes[0]",
        ),
        (
            [{"objectType": "contextGroup", "group": GROUP, "member": [AGENT]}],
            "context.contextGroups[0].member",
        ),
    ],
)
def test_invalid_context_groups(statement, items, path):
    assert path_of(changed(statement, "context.contextGroups", items), "2.0.0") == path


def test_context_agents_inside_a_sub_statement(statement):
    sub = {
        "objectType": "SubStatement",
        "actor": AGENT,
        "verb": {"id": "http://example.com/planned"},
        "object": {"id": "http://example.com/website"},
        "context": {"contextAgents": [{"objectType": "contextAgent", "agent": AGENT}]},
    }
    planned = changed(changed(statement, "object", sub), "context.platform", REMOVE)
    validate_statement(planned, "2.0.0")
    assert path_of(planned, "1.0.3") == "object.context.contextAgents"

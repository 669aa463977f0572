"""Verbs and objects (xAPI Data 2.4.3-2.4.4): activities and their definitions, interactions,
statement references and sub-statements, and language maps."""

import pytest

from lms.lrs.validation import (
    InvalidStatement,
    validate_activity,
    validate_language_map,
    validate_statement,
)
from tests.fixtures.xapi_statements import REMOVE, changed

STATEMENT_ID = "8f87ccde-bb56-4c2e-ab83-44982ef22df0"
SUB_STATEMENT = {
    "objectType": "SubStatement",
    "actor": {"mbox": "mailto:test@example.com"},
    "verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
    "object": {"id": "http://example.com/website"},
}


def path_of(statement: dict, version: str = "1.0.3") -> str:
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement, version)
    return caught.value.path


def without_platform(statement: dict) -> dict:
    """The typical statement names a platform, which is only allowed for activities."""
    return changed(statement, "context.platform", REMOVE)


# --- verb -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dotted", "value", "path"),
    [
        ("verb.id", REMOVE, "verb.id"),
        ("verb.id", "answered", "verb.id"),
        ("verb.id", 42, "verb.id"),
        ("verb.display", "answered", "verb.display"),
        ("verb.display", ["en", "answered"], "verb.display"),
        ("verb.display.english", "answered", "verb.display.english"),
        ("verb.display.en_US", "answered", "verb.display.en_US"),
        ("verb.display.en", 1, "verb.display.en"),
        ("verb.display.en", None, "verb.display.en"),
        ("verb.name", {"en": "answered"}, "verb.name"),
        ("verb", "http://adlnet.gov/expapi/verbs/answered", "verb"),
    ],
)
def test_invalid_verbs(statement, dotted, value, path):
    assert path_of(changed(statement, dotted, value)) == path


def test_verb_display_is_optional_and_may_be_empty(statement):
    validate_statement(changed(statement, "verb.display", REMOVE))
    validate_statement(changed(statement, "verb.display", {}))


# --- activities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dotted", "value", "path"),
    [
        ("object.objectType", "activity", "object.objectType"),
        ("object.objectType", "Statement", "object.objectType"),
        ("object.objectType", 1, "object.objectType"),
        ("object.id", REMOVE, "object.id"),
        ("object.id", "/courses/nua", "object.id"),
        ("object.id", "course nua", "object.id"),
        ("object.url", "http://example.com", "object.url"),
        ("object.definition", "Question 1", "object.definition"),
        ("object.definition.title", {"en": "x"}, "object.definition.title"),
        ("object.definition.name.Englisch", "x", "object.definition.name.Englisch"),
        ("object.definition.description", "x", "object.definition.description"),
        ("object.definition.type", "cmi.interaction", "object.definition.type"),
        ("object.definition.moreInfo", "mailto:help@example.org", "object.definition.moreInfo"),
        ("object.definition.moreInfo", "help.html", "object.definition.moreInfo"),
        ("object.definition.extensions", ["x"], "object.definition.extensions"),
        ("object.definition.extensions", {"attempt": 1}, "object.definition.extensions.attempt"),
    ],
)
def test_invalid_activities(statement, dotted, value, path):
    assert path_of(changed(statement, dotted, value)) == path


def test_extension_values_are_never_judged(statement):
    extensions = {"http://example.com/x": None, "http://example.com/y": [1, {"z": None}]}
    validate_statement(changed(statement, "object.definition.extensions", extensions))


def test_object_type_defaults_to_activity(statement):
    validate_statement(changed(statement, "object.objectType", REMOVE))


def test_validate_activity_for_the_activities_resource():
    validate_activity({"id": "http://example.com/a", "definition": {"name": {"en": "A"}}})
    with pytest.raises(InvalidStatement) as caught:
        validate_activity({"id": "a"}, "activityId")
    assert caught.value.path == "activityId.id"


# --- interactions ---------------------------------------------------------------------------------


def components(*ids: str) -> list:
    return [{"id": component_id, "description": {"en": component_id}} for component_id in ids]


INTERACTIONS = {
    "true-false": {"correctResponsesPattern": ["true"]},
    "choice": {
        "correctResponsesPattern": ["golf[,]tetris"],
        "choices": components("golf", "tetris"),
    },
    "fill-in": {"correctResponsesPattern": ["{case_matters=false}{lang=en}To store and provide"]},
    "long-fill-in": {"correctResponsesPattern": ["{lang=en}long text"]},
    "matching": {
        "correctResponsesPattern": ["ben[.]3[,]chris[.]2"],
        "source": components("ben", "chris"),
        "target": components("2", "3"),
    },
    "performance": {
        "correctResponsesPattern": ["pong[.]1:[,]dg[.]:10"],
        "steps": components("pong", "dg"),
    },
    "sequencing": {"correctResponsesPattern": ["a[,]b"], "choices": components("a", "b")},
    "likert": {
        "correctResponsesPattern": ["likert_3"],
        "scale": components("likert_0", "likert_3"),
    },
    "numeric": {"correctResponsesPattern": ["4[:]"]},
    "other": {"correctResponsesPattern": ["(35.937432,-86.868896)"]},
}


@pytest.mark.parametrize("interaction_type", sorted(INTERACTIONS))
def test_every_interaction_type_with_its_components(statement, interaction_type):
    definition = {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": interaction_type,
        **INTERACTIONS[interaction_type],
    }
    validate_statement(changed(statement, "object.definition", definition))


def test_an_empty_correct_responses_pattern_means_no_answer_is_right(statement):
    validate_statement(changed(statement, "object.definition.correctResponsesPattern", []))


@pytest.mark.parametrize(
    ("dotted", "value", "path"),
    [
        ("interactionType", "multiple-choice", "interactionType"),
        ("interactionType", "Choice", "interactionType"),
        ("interactionType", REMOVE, "correctResponsesPattern"),
        ("correctResponsesPattern", "b", "correctResponsesPattern"),
        ("correctResponsesPattern", [1], "correctResponsesPattern[0]"),
        ("scale", components("1", "2"), "scale"),
        ("steps", [], "steps"),
        ("choices", {"a": "2015"}, "choices"),
        ("choices", ["a", "b"], "choices[0]"),
        ("choices", [{"description": {"en": "2015"}}], "choices[0].id"),
        ("choices", [{"id": 1}], "choices[0].id"),
        ("choices", [{"id": "a"}, {"id": "a"}], "choices[1].id"),
        ("choices", [{"id": "a", "name": {"en": "x"}}], "choices[0].name"),
        (
            "choices",
            [{"id": "a", "description": {"english": "x"}}],
            "choices[0].description.english",
        ),
    ],
)
def test_invalid_interactions(statement, dotted, value, path):
    broken = changed(statement, f"object.definition.{dotted}", value)
    assert path_of(broken) == f"object.definition.{path}"


def test_component_lists_need_an_interaction_type(statement):
    definition = {"name": {"en": "Poll"}, "choices": components("a")}
    assert path_of(changed(statement, "object.definition", definition)) == (
        "object.definition.choices"
    )


# --- statement references -------------------------------------------------------------------------


def test_statement_ref(statement):
    reference = {"objectType": "StatementRef", "id": STATEMENT_ID}
    validate_statement(without_platform(changed(statement, "object", reference)))


@pytest.mark.parametrize(
    ("reference", "path"),
    [
        ({"objectType": "StatementRef"}, "object.id"),
        ({"objectType": "StatementRef", "id": "http://example.com/s/1"}, "object.id"),
        ({"objectType": "StatementRef", "id": STATEMENT_ID, "definition": {}}, "object.definition"),
        ({"objectType": "statementref", "id": STATEMENT_ID}, "object.objectType"),
    ],
)
def test_invalid_statement_refs(statement, reference, path):
    assert path_of(without_platform(changed(statement, "object", reference))) == path


# --- sub-statements -------------------------------------------------------------------------------


def test_sub_statement(statement):
    planned = without_platform(changed(statement, "object", SUB_STATEMENT))
    validate_statement(planned)
    with_everything = {
        **SUB_STATEMENT,
        "result": {"completion": True},
        "context": {"platform": "Mafunzo", "registration": STATEMENT_ID},
        "timestamp": "2099-01-01T00:00:00Z",  # a plan may be in the future
    }
    validate_statement(without_platform(changed(statement, "object", with_everything)))


@pytest.mark.parametrize(
    ("key", "value", "path"),
    [
        ("id", STATEMENT_ID, "object.id"),
        ("stored", "2024-05-04T12:00:00Z", "object.stored"),
        ("version", "1.0.0", "object.version"),
        ("authority", {"mbox": "mailto:lrs@example.org"}, "object.authority"),
        ("actor", REMOVE, "object.actor"),
        ("verb", {"id": "visited"}, "object.verb.id"),
        ("object", {"objectType": "SubStatement", **SUB_STATEMENT}, "object.object.objectType"),
        ("object", {"objectType": "Agent"}, "object.object"),
        ("context", {"revision": "2", "statement": {"id": STATEMENT_ID}}, None),
        ("timestamp", "tomorrow", "object.timestamp"),
        ("objectType", "Substatement", "object.objectType"),
        ("extra", 1, "object.extra"),
    ],
)
def test_invalid_sub_statements(statement, key, value, path):
    broken = without_platform(changed(statement, "object", SUB_STATEMENT))
    broken = changed(broken, f"object.{key}", value)
    assert path_of(broken) == (path or "object.context.statement.objectType")


def test_sub_statement_message_says_why(statement):
    broken = without_platform(changed(statement, "object", {**SUB_STATEMENT, "id": STATEMENT_ID}))
    with pytest.raises(InvalidStatement, match="not allowed in a SubStatement"):
        validate_statement(broken)


# --- language maps --------------------------------------------------------------------------------


def test_language_maps_hold_every_un_language():
    validate_language_map(
        {
            "ar": "خطة",
            "zh": "议程",
            "en": "Agenda",
            "fr": "Programme",
            "ru": "Повестка",
            "es": "Agenda",
            "zh-Hans": "议程",
            "es-419": "Agenda",
        },
        "name",
    )


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"en-": "x"}, "name.en-"),
        ({"": "x"}, "name."),
        ({"en": ["x"]}, "name.en"),
        ("x", "name"),
    ],
)
def test_invalid_language_maps(value, path):
    with pytest.raises(InvalidStatement) as caught:
        validate_language_map(value, "name")
    assert caught.value.path == path

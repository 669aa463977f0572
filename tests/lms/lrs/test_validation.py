"""Statement validation as the LRS's HTTP layer uses it: whole statements and batches, the error
it reports, and the generated valid statements that must all pass."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.lrs.validation import (
    InvalidStatement,
    is_bcp47,
    is_duration,
    is_iri,
    is_irl,
    is_uuid,
    parse_duration,
    reject_duplicate_keys,
    validate_statement,
    validate_statements,
)
from tests.fixtures.xapi_statements import REMOVE, changed, make_statement, valid_statements


def error_of(statement: object, version: str = "1.0.3") -> InvalidStatement:
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement, version)
    return caught.value


def test_typical_statement_is_valid(statement):
    validate_statement(statement)
    validate_statement(statement, "2.0.0")


@settings(max_examples=150, deadline=None)
@given(valid_statements("1.0.3"))
def test_generated_1_0_statements_are_valid(statement):
    validate_statement(statement, "1.0.3")
    validate_statement(statement, "1.0.0")


@settings(max_examples=150, deadline=None)
@given(valid_statements("2.0.0"))
def test_generated_2_0_statements_are_valid(statement):
    validate_statement(statement, "2.0.0")


@settings(max_examples=50, deadline=None)
@given(valid_statements("1.0.3"), st.sampled_from(["Actor", "verbs", "objectType", "context_"]))
def test_an_unknown_top_level_property_is_named(statement, key):
    statement[key] = "x"
    assert error_of(statement).path == key


@settings(max_examples=100, deadline=None)
@given(valid_statements("2.0.0"), st.data())
def test_an_unknown_property_anywhere_is_named_by_its_path(statement, data):
    objects = [("", statement)] + [
        (path, parent[key])
        for path, (parent, key) in _paths(statement)
        if isinstance(parent[key], dict)
    ]
    path, target = data.draw(st.sampled_from(objects))
    target["Unknown_Key"] = "x"
    assert error_of(statement, "2.0.0").path == (f"{path}.Unknown_Key" if path else "Unknown_Key")


def _paths(value: object, path: str = ""):
    """Every property and array item of a statement, as the validator names them, except what
    lies inside an extensions map (whose values are free)."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{path}.{key}" if path else key
            yield child_path, (value, key)
            if key != "extensions":
                yield from _paths(child, child_path)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield f"{path}[{index}]", (value, index)
            yield from _paths(child, f"{path}[{index}]")


@settings(max_examples=100, deadline=None)
@given(valid_statements("2.0.0"), st.data())
def test_a_null_anywhere_is_named_by_its_path(statement, data):
    path, (parent, key) = data.draw(st.sampled_from(list(_paths(statement))))
    parent[key] = None
    error = error_of(statement, "2.0.0")
    assert error.path == path


def _of_another_type(value: object) -> object:
    if isinstance(value, str):
        return 12345
    if isinstance(value, bool | int | float):
        return "true"
    return "x"


@settings(max_examples=100, deadline=None)
@given(valid_statements("2.0.0"), st.data())
def test_a_wrong_json_type_anywhere_is_named_by_its_path(statement, data):
    path, (parent, key) = data.draw(st.sampled_from(list(_paths(statement))))
    parent[key] = _of_another_type(parent[key])
    error = error_of(statement, "2.0.0")
    assert error.path == path


def test_error_reads_path_colon_message(statement):
    error = error_of(changed(statement, "actor.mbox", "amina@example.org"))
    assert error.path == "actor.mbox"
    assert str(error) == f"actor.mbox: {error.message}"
    assert "mailto" in error.message
    assert isinstance(error, ValueError)


def test_path_prefix_is_prepended(statement):
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(changed(statement, "verb.id", "answered"), "1.0.3", "statements[3]")
    assert caught.value.path == "statements[3].verb.id"


@pytest.mark.parametrize("required", ["actor", "verb", "object"])
def test_required_properties(statement, required):
    error = error_of(changed(statement, required, REMOVE))
    assert (error.path, error.message) == (required, "is required")


@pytest.mark.parametrize("body", [[], "statement", 42, None])
def test_a_statement_must_be_an_object(body):
    assert error_of(body).path == ""


@pytest.mark.parametrize(
    ("dotted", "value"),
    [
        ("id", "not-a-uuid"),
        ("id", 12345),
        ("id", "6690e6c93ef04ed38b377f3964730bee"),  # not in the standard 8-4-4-4-12 form
        ("id", "{6690e6c9-3ef0-4ed3-8b37-7f3964730bee}"),
        ("timestamp", None),
        ("result.response", None),
        ("context.contextActivities.parent.0.id", None),
        ("actor.name", 7),
        ("objectType", "Statement"),
    ],
)
def test_wrong_values_are_named_by_path(statement, dotted, value):
    assert error_of(changed(statement, dotted, value)).path == dotted.replace(".0.", "[0].")


def test_null_is_refused_with_a_hint(statement):
    error = error_of(changed(statement, "result.success", None))
    assert error.path == "result.success"
    assert "null" in error.message


def test_uppercase_uuid_is_accepted(statement):
    validate_statement(changed(statement, "id", "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE"))


# --- batches ----------------------------------------------------------------------------------


def test_one_statement_body_becomes_a_list(statement):
    assert validate_statements(statement, "1.0.3") == [statement]


def test_array_body_is_returned_as_is():
    batch = [make_statement(id=None), make_statement()]
    assert validate_statements(batch, "1.0.3") is batch


def test_errors_in_a_batch_name_the_statement():
    batch = [make_statement(id=None), make_statement(id=None), make_statement()]
    batch[2]["actor"]["mbox"] = "mailto:nobody"
    with pytest.raises(InvalidStatement) as caught:
        validate_statements(batch, "1.0.3")
    assert caught.value.path == "statements[2].actor.mbox"


def test_a_batch_item_that_is_not_an_object():
    with pytest.raises(InvalidStatement) as caught:
        validate_statements([make_statement(), "x"], "1.0.3")
    assert caught.value.path == "statements[1]"


def test_a_batch_may_not_repeat_an_id():
    first = make_statement()
    second = make_statement(id=first["id"].upper())
    with pytest.raises(InvalidStatement) as caught:
        validate_statements([first, make_statement(id=None), second], "1.0.3")
    assert caught.value.path == "statements[2].id"
    assert "statements[0]" in caught.value.message


@pytest.mark.parametrize("body", ["[]", "3", '"x"', "null"])
def test_a_body_that_is_neither_object_nor_array(body):
    value = json.loads(body)
    if value == []:
        assert validate_statements(value, "1.0.3") == []
        return
    with pytest.raises(InvalidStatement) as caught:
        validate_statements(value, "1.0.3")
    assert caught.value.path == ""


def test_duplicate_json_keys_can_be_refused_while_parsing():
    text = '{"actor": {"mbox": "mailto:a@example.org"}, "actor": {"mbox": "mailto:b@example.org"}}'
    with pytest.raises(ValueError, match="'actor' appears twice"):
        json.loads(text, object_pairs_hook=reject_duplicate_keys)
    assert json.loads('{"a": {"b": 1}}', object_pairs_hook=reject_duplicate_keys) == {"a": {"b": 1}}


# --- the primitive checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "http://adlnet.gov/expapi/verbs/answered",
        "https://example.com/caf%C3%A9?x=1#frag",
        "http://example.com/فعل/خواندن",
        "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
        "mailto:someone@example.org",
        "tag:example.com,2024:course",
    ],
)
def test_iris(value):
    assert is_iri(value)


@pytest.mark.parametrize(
    "value",
    [
        "answered",
        "/relative/path",
        "#fragment",
        "",
        "http://exa mple.com",
        "http://x/%zz",
        "1http://x",
        "http://x/<b>",
        42,
        None,
    ],
)
def test_not_iris(value):
    assert not is_iri(value)


def test_irls_need_an_authority():
    assert is_irl("https://example.com")
    assert not is_irl("mailto:someone@example.org")
    assert not is_irl("urn:isbn:123")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6690e6c9-3ef0-4ed3-8b37-7f3964730bee", True),
        ("12345678-1234-5678-1234-567812345678", True),
        ("6690e6c9-3ef0-4ed3-8b37-7f3964730be", False),
        ("6690e6c9-3ef0-4ed3-8b37-7f3964730beg", False),
        ("urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee", False),
        (None, False),
    ],
)
def test_uuids(value, expected):
    assert is_uuid(value) is expected


@pytest.mark.parametrize(
    "tag",
    [
        "en",
        "en-US",
        "zh-Hant-TW",
        "es-419",
        "de-CH-1901",
        "sr-Latn-RS",
        "zh-yue-HK",
        "en-US-x-twain",
        "x-private",
        "i-klingon",
        "sgn-BE-FR",
        "en-a-bbb-x-a-ccc",
        "EN-us",
        "und",
        "cmn",
        "ase",
        "sr-Cyrl",
        "zh-z-aaa-c-ccc",
        "de-DE-1901-1996",
        "en-a-foo-b-foo",
    ],
)
def test_bcp47_tags(tag):
    assert is_bcp47(tag)


@pytest.mark.parametrize(
    "tag",
    [
        "",
        "e",
        "english",
        "en_US",
        "en-",
        "en--US",
        "-en",
        "en-a",
        "en-US-x",
        "12",
        "en-US-",
        "toolongsubtag",
        "fr CA",
        "something",
        "zh-z-aaa-z-bbb-c-ccc",
        "de-1901-1901",
        "engl",
    ],
)
def test_not_bcp47_tags(tag):
    assert not is_bcp47(tag)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("PT1H30M", 5400),
        ("PT12.5S", 12.5),
        ("P1D", 86400),
        ("P4W", 4 * 7 * 86400),
        ("PT0,5S", 0.5),
        ("PT0S", 0),
    ],
)
def test_durations_in_seconds(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value", ["PT", "P", "P1DT", "P4W1D", "PT1.5H30M", "1:30:00", "P16559.14S", "PA1H0M0S"]
)
def test_not_durations(value):
    assert not is_duration(value)
    with pytest.raises(ValueError):
        parse_duration(value)

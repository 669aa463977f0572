"""State and profile documents kept and read back over HTTP by a real client, tincan.RemoteLRS."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request

from tincan import (
    Activity,
    ActivityDefinition,
    ActivityProfileDocument,
    Agent,
    AgentProfileDocument,
    LanguageMap,
    RemoteLRS,
    StateDocument,
    Statement,
    Verb,
)

from tests.fixtures.lrs_documents import ACTIVITY, REGISTRATION

AMINA = Agent(name="Amina", mbox="mailto:amina@example.org")


def remote_lrs(live_server, lrs_credentials) -> RemoteLRS:  # type: ignore[no-untyped-def]
    key, secret = lrs_credentials("all")
    return RemoteLRS(endpoint=live_server.xapi, username=key, password=secret)


def etag_of(response) -> str:  # type: ignore[no-untyped-def]
    """tincan looks for the ETag under the wrong name, so read it from the HTTP response."""
    return response.response.getheader("ETag")


def test_state_saved_listed_read_and_cleared(live_server, lrs_credentials) -> None:  # type: ignore[no-untyped-def]
    remote = remote_lrs(live_server, lrs_credentials)
    activity = Activity(id=ACTIVITY)
    for state_id, content in (("bookmark", '{"page": 3}'), ("suspend", "a1b2")):
        document = StateDocument(
            id=state_id,
            agent=AMINA,
            activity=activity,
            content=content,
            content_type="application/json" if content.startswith("{") else "text/plain",
        )
        assert remote.save_state(document).success
    ids = remote.retrieve_state_ids(activity, AMINA)
    assert ids.success and sorted(ids.content) == ["bookmark", "suspend"]
    back = remote.retrieve_state(activity, AMINA, "suspend")
    assert bytes(back.content.content) == b"a1b2"
    assert back.response.getheader("Content-Type") == "text/plain"
    assert remote.retrieve_state_ids(activity, AMINA, registration=REGISTRATION).content == []
    assert remote.clear_state(activity, AMINA).success
    assert remote.retrieve_state_ids(activity, AMINA).content == []


def test_activity_profile_updated_with_its_etag(live_server, lrs_credentials) -> None:  # type: ignore[no-untyped-def]
    remote = remote_lrs(live_server, lrs_credentials)
    activity = Activity(id=ACTIVITY)
    profile = ActivityProfileDocument(
        id="glossary",
        activity=activity,
        content='{"NUA": "New Urban Agenda"}',
        content_type="application/json",
    )
    assert remote.save_activity_profile(profile).success
    conflict = remote.save_activity_profile(profile)
    assert conflict.response.status == 409
    fetched = remote.retrieve_activity_profile(activity, "glossary")
    profile.etag = etag_of(fetched)
    profile.content = '{"NUA": "Nouvel Agenda urbain"}'
    assert remote.save_activity_profile(profile).success
    again = remote.retrieve_activity_profile(activity, "glossary")
    assert json.loads(bytes(again.content.content)) == {"NUA": "Nouvel Agenda urbain"}
    assert remote.retrieve_activity_profile_ids(activity).content == ["glossary"]
    profile.etag = etag_of(again)
    assert remote.delete_activity_profile(profile).success
    assert remote.retrieve_activity_profile(activity, "glossary").response.status == 404


def test_agent_profile_round_trip(live_server, lrs_credentials) -> None:  # type: ignore[no-untyped-def]
    remote = remote_lrs(live_server, lrs_credentials)
    profile = AgentProfileDocument(
        id="cmi5LearnerPreferences",
        agent=AMINA,
        content='{"languagePreference": "ar,fr"}',
        content_type="application/json",
    )
    assert remote.save_agent_profile(profile).success
    assert remote.retrieve_agent_profile_ids(AMINA).content == ["cmi5LearnerPreferences"]
    back = remote.retrieve_agent_profile(AMINA, "cmi5LearnerPreferences")
    assert json.loads(bytes(back.content.content)) == {"languagePreference": "ar,fr"}
    profile.etag = etag_of(back)
    assert remote.delete_agent_profile(profile).success
    assert remote.retrieve_agent_profile_ids(AMINA).content == []


def test_activities_shows_definitions_from_statements_tincan_sent(
    live_server, lrs_credentials
) -> None:  # type: ignore[no-untyped-def]
    key, secret = lrs_credentials("all")
    remote = RemoteLRS(endpoint=live_server.xapi, username=key, password=secret)
    for language, name in (("en", "What is the NUA?"), ("ar", "ما هي الخطة الحضرية الجديدة؟")):
        statement = Statement(
            actor=AMINA,
            verb=Verb(id="http://adlnet.gov/expapi/verbs/experienced"),
            object=Activity(
                id=ACTIVITY, definition=ActivityDefinition(name=LanguageMap({language: name}))
            ),
        )
        assert remote.save_statement(statement).success
    request = urllib.request.Request(
        live_server.xapi + "activities?activityId=" + urllib.parse.quote(ACTIVITY, safe=""),
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
            "X-Experience-API-Version": "1.0.3",
        },
    )
    with urllib.request.urlopen(request) as answer:
        activity = json.load(answer)
    assert activity["definition"]["name"] == {
        "en": "What is the NUA?",
        "ar": "ما هي الخطة الحضرية الجديدة؟",
    }

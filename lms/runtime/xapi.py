"""Runtime events as statements of ADL's xAPI SCORM Profile: one history whatever the format."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

VERBS = (
    "initialized",
    "resumed",
    "suspended",
    "terminated",
    "completed",
    "passed",
    "failed",
    "scored",
    "responded",
)
PROFILE = "http://adlnet.gov/xapi/profile/scorm"
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "attempt": "http://adlnet.gov/expapi/activities/attempt",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "objective": "http://adlnet.gov/expapi/activities/objective",
}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_XAPI_INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}


def verb(name: str) -> dict[str, Any]:
    return {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}


def attempt_iri(sco_iri: str, registration: str) -> str:
    separator = "&" if "?" in sco_iri else "?"
    return f"{sco_iri}{separator}attemptId={registration}"


def interaction_iri(sco_iri: str, interaction_id: str) -> str:
    """The interaction's own IRI when it is one (our packages use the question IRI), else the
    profile's `<sco IRI>/interactions/<id>`."""
    if _ABSOLUTE.match(interaction_id):
        return interaction_id
    return f"{sco_iri.split('?', 1)[0].rstrip('/')}/interactions/{quote(interaction_id, safe='')}"


def objective_iri(sco_iri: str, objective_id: str) -> str:
    """The objective's own IRI when it is one, else the profile's `<sco IRI>/objectives/<id>`."""
    if _ABSOLUTE.match(objective_id):
        return objective_id
    return f"{sco_iri.split('?', 1)[0].rstrip('/')}/objectives/{quote(objective_id, safe='')}"


@dataclass(frozen=True)
class AttemptContext:
    """Who and what every statement of one attempt is about."""

    actor: dict[str, Any]
    registration: str
    course_iri: str
    course_title: str
    sco_iri: str
    sco_title: str
    language: str

    def _name(self, text: str) -> dict[str, str]:
        return {self.language if self.language != "und" else "en": text or "untitled"}

    def lesson(self) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.sco_iri,
            "definition": {"type": ACTIVITY_TYPES["lesson"], "name": self._name(self.sco_title)},
        }

    def context(self, parent: bool = False) -> dict[str, Any]:
        activities: dict[str, Any] = {
            "grouping": [
                {
                    "objectType": "Activity",
                    "id": attempt_iri(self.sco_iri, self.registration),
                    "definition": {"type": ACTIVITY_TYPES["attempt"]},
                },
                {
                    "objectType": "Activity",
                    "id": self.course_iri,
                    "definition": {
                        "type": ACTIVITY_TYPES["course"],
                        "name": self._name(self.course_title),
                    },
                },
            ],
            "category": [{"objectType": "Activity", "id": PROFILE}],
        }
        if parent:
            activities["parent"] = [{"objectType": "Activity", "id": self.sco_iri}]
        return {
            "registration": self.registration,
            "contextActivities": activities,
            "language": self.language if self.language != "und" else "en",
        }

    def statement(
        self,
        verb_name: str,
        key: str,
        timestamp: str,
        result: dict[str, Any] | None = None,
        activity: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A statement whose id derives from `key`: a retried commit stores nothing twice."""
        statement: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.UUID(self.registration), key)),
            "actor": self.actor,
            "verb": verb(verb_name),
            "object": activity or self.lesson(),
            "context": self.context(parent=activity is not None),
            "timestamp": timestamp,
        }
        if result:
            statement["result"] = result
        return statement

    def objective(self, objective_id: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": objective_iri(self.sco_iri, objective_id),
            "definition": {"type": ACTIVITY_TYPES["objective"]},
        }

    def interaction(
        self, interaction_id: str, kind: str, patterns: list[str], description: str
    ) -> dict[str, Any]:
        definition: dict[str, Any] = {"type": ACTIVITY_TYPES["interaction"]}
        if kind in _XAPI_INTERACTION_TYPES:
            definition["interactionType"] = kind
            if patterns:
                definition["correctResponsesPattern"] = patterns
        if description:
            definition["description"] = self._name(re.sub(r"^\{lang=[^}]*\}", "", description))
        return {
            "objectType": "Activity",
            "id": interaction_iri(self.sco_iri, interaction_id),
            "definition": definition,
        }

"""A SCORM API session on the server: the call state machine and a rule-driven data model.

Both SCORM versions share this engine; each version module supplies its element rules, value
types and error codes. The rules are also sent to the browser (`Version.client_rules`) so that
the JS adapter validates with the very same table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RO, WO, RW = "ro", "wo", "rw"
KEYWORDS = ("_children", "_count", "_version")


@dataclass(frozen=True)
class Rule:
    """One element of the data model; `name` writes array indexes as `n`."""

    name: str
    access: str
    type: str = "any"
    children: str = ""  # the _children answer, for keyword elements
    value: str | None = None  # a constant (e.g. _version)


@dataclass(frozen=True)
class Version:
    """What differs between SCORM 1.2 and 2004."""

    name: str
    rules: dict[str, Rule]
    types: dict[str, str]  # type name -> regular expression, shared with the browser
    ranges: dict[str, tuple[float | None, float | None]]  # type name -> numeric range
    errors: dict[str, int]  # semantic error -> the version's code
    messages: dict[int, str]
    first_field: dict[str, str]  # collection -> the field a new record must start with (2004)
    unique_ids: tuple[str, ...]  # collections whose ids must be unique
    # element -> (how many name parts up its record starts, {interaction type: value type})
    typed_values: dict[str, tuple[int, dict[str, str]]]
    unset_is_error: bool  # 2004: reading an unset element is 403; 1.2 answers ""
    unimplemented: tuple[str, ...] = ()  # prefixes of elements known but not supported
    derive: Callable[[dict[str, str], str], str | None] = lambda _values, _element: None

    def client_rules(self) -> dict[str, Any]:
        return {
            "version": self.name,
            "rules": {
                name: [rule.access, rule.type, rule.children] for name, rule in self.rules.items()
            },
            "types": self.types,
            "ranges": self.ranges,
            "errors": self.errors,
            "messages": {str(code): text for code, text in self.messages.items()},
            "firstField": self.first_field,
            "uniqueIds": list(self.unique_ids),
            "typedValues": self.typed_values,
            "unsetIsError": self.unset_is_error,
        }


_INDEX = re.compile(r"^\d+$")


def pattern_of(element: str) -> tuple[str, list[int]]:
    """`cmi.interactions.3.id` -> (`cmi.interactions.n.id`, [3])."""
    parts, indexes = [], []
    for part in element.split("."):
        if _INDEX.match(part):
            parts.append("n")
            indexes.append(int(part))
        else:
            parts.append(part)
    return ".".join(parts), indexes


class CallError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class Session:
    """One SCO session: the calls a SCO makes, answered as the standard says.

    `values` holds every stored element by its full name; `counts` the size of each collection.
    """

    version: Version
    values: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    state: str = "not initialized"  # then "running", then "terminated"
    last_error: int = 0

    # -- the API calls ---------------------------------------------------------------------
    def initialize(self, argument: str = "") -> str:
        return self._call(lambda: self._initialize(argument))

    def terminate(self, argument: str = "") -> str:
        return self._call(lambda: self._terminate(argument))

    def commit(self, argument: str = "") -> str:
        return self._call(lambda: self._commit(argument))

    def get_value(self, element: str) -> str:
        try:
            self._require_running("get")
            value = self._get(element)
        except CallError as error:
            self.last_error = self.version.errors[error.error]
            return ""
        self.last_error = 0
        return value

    def set_value(self, element: str, value: str) -> str:
        return self._call(lambda: self._set(element, value))

    def get_last_error(self) -> str:
        return str(self.last_error)

    def get_error_string(self, code: str) -> str:
        try:
            return self.version.messages.get(int(code), "")
        except ValueError:
            return ""

    # -- the state machine -------------------------------------------------------------------
    def _call(self, action: Callable[[], None]) -> str:
        try:
            action()
        except CallError as error:
            self.last_error = self.version.errors[error.error]
            return "false"
        self.last_error = 0
        return "true"

    def _initialize(self, argument: str) -> None:
        if argument != "":
            raise CallError("argument")
        if self.state == "running":
            raise CallError("already_initialized")
        if self.state == "terminated":
            raise CallError("instance_terminated")
        self.state = "running"

    def _terminate(self, argument: str) -> None:
        if argument != "":
            raise CallError("argument")
        self._require_running("terminate")
        self.state = "terminated"

    def _commit(self, argument: str) -> None:
        if argument != "":
            raise CallError("argument")
        self._require_running("commit")

    def _require_running(self, what: str) -> None:
        if self.state == "not initialized":
            raise CallError(f"{what}_before_init")
        if self.state == "terminated":
            raise CallError(f"{what}_after_term")

    # -- the data model ------------------------------------------------------------------------
    def _rule(self, element: str, failure: str) -> Rule:
        if element == "":
            raise CallError(failure)
        pattern, _ = pattern_of(element)
        rule = self.version.rules.get(pattern)
        if rule is None:
            last = pattern.rsplit(".", 1)[-1]
            parent = pattern.rsplit(".", 1)[0]
            if last == "_children" and parent in self._known_prefixes():
                raise CallError("no_children")
            if last == "_count" and parent in self._known_prefixes():
                raise CallError("no_count")
            raise CallError("unimplemented" if self._is_unimplemented(pattern) else "undefined")
        return rule

    def _known_prefixes(self) -> set[str]:
        prefixes = set()
        for name in self.version.rules:
            parts = name.split(".")
            for end in range(1, len(parts) + 1):
                prefixes.add(".".join(parts[:end]))
        return prefixes

    def _is_unimplemented(self, pattern: str) -> bool:
        return bool(self.version.unimplemented) and pattern.startswith(self.version.unimplemented)

    def _get(self, element: str) -> str:
        rule = self._rule(element, "general_get")
        if rule.access == WO:
            raise CallError("write_only")
        if rule.value is not None:
            return rule.value
        name = element.rsplit(".", 1)[-1]
        if name == "_children":
            return rule.children
        collection = element.rsplit(".", 1)[0]
        if name == "_count":
            self._check_index_exists(collection)
            return str(self.counts.get(collection, 0))
        self._check_index_exists(element)
        derived = self.version.derive(self.values, element)
        if derived is not None:
            return derived
        if element in self.values:
            return self.values[element]
        if self.version.unset_is_error:
            raise CallError("not_initialized_value")
        return ""

    def _check_index_exists(self, element: str) -> None:
        """Reading record n of a collection that has fewer records is a get failure."""
        parts = element.split(".")
        prefix: list[str] = []
        for part in parts:
            if _INDEX.match(part):
                collection = ".".join(prefix)
                if int(part) >= self.counts.get(collection, 0):
                    raise CallError("general_get")
            prefix.append(part)

    def _set(self, element: str, value: str) -> None:
        self._require_running("set")
        rule = self._rule(element, "general_set")
        if element.rsplit(".", 1)[-1] in KEYWORDS:
            raise CallError("keyword_set")
        if rule.access == RO:
            raise CallError("read_only")
        new_records = self._check_records(element)
        self._check_value(element, rule, value)
        self._check_unique(element, value)
        self.values[element] = value
        for collection, index in new_records:
            self.counts[collection] = index + 1

    def _check_records(self, element: str) -> list[tuple[str, int]]:
        """Records must be added in order (n = _count creates one); a new record may need its
        id first (2004). Returns the records this set creates."""
        parts = element.split(".")
        created: list[tuple[str, int]] = []
        for position, part in enumerate(parts):
            if not _INDEX.match(part):
                continue
            collection = ".".join(parts[:position])
            count = self.counts.get(collection, 0)
            index = int(part)
            if index > count:
                raise CallError("general_set")
            if index == count:
                rest = ".".join(parts[position + 1 :])
                required = self.version.first_field.get(pattern_of(collection)[0])
                if required and rest != required:
                    raise CallError("dependency")
                created.append((collection, index))
        return created

    def _check_value(self, element: str, rule: Rule, value: str) -> None:
        pattern, _ = pattern_of(element)
        type_name = rule.type
        if pattern in self.version.typed_values:
            levels, by_type = self.version.typed_values[pattern]
            record = element.rsplit(".", levels)[0]
            interaction_type = self.values.get(f"{record}.type")
            if interaction_type is None and self.version.unset_is_error:
                raise CallError("dependency")
            type_name = by_type.get(interaction_type or "", type_name)
        expression = self.version.types.get(type_name, ".*")
        if not re.fullmatch(expression, value, re.S):
            raise CallError("type_mismatch")
        low, high = self.version.ranges.get(type_name, (None, None))
        if low is not None or high is not None:
            number = float(value) if value != "" else None
            if number is not None and (
                (low is not None and number < low) or (high is not None and number > high)
            ):
                raise CallError("out_of_range")

    def _check_unique(self, element: str, value: str) -> None:
        pattern, _ = pattern_of(element)
        if not pattern.endswith(".n.id"):
            return
        collection = element.rsplit(".", 2)[0]
        if pattern_of(collection)[0] not in self.version.unique_ids:
            return
        current = self.values.get(element)
        if current is not None and current != value and self.version.unset_is_error:
            raise CallError("general_set")  # an identifier, once set, does not change (2004)
        for index in range(self.counts.get(collection, 0)):
            other = f"{collection}.{index}.id"
            if other != element and self.values.get(other) == value:
                raise CallError("general_set")

    # -- persistence ---------------------------------------------------------------------------
    def to_document(self) -> dict[str, Any]:
        return {"version": self.version.name, "values": self.values, "counts": self.counts}

    def load(self, document: dict[str, Any]) -> None:
        self.values = dict(document.get("values", {}))
        self.counts = {key: int(value) for key, value in document.get("counts", {}).items()}

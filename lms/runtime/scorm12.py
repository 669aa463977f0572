"""The SCORM 1.2 run-time data model (RTE chapter 3) and its error codes."""

from __future__ import annotations

from lms.runtime.datamodel import RO, RW, WO, Rule, Version

DECIMAL = r"-?(?:\d+(?:\.\d*)?|\.\d+)"
TYPES = {
    "any": r"[\s\S]*",
    "string255": r"[\s\S]{0,255}",
    "string4096": r"[\s\S]{0,4096}",
    "identifier": r"[\x21-\x7e]{1,255}",
    "decimal": DECIMAL,
    "score": f"(?:{DECIMAL})?",
    "timespan": r"\d{2,4}:\d{2}:\d{2}(?:\.\d{1,2})?",
    "time": r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,2})?",
    "status": "passed|completed|failed|incomplete|browsed",
    "objective_status": "passed|completed|failed|incomplete|browsed|not attempted",
    "exit": "time-out|suspend|logout|",
    "interaction_type": "true-false|choice|fill-in|matching|performance|sequencing|likert|numeric",
    "result": f"correct|wrong|unanticipated|neutral|{DECIMAL}",
    "audio": r"-?\d+",
    "speed": r"-?\d+",
    "text": "-1|0|1",
    "r_true_false": "0|1|t|f",
    "r_choice": r"\{?(?:[0-9a-z](?:,[0-9a-z])*)?\}?",
    "r_numeric": DECIMAL,
}
RANGES: dict[str, tuple[float | None, float | None]] = {
    "score": (0.0, 100.0),
    "audio": (-1.0, 100.0),
    "speed": (-100.0, 100.0),
}
ERRORS = {
    "general": 101,
    "general_init": 101,
    "already_initialized": 101,
    "instance_terminated": 101,
    "general_termination": 101,
    "terminate_before_init": 301,
    "terminate_after_term": 101,
    "get_before_init": 301,
    "get_after_term": 101,
    "set_before_init": 301,
    "set_after_term": 101,
    "commit_before_init": 301,
    "commit_after_term": 101,
    "argument": 201,
    "general_get": 201,
    "general_set": 201,
    "general_commit": 101,
    "undefined": 201,
    "unimplemented": 401,
    "not_initialized_value": 0,
    "read_only": 403,
    "write_only": 404,
    "type_mismatch": 405,
    "out_of_range": 405,
    "dependency": 201,
    "no_children": 202,
    "no_count": 203,
    "keyword_set": 402,
}
MESSAGES = {
    0: "No error",
    101: "General exception",
    201: "Invalid argument error",
    202: "Element cannot have children",
    203: "Element not an array - cannot have count",
    301: "Not initialized",
    401: "Not implemented error",
    402: "Invalid set value, element is a keyword",
    403: "Element is read only",
    404: "Element is write only",
    405: "Incorrect data type",
}


def _rules() -> dict[str, Rule]:
    table = [
        Rule(
            "cmi.core._children",
            RO,
            children="student_id,student_name,lesson_location,"
            "credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
        ),
        Rule("cmi.core.student_id", RO),
        Rule("cmi.core.student_name", RO),
        Rule("cmi.core.lesson_location", RW, "string255"),
        Rule("cmi.core.credit", RO),
        Rule("cmi.core.lesson_status", RW, "status"),
        Rule("cmi.core.entry", RO),
        Rule("cmi.core.score._children", RO, children="raw,min,max"),
        Rule("cmi.core.score.raw", RW, "score"),
        Rule("cmi.core.score.min", RW, "score"),
        Rule("cmi.core.score.max", RW, "score"),
        Rule("cmi.core.total_time", RO),
        Rule("cmi.core.lesson_mode", RO),
        Rule("cmi.core.exit", WO, "exit"),
        Rule("cmi.core.session_time", WO, "timespan"),
        Rule("cmi.suspend_data", RW, "string4096"),
        Rule("cmi.launch_data", RO),
        Rule("cmi.comments", RW, "string4096"),
        Rule("cmi.comments_from_lms", RO),
        Rule("cmi.objectives._children", RO, children="id,score,status"),
        Rule("cmi.objectives._count", RO),
        Rule("cmi.objectives.n.id", RW, "identifier"),
        Rule("cmi.objectives.n.score._children", RO, children="raw,min,max"),
        Rule("cmi.objectives.n.score.raw", RW, "score"),
        Rule("cmi.objectives.n.score.min", RW, "score"),
        Rule("cmi.objectives.n.score.max", RW, "score"),
        Rule("cmi.objectives.n.status", RW, "objective_status"),
        Rule(
            "cmi.student_data._children",
            RO,
            children="mastery_score,max_time_allowed,time_limit_action",
        ),
        Rule("cmi.student_data.mastery_score", RO),
        Rule("cmi.student_data.max_time_allowed", RO),
        Rule("cmi.student_data.time_limit_action", RO),
        Rule("cmi.student_preference._children", RO, children="audio,language,speed,text"),
        Rule("cmi.student_preference.audio", RW, "audio"),
        Rule("cmi.student_preference.language", RW, "string255"),
        Rule("cmi.student_preference.speed", RW, "speed"),
        Rule("cmi.student_preference.text", RW, "text"),
        Rule(
            "cmi.interactions._children",
            RO,
            children="id,objectives,time,type,"
            "correct_responses,weighting,student_response,result,latency",
        ),
        Rule("cmi.interactions._count", RO),
        Rule("cmi.interactions.n.id", WO, "identifier"),
        Rule("cmi.interactions.n.objectives._count", RO),
        Rule("cmi.interactions.n.objectives.n.id", WO, "identifier"),
        Rule("cmi.interactions.n.time", WO, "time"),
        Rule("cmi.interactions.n.type", WO, "interaction_type"),
        Rule("cmi.interactions.n.correct_responses._count", RO),
        Rule("cmi.interactions.n.correct_responses.n.pattern", WO, "string255"),
        Rule("cmi.interactions.n.weighting", WO, "decimal"),
        Rule("cmi.interactions.n.student_response", WO, "string255"),
        Rule("cmi.interactions.n.result", WO, "result"),
        Rule("cmi.interactions.n.latency", WO, "timespan"),
    ]
    return {rule.name: rule for rule in table}


_BY_TYPE = {"true-false": "r_true_false", "choice": "r_choice", "numeric": "r_numeric"}
DEFAULTS = {
    "cmi.core.lesson_status": "not attempted",
    "cmi.core.credit": "credit",
    "cmi.core.lesson_mode": "normal",
    "cmi.core.entry": "",
    "cmi.core.total_time": "0000:00:00.00",
    "cmi.student_preference.audio": "0",
    "cmi.student_preference.speed": "0",
    "cmi.student_preference.text": "0",
}


def derive(values: dict[str, str], element: str) -> str | None:
    if element in values:
        return None
    return DEFAULTS.get(element)


VERSION = Version(
    name="1.2",
    rules=_rules(),
    types=TYPES,
    ranges=RANGES,
    errors=ERRORS,
    messages=MESSAGES,
    first_field={},
    unique_ids=(),
    typed_values={"cmi.interactions.n.student_response": (1, _BY_TYPE)},
    unset_is_error=False,
    unimplemented=("cmi.",),
    derive=derive,
)

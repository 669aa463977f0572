"""The SCORM 2004 4th edition run-time data model (RTE book, chapter 4) and its error codes."""

from __future__ import annotations

from lms.runtime.datamodel import RO, RW, WO, Rule, Version

REAL = r"-?(?:\d+(?:\.\d*)?|\.\d+)"
_LANG = r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*"
_ID = r"[^\s\[\]]{1,250}"
TYPES = {
    "any": r"[\s\S]*",
    "cs250": r"[\s\S]{0,250}",
    "cs1000": r"[\s\S]{0,1000}",
    "cs4000": r"[\s\S]{0,4000}",
    "cs64000": r"[\s\S]{0,64000}",
    "localized250": rf"(?:\{{lang={_LANG}\}})?[\s\S]{{0,250}}",
    "localized4000": rf"(?:\{{lang={_LANG}\}})?[\s\S]{{0,4000}}",
    "language": rf"(?:{_LANG})?",
    "identifier": r"\S{1,4000}",
    "real": REAL,
    "real01": REAL,
    "scaled": REAL,
    "nonnegative": REAL,
    "time": r"(?:19[7-9]\d|20[0-2]\d|203[0-8])(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])"
    r"(?:T(?:[01]\d|2[0-3])(?::[0-5]\d(?::[0-5]\d(?:\.\d{1,2})?)?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?)?)?",
    "duration": r"P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?"
    r"(?:\d+(?:\.\d{1,2})?S)?)?",
    "completion": "completed|incomplete|not attempted|unknown",
    "success": "passed|failed|unknown",
    "exit": "time-out|suspend|logout|normal|",
    "interaction_type": "true-false|choice|fill-in|long-fill-in|matching|performance|"
    "sequencing|likert|numeric|other",
    "result": f"correct|incorrect|unanticipated|neutral|{REAL}",
    "captioning": "-1|0|1",
    "nav_request": r"continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|"
    r"\{target=[^}\s]+\}(?:choice|jump)",
    "r_true_false": "true|false",
    "r_ids": rf"(?:{_ID}(?:\[,\]{_ID})*)?",
    "r_pairs": rf"{_ID}\[\.\]{_ID}(?:\[,\]{_ID}\[\.\]{_ID})*",
    "r_likert": _ID,
    "r_numeric": REAL,
    "p_numeric": rf"(?:{REAL})?(?:\[:\](?:{REAL})?)?",
}
RANGES: dict[str, tuple[float | None, float | None]] = {
    "real01": (0.0, 1.0),
    "scaled": (-1.0, 1.0),
    "nonnegative": (0.0, None),
}
ERRORS = {
    "general": 101,
    "general_init": 102,
    "already_initialized": 103,
    "instance_terminated": 104,
    "general_termination": 111,
    "terminate_before_init": 112,
    "terminate_after_term": 113,
    "get_before_init": 122,
    "get_after_term": 123,
    "set_before_init": 132,
    "set_after_term": 133,
    "commit_before_init": 142,
    "commit_after_term": 143,
    "argument": 201,
    "general_get": 301,
    "general_set": 351,
    "general_commit": 391,
    "undefined": 401,
    "unimplemented": 402,
    "not_initialized_value": 403,
    "read_only": 404,
    "write_only": 405,
    "type_mismatch": 406,
    "out_of_range": 407,
    "dependency": 408,
    "no_children": 301,
    "no_count": 301,
    "keyword_set": 404,
}
MESSAGES = {
    0: "No Error",
    101: "General Exception",
    102: "General Initialization Failure",
    103: "Already Initialized",
    104: "Content Instance Terminated",
    111: "General Termination Failure",
    112: "Termination Before Initialization",
    113: "Termination After Termination",
    122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination",
    132: "Store Data Before Initialization",
    133: "Store Data After Termination",
    142: "Commit Before Initialization",
    143: "Commit After Termination",
    201: "General Argument Error",
    301: "General Get Failure",
    351: "General Set Failure",
    391: "General Commit Failure",
    401: "Undefined Data Model Element",
    402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized",
    404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only",
    406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range",
    408: "Data Model Dependency Not Established",
}


def _rules() -> dict[str, Rule]:
    score = {"scaled": "scaled", "raw": "real", "min": "real", "max": "real"}
    table = [
        Rule("cmi._version", RO, value="1.0"),
        Rule("cmi.comments_from_learner._children", RO, children="comment,location,timestamp"),
        Rule("cmi.comments_from_learner._count", RO),
        Rule("cmi.comments_from_learner.n.comment", RW, "localized4000"),
        Rule("cmi.comments_from_learner.n.location", RW, "cs250"),
        Rule("cmi.comments_from_learner.n.timestamp", RW, "time"),
        Rule("cmi.comments_from_lms._children", RO, children="comment,location,timestamp"),
        Rule("cmi.comments_from_lms._count", RO),
        Rule("cmi.comments_from_lms.n.comment", RO, "localized4000"),
        Rule("cmi.comments_from_lms.n.location", RO, "cs250"),
        Rule("cmi.comments_from_lms.n.timestamp", RO, "time"),
        Rule("cmi.completion_status", RW, "completion"),
        Rule("cmi.completion_threshold", RO, "real01"),
        Rule("cmi.credit", RO),
        Rule("cmi.entry", RO),
        Rule("cmi.exit", WO, "exit"),
        Rule(
            "cmi.interactions._children",
            RO,
            children="id,type,objectives,timestamp,"
            "correct_responses,weighting,learner_response,result,latency,description",
        ),
        Rule("cmi.interactions._count", RO),
        Rule("cmi.interactions.n.id", RW, "identifier"),
        Rule("cmi.interactions.n.type", RW, "interaction_type"),
        Rule("cmi.interactions.n.objectives._count", RO),
        Rule("cmi.interactions.n.objectives.n.id", RW, "identifier"),
        Rule("cmi.interactions.n.timestamp", RW, "time"),
        Rule("cmi.interactions.n.correct_responses._count", RO),
        Rule("cmi.interactions.n.correct_responses.n.pattern", RW, "cs4000"),
        Rule("cmi.interactions.n.weighting", RW, "real"),
        Rule("cmi.interactions.n.learner_response", RW, "cs4000"),
        Rule("cmi.interactions.n.result", RW, "result"),
        Rule("cmi.interactions.n.latency", RW, "duration"),
        Rule("cmi.interactions.n.description", RW, "localized250"),
        Rule("cmi.launch_data", RO),
        Rule("cmi.learner_id", RO),
        Rule("cmi.learner_name", RO),
        Rule(
            "cmi.learner_preference._children",
            RO,
            children="audio_level,language,delivery_speed,audio_captioning",
        ),
        Rule("cmi.learner_preference.audio_level", RW, "nonnegative"),
        Rule("cmi.learner_preference.language", RW, "language"),
        Rule("cmi.learner_preference.delivery_speed", RW, "nonnegative"),
        Rule("cmi.learner_preference.audio_captioning", RW, "captioning"),
        Rule("cmi.location", RW, "cs1000"),
        Rule("cmi.max_time_allowed", RO),
        Rule("cmi.mode", RO),
        Rule(
            "cmi.objectives._children",
            RO,
            children="id,score,success_status,completion_status,progress_measure,description",
        ),
        Rule("cmi.objectives._count", RO),
        Rule("cmi.objectives.n.id", RW, "identifier"),
        Rule("cmi.objectives.n.score._children", RO, children="scaled,raw,min,max"),
        *(Rule(f"cmi.objectives.n.score.{name}", RW, kind) for name, kind in score.items()),
        Rule("cmi.objectives.n.success_status", RW, "success"),
        Rule("cmi.objectives.n.completion_status", RW, "completion"),
        Rule("cmi.objectives.n.progress_measure", RW, "real01"),
        Rule("cmi.objectives.n.description", RW, "localized250"),
        Rule("cmi.progress_measure", RW, "real01"),
        Rule("cmi.scaled_passing_score", RO),
        Rule("cmi.score._children", RO, children="scaled,raw,min,max"),
        *(Rule(f"cmi.score.{name}", RW, kind) for name, kind in score.items()),
        Rule("cmi.session_time", WO, "duration"),
        Rule("cmi.success_status", RW, "success"),
        Rule("cmi.suspend_data", RW, "cs64000"),
        Rule("cmi.time_limit_action", RO),
        Rule("cmi.total_time", RO),
        Rule("adl.nav.request", RW, "nav_request"),
        Rule("adl.nav.request_valid.continue", RO),
        Rule("adl.nav.request_valid.previous", RO),
    ]
    return {rule.name: rule for rule in table}


_BY_TYPE = {
    "true-false": "r_true_false",
    "choice": "r_ids",
    "sequencing": "r_ids",
    "matching": "r_pairs",
    "performance": "cs4000",
    "likert": "r_likert",
    "numeric": "r_numeric",
    "fill-in": "cs4000",
    "long-fill-in": "cs4000",
    "other": "cs4000",
}
_PATTERN_BY_TYPE = {**_BY_TYPE, "numeric": "p_numeric", "fill-in": "cs4000"}

DEFAULTS = {
    "cmi.completion_status": "unknown",
    "cmi.success_status": "unknown",
    "cmi.credit": "credit",
    "cmi.mode": "normal",
    "cmi.entry": "",
    "cmi.total_time": "PT0S",
    "cmi.learner_preference.audio_level": "1",
    "cmi.learner_preference.language": "",
    "cmi.learner_preference.delivery_speed": "1",
    "cmi.learner_preference.audio_captioning": "0",
    "adl.nav.request": "_none_",
    "adl.nav.request_valid.continue": "unknown",
    "adl.nav.request_valid.previous": "unknown",
}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def derive(values: dict[str, str], element: str) -> str | None:
    """The statuses the LMS evaluates (RTE 4.2.4 and 4.2.22), then the defaults."""
    if element == "cmi.completion_status":
        threshold = _number(values.get("cmi.completion_threshold"))
        progress = _number(values.get("cmi.progress_measure"))
        if threshold is not None and progress is not None:
            return "completed" if progress >= threshold else "incomplete"
        if threshold is not None and "cmi.completion_status" not in values:
            return "unknown"
    if element == "cmi.success_status":
        passing = _number(values.get("cmi.scaled_passing_score"))
        scaled = _number(values.get("cmi.score.scaled"))
        if passing is not None and scaled is not None:
            return "passed" if scaled >= passing else "failed"
        if passing is not None and "cmi.success_status" not in values:
            return "unknown"
    if element in values:
        return None
    if element.startswith("cmi.objectives.") and element.endswith(
        ("success_status", "completion_status")
    ):
        return "unknown"
    return DEFAULTS.get(element)


VERSION = Version(
    name="2004",
    rules=_rules(),
    types=TYPES,
    ranges=RANGES,
    errors=ERRORS,
    messages=MESSAGES,
    first_field={"cmi.interactions": "id", "cmi.objectives": "id"},
    unique_ids=("cmi.objectives", "cmi.interactions.n.objectives"),
    typed_values={
        "cmi.interactions.n.learner_response": (1, _BY_TYPE),
        "cmi.interactions.n.correct_responses.n.pattern": (3, _PATTERN_BY_TYPE),
    },
    unset_is_error=True,
    unimplemented=("adl.data",),
    derive=derive,
)

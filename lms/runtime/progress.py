"""What a SCO's runtime values mean, the same for 1.2 and 2004: statuses, score, time, answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lms.runtime.datamodel import Version

_ISO = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?"
    r"(?:(\d+(?:\.\d+)?)S)?)?$"
)
_TIMESPAN = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)$")


def iso_seconds(value: str) -> float:
    found = _ISO.match(value or "")
    if not found:
        return 0.0
    years, months, days, hours, minutes, seconds = (float(part or 0) for part in found.groups())
    return (((years * 365 + months * 30 + days) * 24 + hours) * 60 + minutes) * 60 + seconds


def timespan_seconds(value: str) -> float:
    found = _TIMESPAN.match(value or "")
    if not found:
        return 0.0
    return int(found.group(1)) * 3600 + int(found.group(2)) * 60 + float(found.group(3))


def duration_seconds(value: str) -> float | None:
    """An ISO 8601 duration (`PT1H30M`, SCORM 2004) or a CMITimespan (`0001:30:00`, SCORM 1.2) in
    seconds; None when the text is neither."""
    text = (value or "").strip()
    if _TIMESPAN.match(text):
        return timespan_seconds(text)
    if _ISO.match(text) and text not in ("P", "PT") and not text.endswith("T"):
        return iso_seconds(text)
    return None


def iso_duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration with hundredths, as SCORM 2004 and xAPI write it."""
    hundredths = round(seconds * 100)
    hours, rest = divmod(hundredths, 360000)
    minutes, rest = divmod(rest, 6000)
    text = f"PT{hours}H{minutes}M{rest // 100}"
    fraction = f".{rest % 100:02d}".rstrip("0") if rest % 100 else ""
    return f"{text}{fraction}S"


def timespan(seconds: float) -> str:
    """Seconds as SCORM 1.2's CMITimespan (HHHH:MM:SS.SS)."""
    hundredths = round(seconds * 100)
    hours, rest = divmod(hundredths, 360000)
    minutes, rest = divmod(rest, 6000)
    return f"{hours:04d}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"


@dataclass
class Interaction:
    id: str
    type: str
    response: str | None
    result: str
    latency_seconds: float | None
    patterns: list[str]
    description: str


@dataclass
class Objective:
    id: str
    completion: str  # completed | incomplete | not attempted | unknown
    success: str  # passed | failed | unknown
    scaled: float | None


@dataclass
class Progress:
    completion: str = "not attempted"  # completed | incomplete | not attempted | unknown
    success: str = "unknown"  # passed | failed | unknown
    raw: float | None = None
    min: float | None = None
    max: float | None = None
    scaled: float | None = None
    progress_measure: float | None = None
    session_seconds: float = 0.0
    exit: str = ""
    interactions: list[Interaction] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)

    def score(self) -> dict[str, float]:
        """The xAPI score, keeping only what is consistent (raw within min and max)."""
        found: dict[str, float] = {}
        if self.scaled is not None and -1 <= self.scaled <= 1:
            found["scaled"] = round(self.scaled, 4)
        if self.raw is not None:
            low = self.min if self.min is not None else None
            high = self.max if self.max is not None else None
            if (
                (low is None or low <= self.raw)
                and (high is None or self.raw <= high)
                and (low is None or high is None or low <= high)
            ):
                found["raw"] = self.raw
                if low is not None:
                    found["min"] = low
                if high is not None:
                    found["max"] = high
        return found


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read(version: Version, values: dict[str, str], counts: dict[str, int]) -> Progress:
    if version.name == "1.2":
        return _read_12(values, counts)
    return _read_2004(version, values, counts)


def xapi_response_12(kind: str, value: str) -> str:
    """A SCORM 1.2 response or pattern in the xAPI (and SCORM 2004) format, so that reports read
    answers alike whichever format delivered the course."""
    if kind == "true-false":
        return {"1": "true", "t": "true", "0": "false", "f": "false"}.get(value.lower(), value)
    if kind in ("choice", "sequencing"):
        return "[,]".join(part for part in value.strip("{}").split(",") if part)
    if kind == "matching":
        return "[,]".join(pair.replace(".", "[.]", 1) for pair in value.split(",") if pair)
    return value


def _read_12(values: dict[str, str], counts: dict[str, int]) -> Progress:
    status = values.get("cmi.core.lesson_status", "not attempted")
    completion = {
        "completed": "completed",
        "passed": "completed",
        "failed": "completed",
        "incomplete": "incomplete",
        "browsed": "incomplete",
    }.get(status, "not attempted")
    success = status if status in ("passed", "failed") else "unknown"
    raw = _number(values.get("cmi.core.score.raw"))
    low = _number(values.get("cmi.core.score.min"))
    high = _number(values.get("cmi.core.score.max"))
    scaled = None
    if raw is not None:
        span_low, span_high = low or 0.0, high if high is not None else 100.0
        scaled = (raw - span_low) / (span_high - span_low) if span_high > span_low else None
    progress = Progress(
        completion=completion,
        success=success,
        raw=raw,
        min=low,
        max=high,
        scaled=scaled,
        session_seconds=timespan_seconds(values.get("cmi.core.session_time", "")),
        exit=values.get("cmi.core.exit", ""),
    )
    for index in range(counts.get("cmi.interactions", 0)):
        prefix = f"cmi.interactions.{index}"
        latency = values.get(f"{prefix}.latency")
        kind = values.get(f"{prefix}.type", "")
        response = values.get(f"{prefix}.student_response")
        progress.interactions.append(
            Interaction(
                id=values.get(f"{prefix}.id", ""),
                type=kind,
                response=None if response is None else xapi_response_12(kind, response),
                result=values.get(f"{prefix}.result", ""),
                latency_seconds=timespan_seconds(latency) if latency else None,
                patterns=[
                    xapi_response_12(
                        kind, values.get(f"{prefix}.correct_responses.{n}.pattern", "")
                    )
                    for n in range(counts.get(f"{prefix}.correct_responses", 0))
                ],
                description="",
            )
        )
    for index in range(counts.get("cmi.objectives", 0)):
        prefix = f"cmi.objectives.{index}"
        status = values.get(f"{prefix}.status", "not attempted")
        raw = _number(values.get(f"{prefix}.score.raw"))
        progress.objectives.append(
            Objective(
                id=values.get(f"{prefix}.id", ""),
                completion="completed" if status in ("completed", "passed", "failed") else status,
                success=status if status in ("passed", "failed") else "unknown",
                scaled=raw / 100 if raw is not None and 0 <= raw <= 100 else None,
            )
        )
    return progress


def _read_2004(version: Version, values: dict[str, str], counts: dict[str, int]) -> Progress:
    def value(element: str) -> str | None:
        derived = version.derive(values, element)
        return derived if derived is not None else values.get(element)

    progress = Progress(
        completion=value("cmi.completion_status") or "unknown",
        success=value("cmi.success_status") or "unknown",
        raw=_number(values.get("cmi.score.raw")),
        min=_number(values.get("cmi.score.min")),
        max=_number(values.get("cmi.score.max")),
        scaled=_number(values.get("cmi.score.scaled")),
        progress_measure=_number(values.get("cmi.progress_measure")),
        session_seconds=iso_seconds(values.get("cmi.session_time", "")),
        exit=values.get("cmi.exit", ""),
    )
    for index in range(counts.get("cmi.interactions", 0)):
        prefix = f"cmi.interactions.{index}"
        latency = values.get(f"{prefix}.latency")
        progress.interactions.append(
            Interaction(
                id=values.get(f"{prefix}.id", ""),
                type=values.get(f"{prefix}.type", ""),
                response=values.get(f"{prefix}.learner_response"),
                result=values.get(f"{prefix}.result", ""),
                latency_seconds=iso_seconds(latency) if latency else None,
                patterns=[
                    values.get(f"{prefix}.correct_responses.{n}.pattern", "")
                    for n in range(counts.get(f"{prefix}.correct_responses", 0))
                ],
                description=values.get(f"{prefix}.description", ""),
            )
        )
    for index in range(counts.get("cmi.objectives", 0)):
        prefix = f"cmi.objectives.{index}"
        progress.objectives.append(
            Objective(
                id=values.get(f"{prefix}.id", ""),
                completion=values.get(f"{prefix}.completion_status", "unknown"),
                success=values.get(f"{prefix}.success_status", "unknown"),
                scaled=_number(values.get(f"{prefix}.score.scaled")),
            )
        )
    return progress

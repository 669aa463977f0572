"""The time an attempt allows (SCORM 1.2 `maxtimeallowed`, SCORM 2004 `cmi.max_time_allowed`) and
what happens when the learner's time in the attempt passes it (`time_limit_action`).

The standards leave the enforcing to the SCO; the LMS does it too, so that a SCO that ignores the
limit still stops. The learner's time is the attempt's earlier sessions plus the current one, each
counted by the server's clock or by the SCO's `session_time`, whichever is longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lms.runtime import progress

ACTIONS = ("exit,message", "exit,no message", "continue,message", "continue,no message")
DEFAULT_ACTION = "continue,no message"  # the SCORM 2004 default
# A commit may arrive a little after the limit without ending the session: the player's own exit
# (unloading the SCO, which saves on its way out) takes a moment. Past this, any commit ends it.
GRACE_SECONDS = 15.0
ENDED_BY = "time-limit"  # AttemptState.ended_by of an attempt the limit ended
# The exit of a SCO that left for the time limit: the same word in 1.2's cmi.core.exit and in
# 2004's cmi.exit (RTE 4.2.12).
TIME_OUT = "time-out"


def parse_action(text: str) -> str:
    """The action in the SCORM vocabulary, however spaced or capitalised (`Exit, Message`); the
    default when the manifest gave none or something else."""
    normal = re.sub(r"\s+", " ", re.sub(r"\s*,\s*", ",", (text or "").strip().lower()))
    return normal if normal in ACTIONS else DEFAULT_ACTION


@dataclass(frozen=True)
class TimeLimit:
    seconds: float
    action: str

    @property
    def exits(self) -> bool:
        """The learner is made to leave the SCO when the time is up."""
        return self.action.startswith("exit,")

    @property
    def tells(self) -> bool:
        """The learner is told that the time is up."""
        return self.action.endswith(",message")

    @property
    def acts(self) -> bool:
        """Anything happens at all when the time is up ("continue,no message" does nothing)."""
        return self.exits or self.tells

    def remaining(self, used: float) -> float:
        return max(0.0, self.seconds - used)

    def reached(self, used: float) -> bool:
        return used >= self.seconds

    def ends_session(self, used: float, ending: bool) -> bool:
        """Whether a commit made at `used` seconds ends the SCO session for the time limit: at
        once when the session was ending anyway (Terminate, a closing page), else after the
        grace the player's own exit needs."""
        return self.exits and self.reached(used - (0.0 if ending else GRACE_SECONDS))


def of(max_time_allowed: str, time_limit_action: str) -> TimeLimit | None:
    """The SCO's limit, or None when it has none (no duration, nonsense, or zero)."""
    seconds = progress.duration_seconds(max_time_allowed)
    if not seconds or seconds <= 0:
        return None
    return TimeLimit(seconds, parse_action(time_limit_action))


def session_seconds(started: str, until: datetime, reported: float) -> float:
    """A SCO session's time: the server's clock since the launch, or the SCO's own report when
    that is longer (a session launched before the clock was kept counts the report only)."""
    if not started:
        return reported
    return max(reported, (until - datetime.fromisoformat(started)).total_seconds())

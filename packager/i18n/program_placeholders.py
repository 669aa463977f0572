"""Placeholders that a program fills in: `%(count)s` (python-format) and `{title}`
(python-brace-format), as in the LMS's interface catalogs.

A translation that names a placeholder the program does not pass crashes the page that shows it,
so that is an error; leaving one out loses information, except in a plural form, where languages
often spell out "one" or "two" instead of the number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

# No space flag: in prose "50% of" is a percentage, not `% o`.
_PERCENT = re.compile(r"%(?:\((\w+)\))?[#0+-]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


def _percent(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in _PERCENT.finditer(text):
        if match.group(0) != "%%":
            found[match.group(0)] += 1
    return found


def _brace(text: str) -> Counter[str]:
    return Counter(f"{{{m.group(1)}}}" for m in _BRACE.finditer(text) if m.group(1) is not None)


def program_placeholder_problems(
    msgid: str, msgstr: str, flags: set[str] | frozenset[str], plural: bool = False
) -> Iterator[tuple[str, str]]:
    """(severity, problem) for the program placeholders of an entry flagged with their format."""
    kinds = [("python-format", _percent), ("python-brace-format", _brace)]
    for flag, find in kinds:
        if flag not in flags:
            continue
        source, target = find(msgid), find(msgstr)
        for name in sorted(target - source):
            yield "error", f"`{name}` is not in the source text: the program cannot fill it in"
        for name in sorted(source - target):
            severity = "warning" if plural else "error"
            yield severity, f"`{name}` is missing: keep it, the program puts the value there"

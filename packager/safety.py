"""Raw HTML in a course must not run script in a learner's browser or a partner's LMS."""

from __future__ import annotations

import re

_UNSAFE = (
    (
        re.compile(r"<\s*(script|iframe|object|embed|applet|base|meta|link|form)\b", re.I),
        "raw HTML <{0}> is not allowed: it could run script in the learner's browser",
    ),
    (
        re.compile(r"\son[a-z]+\s*=", re.I),
        "raw HTML event handler attribute is not allowed: it runs script",
    ),
    (
        re.compile(r"(?:javascript|vbscript)\s*:|data\s*:\s*text/html", re.I),
        "a `javascript:` (or similar) address is not allowed: it runs script",
    ),
)


def unsafe_html_reason(html: str) -> str | None:
    """Why this raw HTML would be unsafe, or None when it is harmless."""
    for pattern, message in _UNSAFE:
        found = pattern.search(html)
        if found:
            return message.format(found.group(1).lower() if found.groups() else "")
    return None

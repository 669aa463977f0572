"""Link and image targets swapped for numbered placeholders, so a translator cannot break a URL.

`[the commitments](02-commitments.md#social-inclusion)` becomes `[the commitments](%1)` in the
message; only a `%N` directly after `](` is a placeholder, so `50%` or `%1` in prose stay text.
`%1` is the Qt-style form that Poedit, Weblate and most CAT tools already highlight.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll

PLACEHOLDER = re.compile(r"(?<=\]\()%(\d+)(?=[\s)])")


@cache
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _targets_in(text: str) -> Counter[str]:
    """Normalised targets of the real links and images in `text` (not autolinks, not code)."""
    found: Counter[str] = Counter()
    for token in _inline_parser().parseInline(text, {}):
        for child in token.children or ():
            if child.type == "link_open" and child.markup != "autolink":
                found[str(child.attrGet("href") or "")] += 1
            elif child.type == "image":
                found[str(child.attrGet("src") or "")] += 1
    return found


def _destination_end(text: str, start: int) -> int:
    """Index just past the link destination that begins at `start` (CommonMark's rules)."""
    if start < len(text) and text[start] == "<":
        end = text.find(">", start)
        return len(text) if end < 0 else end + 1
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            i += 2
            continue
        if char.isspace() or (char == ")" and depth == 0):
            break
        depth += {"(": 1, ")": -1}.get(char, 0)
        i += 1
    return i


def protect(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with each link/image target replaced by `%1`, `%2`..., and the raw targets."""
    if "](" not in text:
        return text, ()
    expected = _targets_in(text)
    md = _inline_parser()
    out: list[str] = []
    targets: list[str] = []
    pos = 0
    for found in re.finditer(r"\]\(", text):
        start = found.end()
        if start < pos:
            continue
        end = _destination_end(text, start)
        raw = text[start:end]
        normalised = md.normalizeLink(unescapeAll(raw.removeprefix("<").removesuffix(">")))
        if not raw or expected[normalised] <= 0:
            continue
        expected[normalised] -= 1
        targets.append(raw)
        out.append(text[pos:start])
        out.append(f"%{len(targets)}")
        pos = end
    out.append(text[pos:])
    return "".join(out), tuple(targets)


def restore(text: str, targets: Sequence[str]) -> str:
    """The translated text with its placeholders turned back into the source's targets."""

    def target(found: re.Match[str]) -> str:
        n = int(found.group(1))
        return targets[n - 1] if 1 <= n <= len(targets) else found.group(0)

    return PLACEHOLDER.sub(target, text)


def placeholders(text: str) -> Counter[str]:
    return Counter(f"%{n}" for n in PLACEHOLDER.findall(text))


def protect_like(text: str, source_targets: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """`text` with placeholders numbered as in its source, whatever order the links now come in.

    Returns the message and the targets that the source text does not have (a changed URL).
    """
    message, targets = protect(text)
    free = list(enumerate(source_targets, start=1))
    numbers: dict[int, int] = {}
    unknown: list[str] = []
    for n, target in enumerate(targets, start=1):
        match = next((pair for pair in free if pair[1] == target), None)
        if match is None:
            unknown.append(target)
            continue
        free.remove(match)
        numbers[n] = match[0]

    def renumber(found: re.Match[str]) -> str:
        return f"%{numbers.get(int(found.group(1)), int(found.group(1)))}"

    return PLACEHOLDER.sub(renumber, message), tuple(unknown)

"""`check --write-ids`: fixes derived question ids in the source so they never change again."""

from __future__ import annotations

import re
from pathlib import Path

from packager.module_parser import ParsedModule


def write_ids(parsed: list[ParsedModule]) -> list[tuple[Path, int, str]]:
    """Adds `{#id}` to each header line that lacks one; returns (path, line, id) per change."""
    written = []
    for p in parsed:
        if not p.unnamed_questions:
            continue
        lines = p.module.path.read_text(encoding="utf-8").splitlines(keepends=True)
        for line, qid in p.unnamed_questions:
            lines[line - 1] = _with_id(lines[line - 1], qid)
            written.append((p.module.path, line, qid))
        p.module.path.write_text("".join(lines), encoding="utf-8")
    return written


def _with_id(header: str, qid: str) -> str:
    body = header.rstrip("\r\n")
    ending = header[len(body) :]
    if re.search(r"\{[^}]*\}", body):
        return re.sub(r"\{", "{#" + qid + " ", body, count=1).replace(" }", "}") + ending
    return f"{body} {{#{qid}}}{ending}"

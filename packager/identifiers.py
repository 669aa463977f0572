"""The one home of Mafunzo's identifier scheme (see DESIGN.md): the same IRIs in every format."""

from __future__ import annotations

import re
import unicodedata


def module_iri(course_iri: str, module_slug: str) -> str:
    return f"{course_iri.rstrip('/')}/{module_slug}"


def question_iri(module_iri_: str, question_id: str) -> str:
    return f"{module_iri_}#{question_id}"


def slugify(text: str) -> str:
    """A heading's anchor: lower case, punctuation dropped, spaces to hyphens (GitHub's rule)."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return re.sub(r" ", "-", text)

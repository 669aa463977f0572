"""Course to HTML, shared by every output format: a format only decides how files are packaged."""

from packager.render.document import (
    DocumentPlan,
    RenderedCourse,
    RenderedDocument,
    Runtime,
    render_course,
    scored_questions,
)

__all__ = [
    "DocumentPlan",
    "RenderedCourse",
    "RenderedDocument",
    "Runtime",
    "render_course",
    "scored_questions",
]

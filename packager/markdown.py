"""The one Markdown dialect of Mafunzo: CommonMark plus tables and `::: question` containers."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin


@cache
def markdown() -> MarkdownIt:
    """The shared parser; the loader and the renderer must agree on what the source means."""
    md = MarkdownIt("commonmark").enable("table")
    md.use(container_plugin, "question")
    return md

"""Inline Markdown to HTML, with links and images moved from source paths to package paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

md = MarkdownIt("commonmark").enable("table")


def dom_id(module_slug: str, anchor: str) -> str:
    """An element id unique in a document that may hold several modules."""
    return f"{module_slug}--{anchor}"


@dataclass(frozen=True)
class LinkTarget:
    href: str  # "media/x.pdf", "#slug--anchor" or "other.html#slug--anchor"
    module: str | None = None  # the linked module's slug when the link goes to a module
    module_title: str | None = None


Resolver = Callable[[str], LinkTarget | None]


class LinkMap:
    """Where each module's pages landed, so a source link `02-x.md#a` finds its package href."""

    def __init__(self) -> None:
        # file name -> slug, document, title, anchor of the module's first page
        self._by_file: dict[str, tuple[str, str, str, str]] = {}

    def add(self, file_name: str, slug: str, title: str, document: str, first: str) -> None:
        self._by_file[file_name] = (slug, document, title, first)

    def resolver(self, module_slug: str, document: str) -> Resolver:
        """Resolves hrefs written in `module_slug`'s source, for HTML placed in `document`."""

        def resolve(href: str) -> LinkTarget | None:
            if not href or _SCHEME.match(href) or href.startswith("//"):
                return None
            path, _, anchor = href.partition("#")
            if not path:
                return LinkTarget(f"#{dom_id(module_slug, anchor)}")
            name = posixpath.basename(path)
            if path.endswith(".md") and name in self._by_file:
                slug, target_doc, title, first = self._by_file[name]
                fragment = f"#{dom_id(slug, anchor or first)}"
                if target_doc == document:
                    return LinkTarget(fragment)
                return LinkTarget(f"{target_doc}{fragment}", slug, title)
            course_path = posixpath.normpath(posixpath.join("modules", path))
            return LinkTarget(course_path + (f"#{anchor}" if anchor else ""))

        return resolve


def render_inline(text: str, resolve: Resolver) -> str:
    """One line of inline Markdown as HTML; relative links and images point into the package."""
    tokens = md.parseInline(text, {})
    for token in tokens:
        for child in token.children or []:
            _rewrite(child, resolve)
    return md.renderer.render(tokens, md.options, {})


def _rewrite(token: Token, resolve: Resolver) -> None:
    attribute = {"link_open": "href", "image": "src"}.get(token.type)
    if attribute is None:
        return
    target = resolve(str(token.attrGet(attribute) or ""))
    if target is None:
        return
    token.attrSet(attribute, target.href)
    if target.module is not None:
        token.attrSet("data-module", target.module)
        token.attrSet("data-module-title", target.module_title or "")

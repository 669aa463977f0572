"""A course in each language its packages name: what the build hands a format for language maps.

The build reads the translations once (packager.build.complete_translations) and gives every
format the result, so a format writes titles and descriptions in every language without reading
a source or a .po file itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from packager.model import Course


def package_language(course: Course) -> str:
    """The language a course instance is in: its translation's, or the sources'."""
    return course.language or course.source_language


@dataclass(frozen=True)
class CourseTexts:
    """The course in every language whose translation is complete, the source language included.

    An incomplete translation is left out: it would mix languages inside one language map.
    """

    courses: tuple[Course, ...] = ()  # one per language, each in its own language

    def for_package(self, course: Course) -> dict[str, Course]:
        """Language -> the course in it, for a package of `course`.

        `course` itself stands for its own language (a partial translation included) and comes
        first: a reader that takes the first string of a language map (as many LMSs do with
        cmi5.xml and tincan.xml) then shows the package's own language. The other languages
        follow in the order of their tags.
        """
        language = package_language(course)
        others = {package_language(c): c for c in self.courses if package_language(c) != language}
        return {language: course, **dict(sorted(others.items()))}


OWN_LANGUAGE_ONLY = CourseTexts()  # no translations given: a package names its own language only

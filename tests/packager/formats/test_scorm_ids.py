"""Interaction ids: derived from question IRIs, valid in each standard, distinct when IRIs are."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from packager.formats.scorm_common import SCORM12, SCORM2004, interaction_id, xml_id

CMI_IDENTIFIER = re.compile(r"^[\x21-\x7e]{1,255}$")  # SCORM 1.2: printable, no white space
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$")


def test_an_ascii_iri_is_its_own_id() -> None:
    iri = "https://learn.example.org/courses/nua/what-is-the-nua#adoption"
    assert interaction_id(iri, SCORM12.identifier) == iri
    assert interaction_id(iri, SCORM2004.identifier) == iri


def test_other_characters_are_percent_encoded_as_utf8() -> None:
    iri = "https://learn.example.org/cours/ville durable#qualité"
    assert interaction_id(iri, 255) == (
        "https://learn.example.org/cours/ville%20durable#qualit%C3%A9"
    )


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400),
)
def test_ids_are_valid_and_distinct_in_both_standards(a: str, b: str) -> None:
    for limits in (SCORM12, SCORM2004):
        first = interaction_id(f"https://example.org/c/{a}", limits.identifier)
        second = interaction_id(f"https://example.org/c/{b}", limits.identifier)
        assert len(first) <= limits.identifier
        assert CMI_IDENTIFIER.match(first) if limits is SCORM12 else URI.match(first)
        assert (first == second) == (a == b)


def test_manifest_ids_are_xml_names() -> None:
    assert re.match(r"^[A-Za-z_][\w.-]*$", xml_id("item", "01 módulo:x"))

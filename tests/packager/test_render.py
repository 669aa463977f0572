"""The HTML every format ships: what a learner, a screen reader and an LMS frame meet."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from lxml import html

from packager.loader import load_course
from packager.model import Course
from packager.render import DocumentPlan, Runtime, render_course
from packager.render.state import SHORT_ANSWER_MAX, state_length

TINY = Path(__file__).parent / "fixtures" / "tiny-course"


@pytest.fixture(scope="module")
def tiny() -> Course:
    course, diagnostics = load_course(TINY)
    assert course is not None, diagnostics
    return course


def single(course: Course) -> tuple[html.HtmlElement, dict[str, bytes]]:
    rendered = render_course(course, (DocumentPlan("index.html", course.modules),), Runtime())
    return html.fromstring(rendered.files["index.html"]), rendered.files


def per_module(course: Course) -> dict[str, bytes]:
    plans = tuple(DocumentPlan(f"{m.slug}.html", (m,)) for m in course.modules)
    return render_course(course, plans, Runtime()).files


def test_every_page_has_exactly_one_h1_and_a_toc_entry(tiny: Course) -> None:
    page, _ = single(tiny)
    sections = page.xpath("//section[@class='page']")
    assert len(sections) == sum(len(m.pages) for m in tiny.modules)
    for section in sections:
        assert len(section.xpath(".//h1")) == 1
        assert page.xpath(f'//nav[@id="toc"]//a[@href="#{section.get("id")}"]')
    titles = [s.xpath(".//h1")[0].text_content() for s in sections]
    assert titles[:3] == ["Basics", "A picture", "Practice"]


def test_content_headings_sit_below_the_page_title(tiny: Course) -> None:
    page, _ = single(tiny)
    details = page.get_element_by_id("basics--details")
    assert details.tag == "h2"


def test_html_carries_language_and_direction(tiny: Course) -> None:
    page, _ = single(tiny)
    assert (page.get("lang"), page.get("dir")) == ("en", "ltr")
    arabic, _ = single(dataclasses.replace(tiny, language="ar"))
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    assert arabic.xpath("//button[@class='check']")[0].text_content() == "تحقق من الإجابة"
    true_false = arabic.xpath('//label[@for="basics--q-sky-true"]')[0].text_content()
    assert true_false == "صحيح"


def test_questions_are_fieldsets_with_a_legend_and_a_live_feedback_region(tiny: Course) -> None:
    page, _ = single(tiny)
    forms = page.xpath("//form[@class='question']")
    assert len(forms) == len(tiny.questions)
    for form in forms:
        legend = form.xpath("fieldset/legend")
        assert legend and legend[0].text_content().strip()
        assert form.xpath('div[@class="feedback"][@aria-live="polite"]')
        assert form.xpath('button[@type="submit"]')
        for control in form.xpath(".//input|.//select"):
            assert page.xpath(f'//label[@for="{control.get("id")}"]') or control.get("aria-label")
    kinds = {
        form.get("id"): sorted({c.get("type") or c.tag for c in form.xpath(".//input|.//select")})
        for form in forms
    }
    assert kinds == {
        "basics--q-sky": ["radio"],
        "quiz--q-capital": ["radio"],
        "quiz--q-primes": ["checkbox"],
        "quiz--q-host": ["text"],
        "quiz--q-years": ["select"],
        "quiz--q-sequence": ["select"],
    }
    text = page.get_element_by_id("quiz--q-host-text")
    assert text.get("maxlength") == str(SHORT_ANSWER_MAX)


def test_matching_and_ordering_do_not_give_the_answer_away(tiny: Course) -> None:
    page, _ = single(tiny)
    years = [o.get("value") for o in page.get_element_by_id("quiz--q-years-a").xpath("option")]
    assert years[0] == "" and years[1:] != ["a", "b", "c"]
    selects = page.get_element_by_id("quiz--q-sequence").xpath(".//select")
    order = [s.get("data-item") for s in selects]
    assert sorted(order) == ["a", "b", "c"] and order != ["a", "b", "c"]


def test_images_keep_their_alt_text_and_point_into_the_package(tiny: Course) -> None:
    page, files = single(tiny)
    images = page.xpath("//img")
    assert [(i.get("src"), i.get("alt")) for i in images] == [
        ("media/square.svg", "A blue square on white")
    ]
    assert "media/square.svg" in files


def test_links_to_modules_follow_the_layout(tiny: Course) -> None:
    page, _ = single(tiny)
    hrefs = [a.get("href") for a in page.xpath("//section//a")]
    assert hrefs[:2] == ["#quiz--quiz", "#quiz--matching"]
    assert "#basics--a-picture" in hrefs and "https://example.org/page?a=1&b=2" in hrefs
    basics = html.fromstring(per_module(tiny)["basics.html"])
    link = basics.xpath("//section//a")[1]
    assert (link.get("href"), link.get("data-module")) == ("quiz.html#quiz--matching", "quiz")


def test_nothing_is_fetched_from_outside_the_package(tiny: Course) -> None:
    page, files = single(tiny)
    for element, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        for node in page.xpath(f"//{element}[@{attribute}]"):
            value = node.get(attribute)
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I), value
            assert value in files
    css = files["mafunzo.css"].decode()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_the_state_length_is_fixed_by_the_questions(tiny: Course) -> None:
    page, _ = single(tiny)
    data = json.loads(page.get_element_by_id("mafunzo-data").text)
    pages = sum(len(m.pages) for m in tiny.modules)
    assert data["stateLength"] == state_length(pages, tiny.questions)
    assert data["stateLength"] == 1 + 2 + sum(q["slot"] for q in data["questions"])
    # only the assessment's questions decide passing
    assert [data["questions"][k]["iri"].rsplit("#")[1] for k in data["scored"]] == [
        "capital",
        "primes",
        "host",
        "years",
        "sequence",
    ]
    assert data["mastery"] == 0.75


def test_page_data_cannot_close_its_script_element(tiny: Course) -> None:
    course = dataclasses.replace(tiny, title="</script><script>alert(1)</script>")
    raw = render_course(course, (DocumentPlan("index.html", course.modules),), Runtime())
    text = raw.files["index.html"].decode()
    assert text.count("<script") == 2  # the data and mafunzo.js


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_contrast(tiny: Course) -> None:
    _, files = single(tiny)
    css = files["mafunzo.css"].decode()
    palette = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    white = "#ffffff"
    text_pairs = [
        (palette["ink"], palette["paper"]),
        (palette["muted"], palette["paper"]),
        (palette["muted"], palette["tint"]),
        (palette["accent"], palette["paper"]),
        (palette["accent"], palette["tint"]),
        (white, palette["accent"]),
        (palette["good"], palette["paper"]),
        (palette["bad"], palette["paper"]),
        ("#3d4650", "#e4e7eb"),  # disabled buttons
        (palette["ink"], "#fff4d6"),  # the notice
    ]
    for foreground, background in text_pairs:
        assert contrast(foreground, background) >= 4.5, (foreground, background)
    assert contrast(palette["focus"], palette["paper"]) >= 3  # the focus ring, a graphic
    assert contrast(palette["focus"], palette["tint"]) >= 3

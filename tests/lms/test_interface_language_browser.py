"""In headless Chromium the Arabic LMS reads right to left, its menu on the right-hand side."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

LAYOUT = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const nav = box('header.site nav'), brand = box('.brand');
  return {
    direction: getComputedStyle(document.body).direction,
    width: document.documentElement.clientWidth,
    nav: [nav.left, nav.right], brand: [brand.left, brand.right],
  };
}"""


def _layout(browser: Any, url: str, accept: str) -> dict[str, Any]:
    context = browser.new_context(
        viewport={"width": 1000, "height": 700}, extra_http_headers={"Accept-Language": accept}
    )
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(LAYOUT)
    finally:
        context.close()


def test_the_arabic_interface_mirrors_the_english_one(browser: Any, lms_server: str) -> None:
    arabic = _layout(browser, f"{lms_server}/account/login", "ar")
    english = _layout(browser, f"{lms_server}/account/login", "en")
    assert (arabic["direction"], english["direction"]) == ("rtl", "ltr")
    middle = arabic["width"] / 2
    assert arabic["brand"][1] > arabic["width"] - 40, arabic  # the name starts at the right edge
    assert arabic["nav"][1] <= arabic["brand"][0], arabic  # the menu follows it leftwards
    assert sum(arabic["nav"]) / 2 > middle, arabic  # ...on the right-hand side
    assert english["brand"][0] < 40 and sum(english["nav"]) / 2 < middle, english


PHONE = """() => {
  const width = document.documentElement.clientWidth;
  const edges = [...document.querySelectorAll('main *, footer *')]
    .map((element) => element.getBoundingClientRect())
    .filter((box) => box.width > 0);
  return {
    width: width,
    scroll: document.documentElement.scrollWidth,
    left: Math.min(...edges.map((box) => box.left)),
    right: Math.max(...edges.map((box) => box.right)),
    buttons: [...document.querySelectorAll('.player-actions .button, .player-actions button')]
      .map((button) => button.getBoundingClientRect().height),
  };
}"""


@pytest.mark.parametrize("width", [320, 360])
def test_arabic_pages_fit_a_phone(
    browser: Any, lms_server: str, busy_site: Any, width: int
) -> None:
    """Nothing sticks out of either side; no player button label takes more than two lines."""
    learner = busy_site.learner
    learner.post("/language", ui_language="ar", next="/")
    cookie = learner.client.get_cookie("session")
    assert cookie is not None
    context = browser.new_context(viewport={"width": width, "height": 700})
    try:
        context.add_cookies([{"name": "session", "value": cookie.value, "url": lms_server}])
        page = context.new_page()
        for path in ("/", "/my-learning", f"/courses/{busy_site.course}/play"):
            page.goto(f"{lms_server}{path}")
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
            layout = page.evaluate(PHONE)
            assert layout["scroll"] == layout["width"], (path, layout)
            assert layout["left"] >= 4 and layout["right"] <= width - 4, (path, layout)
            assert all(height < 80 for height in layout["buttons"]), (path, layout["buttons"])
    finally:
        context.close()

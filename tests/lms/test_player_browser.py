"""End to end in headless Chromium: a learner registers, enrols, plays a SCO through our JS API
adapter, closes the page, resumes on the same page, and passes."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.fixtures.browser import signed_in
from tests.fixtures.lms_learning import import_course, stored_statements, verbs
from tests.fixtures.scorm_packages import (
    INTERACTIVE_SCO,
    SCORM2004_MANIFEST,
    scorm2004_files,
    write_zip,
)
from tests.fixtures.waiting import eventually, my_learning_settles

pytestmark = pytest.mark.browser


def registration_of(page: Any) -> str:
    """The registration the player page commits under (its commit URL is /runtime/<it>/calls)."""
    return page.evaluate(
        "JSON.parse(document.getElementById('player-config').textContent).commitUrl"
    ).split("/")[2]


def two_second_course(lms: Flask, tmp_path: Path) -> int:
    """A SCORM 2004 course whose quiz SCO allows two seconds, exit,message."""
    manifest = SCORM2004_MANIFEST.replace(
        'attemptAbsoluteDurationLimit="PT1H"', 'attemptAbsoluteDurationLimit="PT2S"'
    )
    return import_course(lms, tmp_path / "timed-scorm2004-en.zip", scorm2004_files(manifest))


class FrozenClock:
    """The page's clock stands still, however slow the machine, until `pass_the_limit`: real
    time then runs past the two seconds (the server judges by its own clock), and the page's
    clock is moved on past them too."""

    def __init__(self, page: Any) -> None:
        self.page = page
        now = datetime.now()
        page.clock.install(time=now)
        page.clock.pause_at(now + timedelta(milliseconds=10))
        self.started = time.monotonic()

    def pass_the_limit(self) -> None:
        time.sleep(max(0.0, 2.5 - (time.monotonic() - self.started)))  # not a wait for an effect
        self.page.clock.fast_forward("00:03")


def test_register_enrol_play_close_resume_and_pass(
    lms: Flask, courses: dict[str, int], lms_server: str, browser
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{lms_server}/account/register")
        page.fill("input[name=email]", "nadia@example.org")
        page.fill("input[name=password]", "a long passphrase")
        page.fill("input[name=name]", "Nadia")
        page.select_option("select[name=language]", "en")
        page.fill("input[name=country]", "MA")
        page.click("button[type=submit]")
        page.wait_for_url(f"{lms_server}/")
        page.select_option("select[name=language]", "en")
        page.click("text=Enrol")
        page.wait_for_url(f"{lms_server}/my-learning")
        page.click(f"a[href*='/courses/{courses['course']}/play']")
        page.click("a:has-text('Final quiz')")
        sco = page.frame_locator("#sco-frame")
        sco.locator("#status").get_by_text("running").wait_for()
        assert sco.locator("#entry").inner_text() == "ab-initio"
        sco.locator("#next").click()
        sco.locator("#next").click()
        assert sco.locator("#page").inner_text() == "3"
        sco.locator("#answer").click()
        sco.locator("#status").get_by_text("answered").wait_for()
        registration = registration_of(page)
        page.close(run_before_unload=True)

        eventually(
            lambda: "suspended" in verbs(stored_statements(lms, registration)),
            "the commit on page close reached the LRS",
        )

        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{lms_server}/my-learning")
        page.click("text=Resume")
        sco = page.frame_locator("#sco-frame")
        sco.locator("#status").get_by_text("running").wait_for()
        assert sco.locator("#entry").inner_text() == "resume"
        assert sco.locator("#page").inner_text() == "3"
        sco.locator("#finish").click()
        sco.locator("#status").get_by_text("finished 0").wait_for()
        eventually(
            lambda: "terminated" in verbs(stored_statements(lms, registration)),
            "the termination reached the LRS",
        )
        my_learning_settles(page, lms_server, ("in progress", "90%"))  # two SCOs still to do
        assert errors == []
    finally:
        context.close()

    statements = stored_statements(lms, registration)
    assert verbs(statements) == [
        "initialized",
        "responded",
        "suspended",
        "resumed",
        "scored",
        "completed",
        "passed",
        "terminated",
    ]
    assert statements[1]["result"]["response"] == "true"
    final = statements[-1]["result"]
    assert final["success"] is True and final["completion"] is True
    assert final["score"] == {"scaled": 0.9}


def test_the_player_fits_a_phone_and_warns_when_the_lesson_window_is_blocked(
    courses: dict[str, int],
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    learner.enrol(courses["course"])
    with signed_in(
        browser, learner, lms_server, viewport={"width": 360, "height": 740}, is_mobile=True
    ) as context:
        page = context.new_page()
        page.goto(f"{lms_server}/courses/{courses['course']}/play?sco=quiz")
        page.frame_locator("#sco-frame").locator("#status").get_by_text("running").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        frame = page.locator("#sco-frame").bounding_box()
        assert frame is not None and frame["width"] >= 300 and frame["height"] >= 400
        # New-window mode: the lesson in its own window finds the API through its opener.
        with context.expect_page() as opened:
            page.click("#new-window")
        lesson = opened.value
        lesson.locator("#status").get_by_text("running").wait_for()
        assert "quiz.html" in lesson.url
        # A browser that blocks the window gets a warning instead (window.open answers null).
        page.add_init_script("window.open = function () { return null; };")
        page.reload()
        notice = page.locator("#player-notice")
        notice.wait_for()
        assert "blocked the lesson's window" in notice.inner_text()


def test_a_sco_navigation_request_takes_the_learner_to_the_chosen_sco(
    courses: dict[str, int],
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    learner.enrol(courses["course"])
    with signed_in(browser, learner, lms_server) as context:
        page = context.new_page()
        page.goto(f"{lms_server}/courses/{courses['course']}/play?sco=intro")
        answers = page.evaluate(
            """() => [API_1484_11.Initialize(""),
                      API_1484_11.GetValue("adl.nav.request_valid.continue"),
                      API_1484_11.SetValue("adl.nav.request", "{target=quiz}choice"),
                      API_1484_11.Terminate("")]"""
        )
        assert answers == ["true", "true", "true", "true"]
        page.wait_for_url("**sco=quiz**")
        page.frame_locator("#sco-frame").locator("#status").get_by_text("running").wait_for()


@pytest.mark.parametrize("exit_value", ["time-out", "logout"])
def test_a_sco_leaving_with_a_time_out_or_logout_exits_the_course_whatever_it_requested(
    courses: dict[str, int],
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
    exit_value: str,
) -> None:
    """SCORM 2004 processes Exit All for these exits: back to My learning, not to the next SCO."""
    learner.enrol(courses["course"])
    with signed_in(browser, learner, lms_server) as context:
        page = context.new_page()
        page.goto(f"{lms_server}/courses/{courses['course']}/play?sco=intro")
        answers = page.evaluate(
            f"""() => [API_1484_11.Initialize(""),
                      API_1484_11.SetValue("cmi.exit", "{exit_value}"),
                      API_1484_11.SetValue("adl.nav.request", "continue"),
                      API_1484_11.Terminate("")]"""
        )
        assert answers == ["true", "true", "true", "true"]
        page.wait_for_url(f"{lms_server}/my-learning")


def test_a_lesson_reopened_elsewhere_makes_the_old_page_fail_its_commits(
    courses: dict[str, int],
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    """The server refuses the old page's data (409); its adapter then answers Commit with 391
    and Terminate with 111, and tells the learner, instead of pretending all is saved."""
    learner.enrol(courses["course"])
    with signed_in(browser, learner, lms_server) as context:
        old = context.new_page()
        old.goto(f"{lms_server}/courses/{courses['course']}/play?sco=intro")
        assert old.evaluate('() => API_1484_11.Initialize("")') == "true"
        newer = context.new_page()
        newer.goto(f"{lms_server}/courses/{courses['course']}/play?sco=intro")
        old.evaluate('() => API_1484_11.SetValue("cmi.location", "p3")')
        old.evaluate('() => API_1484_11.Commit("")')
        notice = old.locator("#player-notice")
        notice.get_by_text("opened again").wait_for()
        answers = old.evaluate(
            """() => [API_1484_11.Commit(""), API_1484_11.GetLastError(),
                      API_1484_11.Terminate(""), API_1484_11.GetLastError()]"""
        )
        assert answers == ["false", "391", "false", "111"]


def test_an_administrator_uploads_a_package_with_progress_in_the_browser(
    make_learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
    scorm12_zip: Path,
    tmp_path: Path,
) -> None:
    admin = make_learner("root@example.org", role="administrator")
    bomb = write_zip(tmp_path / "bomb.zip", {"imsmanifest.xml": "<m/>", "z": b"\0" * 3_000_000})
    with signed_in(browser, admin, lms_server) as context:
        page = context.new_page()
        page.goto(f"{lms_server}/manage/upload")
        page.set_input_files("input[name=package]", str(scorm12_zip))
        page.click("#upload-form button[type=submit]")
        status = page.locator("#upload-status")
        status.get_by_text("Imported").wait_for()
        assert "1 launchable item)" in status.inner_text()
        assert page.locator("#upload-progress").get_attribute("hidden") is None
        page.set_input_files("input[name=package]", str(bomb))
        page.click("#upload-form button[type=submit]")
        status.get_by_text("zip bomb").wait_for()
        assert "bomb.zip" in status.inner_text()


def test_a_sco_whose_time_is_up_is_closed_with_a_message_and_its_answer_kept(
    lms: Flask,
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """exit,message with two seconds allowed: the player unloads the SCO (which saves as it goes),
    the server ends the attempt with a time-out, and the learner is told why, in an alert."""
    course_id = two_second_course(lms, tmp_path)
    learner.enrol(course_id)
    with signed_in(browser, learner, lms_server) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        clock = FrozenClock(page)
        page.goto(f"{lms_server}/courses/{course_id}/play?sco=quiz")
        sco = page.frame_locator("#sco-frame")
        sco.locator("#status").get_by_text("running").wait_for()
        sco.locator("#answer").click()
        sco.locator("#status").get_by_text("answered").wait_for()
        clock.pass_the_limit()
        notice = page.get_by_role("alert").filter(has_text="Time is up")
        notice.wait_for()
        assert "this lesson allows 2 seconds" in notice.inner_text()
        assert page.evaluate("document.activeElement.id") == "time-up"
        assert page.locator("#sco-frame").count() == 0
        assert page.evaluate('() => API_1484_11.SetValue("cmi.location", "p9")') == "false"
        registration = registration_of(page)
        eventually(
            lambda: "terminated" in verbs(stored_statements(lms, registration)),
            "the session ended by the time limit reached the LRS",
        )
        assert verbs(stored_statements(lms, registration)) == [
            "initialized",
            "responded",
            "terminated",
        ]
        state = learner.client.get(f"/runtime/{registration}").json
        assert state["values"]["cmi.exit"] == "time-out"  # the SCO's own exit was suspend
        notice.get_by_role("link", name="Back to My learning").click()
        page.wait_for_url(f"{lms_server}/my-learning")
        assert errors == []


def test_a_lesson_window_whose_time_is_up_saves_on_its_way_out(
    lms: Flask,
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """New-window mode: a window closes after the player's task, not at once as a frame does, so
    the session ends only once the SCO has saved on its way out (its pagehide)."""
    saving = INTERACTIVE_SCO.replace(
        'window.addEventListener("pagehide", function () { api.Commit(""); });',
        'window.addEventListener("pagehide", function () {'
        ' api.SetValue("cmi.location", "left"); api.Commit(""); });',
    )
    assert saving != INTERACTIVE_SCO
    files = {**scorm2004_files(), "quiz.html": saving}  # the quiz allows an hour, exit,message
    course_id = import_course(lms, tmp_path / "windowed-scorm2004-en.zip", files)
    learner.enrol(course_id)
    with signed_in(browser, learner, lms_server) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.clock.install()  # the hour is moved on below, not waited for
        with context.expect_page() as opened:
            page.goto(f"{lms_server}/courses/{course_id}/play?sco=quiz&window=1")
        lesson = opened.value
        lesson.locator("#status").get_by_text("running").wait_for()
        page.clock.fast_forward("01:00:01")
        # The alert comes once the server has acknowledged every batch.
        page.get_by_role("alert").filter(has_text="Time is up").wait_for()
        assert lesson.is_closed()
        registration = registration_of(page)
        state = learner.client.get(f"/runtime/{registration}").json
        assert state["values"]["cmi.location"] == "left"
        assert errors == []


def test_a_time_up_alert_does_not_claim_the_work_was_saved_when_the_server_refused_it(
    lms: Flask,
    learner,  # type: ignore[no-untyped-def]
    lms_server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """The lesson was opened again in another tab, so this page's data is refused (409); when
    its time then runs out, the alert says the lesson closed, not that the work is saved."""
    course_id = two_second_course(lms, tmp_path)
    learner.enrol(course_id)
    with signed_in(browser, learner, lms_server) as context:
        old = context.new_page()
        clock = FrozenClock(old)
        old.goto(f"{lms_server}/courses/{course_id}/play?sco=quiz")
        old.frame_locator("#sco-frame").locator("#status").get_by_text("running").wait_for()
        newer = context.new_page()
        newer.goto(f"{lms_server}/courses/{course_id}/play?sco=quiz")
        old.frame_locator("#sco-frame").locator("#answer").click()
        old.locator("#player-notice").get_by_text("opened again").wait_for()
        clock.pass_the_limit()
        notice = old.get_by_role("alert").filter(has_text="Time is up")
        notice.wait_for()
        assert "It has closed." in notice.inner_text()
        assert "saved" not in notice.inner_text()

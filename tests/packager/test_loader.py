"""The loader turns a course folder into a Course, or names every mistake with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.diagnostics import Diagnostic, Severity
from packager.loader import load_course
from packager.model import QuestionType
from tests.fixtures.courses import COURSE_YAML, INTRO, QUIZ, SAMPLE_COURSE


def messages(diagnostics: list[Diagnostic], severity: Severity = Severity.ERROR) -> list[str]:
    return [
        f"{Path(d.path).name}:{d.line}: {d.message}" for d in diagnostics if d.severity is severity
    ]


def errors_of(root: Path) -> list[str]:
    course, diagnostics = load_course(root)
    assert course is None, "a course with errors must not be returned"
    return messages(diagnostics)


@pytest.fixture(scope="module")
def sample_course():
    course, diagnostics = load_course(SAMPLE_COURSE)
    assert course is not None, "\n".join(map(str, diagnostics))
    return course


class TestSampleCourse:
    @pytest.fixture
    def course(self, sample_course):
        return sample_course

    def test_has_at_least_five_teaching_modules_and_a_final_assessment(self, course):
        teaching = [m for m in course.modules if not m.assessment]
        assert len(teaching) >= 5
        assert course.assessment is course.modules[-1]
        assert course.mastery_score == 0.8

    def test_every_module_has_objectives_a_diagram_and_a_quiz_of_four(self, course):
        for module in course.modules:
            assert module.objectives, module.slug
            assert len(module.questions) >= 4, module.slug
            if not module.assessment:
                images = [b for p in module.pages for b in p.blocks if type(b).__name__ == "Image"]
                assert any(i.src.endswith(".svg") and i.alt for i in images), module.slug

    def test_every_choice_question_has_a_right_answer(self, course):
        for question in course.questions:
            if question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
                assert len(question.correct_choices) == 1, question.iri
            elif question.type is QuestionType.MULTIPLE:
                assert question.correct_choices, question.iri
            elif question.type is QuestionType.SHORT:
                assert question.answers, question.iri

    def test_identifiers_follow_the_course_iri(self, course):
        module = course.modules[0]
        assert module.iri == f"{course.id}/{module.slug}"
        question = module.questions[0]
        assert question.iri == f"{module.iri}#{question.id}"
        assert len({q.id for q in course.questions}) == len(course.questions)

    def test_is_offered_in_the_six_un_languages(self, course):
        assert set(course.languages) == {"ar", "zh", "en", "fr", "ru", "es"}
        assert course.source_language == "en"


class TestModelShape:
    def test_pages_split_at_level_two_headings(self, write_course):
        course, _ = load_course(write_course())
        intro = course.modules[0]
        assert [p.title for p in intro.pages] == ["Introduction", "Second page"]
        assert [p.id for p in intro.pages] == ["introduction", "second-page"]

    def test_a_module_that_starts_with_a_heading_has_no_empty_opening_page(self, write_course):
        course, _ = load_course(write_course())
        assert [p.title for p in course.modules[1].pages] == ["The quiz"]

    def test_question_keeps_choices_feedback_and_weight(self, write_course):
        course, _ = load_course(write_course())
        question = course.questions[0]
        assert question.type is QuestionType.SINGLE
        assert [(c.id, c.text, c.correct, c.feedback) for c in question.choices] == [
            ("a", "Right", True, "Well done."),
            ("b", "Wrong", False, "Not this one."),
        ]
        assert question.feedback == "The right one was right."
        assert question.weight == 1.0

    @pytest.mark.parametrize(
        ("source", "expected_type"),
        [
            (
                "::: question {#q weight=2}\nPick.\n\n- [x] A\n- [x] B\n- [ ] C\n:::\n",
                QuestionType.MULTIPLE,
            ),
            (
                "::: question true-false {#q}\nSky is blue.\n\n- (x) True\n- ( ) False\n:::\n",
                QuestionType.TRUE_FALSE,
            ),
            (
                "::: question short {#q case-sensitive}\nCity?\n\n= Quito\n= San Francisco\n:::\n",
                QuestionType.SHORT,
            ),
            (
                "::: question matching {#q}\nMatch.\n\n"
                "- Habitat I -> 1976\n- Habitat II -> 1996\n:::\n",
                QuestionType.MATCHING,
            ),
            (
                "::: question ordering {#q}\nOrder.\n\n1. First\n2. Second\n3. Third\n:::\n",
                QuestionType.ORDERING,
            ),
        ],
    )
    def test_each_question_type_is_read(self, write_course, source, expected_type):
        module = "---\ntitle: Q\nobjectives: [x]\nassessment: true\n---\n\n## The quiz\n\n" + source
        course, diagnostics = load_course(
            write_course(modules={"01-intro.md": INTRO, "02-quiz.md": module})
        )
        assert course is not None, diagnostics
        question = course.questions[0]
        assert question.type is expected_type
        if expected_type is QuestionType.MULTIPLE:
            assert [c.id for c in question.correct_choices] == ["a", "b"]
            assert question.weight == 2.0
        if expected_type is QuestionType.TRUE_FALSE:
            assert [(c.id, c.correct) for c in question.choices] == [
                ("true", True),
                ("false", False),
            ]
        if expected_type is QuestionType.SHORT:
            assert question.answers == ("Quito", "San Francisco")
            assert question.case_sensitive
        if expected_type is QuestionType.MATCHING:
            assert [(p.source, p.target) for p in question.pairs] == [
                ("Habitat I", "1976"),
                ("Habitat II", "1996"),
            ]
        if expected_type is QuestionType.ORDERING:
            assert [c.text for c in question.choices] == ["First", "Second", "Third"]


class TestCourseYamlErrors:
    def test_yaml_syntax_error_names_its_line(self, write_course):
        broken = COURSE_YAML.replace("keywords: [testing]", "keywords: [testing")
        [error] = errors_of(write_course(course_yaml=broken))
        assert error.startswith("course.yaml:")
        assert "YAML syntax error" in error

    def test_missing_field(self, write_course):
        yaml = COURSE_YAML.replace("license: CC-BY-4.0\n", "")
        assert errors_of(write_course(course_yaml=yaml)) == [
            "course.yaml:1: missing field `license`"
        ]

    def test_unknown_field(self, write_course):
        yaml = COURSE_YAML.replace("license:", "lisence:")
        errors = errors_of(write_course(course_yaml=yaml))
        assert errors == [
            "course.yaml:1: missing field `license`",
            "course.yaml:9: unknown field `lisence` (known: id, title, description, version, "
            "language, languages, authors, license, keywords, duration, mastery_score, modules)",
        ]

    def test_module_file_that_is_not_there(self, write_course):
        yaml = COURSE_YAML.replace("  - 02-quiz.md", "  - 02-quiz.md\n  - 03-gone.md")
        assert errors_of(write_course(course_yaml=yaml)) == [
            "course.yaml:16: module file modules/03-gone.md does not exist"
        ]

    def test_unknown_language_tag(self, write_course):
        yaml = COURSE_YAML.replace("[en, fr]", "[en, fr, klingon]")
        assert errors_of(write_course(course_yaml=yaml)) == [
            "course.yaml:6: unknown language tag `klingon` (use BCP 47, e.g. `fr`)"
        ]

    @pytest.mark.parametrize("score", ["80", "-0.1", "1.5"])
    def test_mastery_score_out_of_range(self, write_course, score):
        yaml = COURSE_YAML.replace("mastery_score: 0.8", f"mastery_score: {score}")
        [error] = errors_of(write_course(course_yaml=yaml))
        assert error.startswith("course.yaml:12: `mastery_score` must be between 0 and 1")


class TestModuleErrors:
    def quiz_module(self, body: str) -> dict[str, str]:
        return {
            "01-intro.md": INTRO,
            "02-quiz.md": "---\ntitle: Q\nobjectives: [x]\nassessment: true\n---\n\n"
            "## The quiz\n\n" + body,
        }

    def test_missing_image(self, write_course):
        module = INTRO + "\n![A map](../media/map.png)\n"
        errors = errors_of(write_course(modules={"01-intro.md": module, "02-quiz.md": QUIZ}))
        assert errors == ["01-intro.md:13: image or file `../media/map.png` does not exist"]

    def test_link_to_a_module_that_does_not_exist(self, write_course):
        module = INTRO.replace("02-quiz.md#the-quiz", "07-gone.md")
        assert errors_of(write_course(modules={"01-intro.md": module, "02-quiz.md": QUIZ})) == [
            "01-intro.md:11: link to `07-gone.md`, which is not a module of this course"
        ]

    def test_link_to_an_anchor_that_does_not_exist(self, write_course):
        module = INTRO.replace("#the-quiz", "#the-exam")
        assert errors_of(write_course(modules={"01-intro.md": module, "02-quiz.md": QUIZ})) == [
            "01-intro.md:11: link to `#the-exam`, which is not a heading in 02-quiz.md"
        ]

    def test_quiz_with_no_correct_answer(self, write_course):
        body = "::: question {#q}\nPick.\n\n- ( ) A\n- ( ) B\n:::\n"
        assert errors_of(write_course(modules=self.quiz_module(body))) == [
            "02-quiz.md:9: the question has no correct answer: mark it with `(x)` or `[x]`"
        ]

    def test_duplicate_question_id(self, write_course):
        body = (
            "::: question {#q}\nOne.\n\n- (x) A\n- ( ) B\n:::\n\n"
            "::: question {#q}\nTwo.\n\n- (x) A\n- ( ) B\n:::\n"
        )
        assert errors_of(write_course(modules=self.quiz_module(body))) == [
            "02-quiz.md:16: duplicate question id `q` (first used at 02-quiz.md:9)"
        ]

    @pytest.mark.parametrize(
        ("html", "reason"),
        [
            ("<script>alert(1)</script>", "raw HTML <script> is not allowed"),
            ('<img src="x.png" onerror="alert(1)">', "event handler attribute is not allowed"),
            ("[click](javascript:alert(1))", "`javascript:` link is not allowed"),
            ('<iframe src="https://example.org"></iframe>', "raw HTML <iframe> is not allowed"),
        ],
    )
    def test_raw_html_that_would_run_script(self, write_course, html, reason):
        module = INTRO + "\n" + html + "\n"
        [error] = errors_of(write_course(modules={"01-intro.md": module, "02-quiz.md": QUIZ}))
        assert error.startswith("01-intro.md:13: ")
        assert reason in error

    def test_single_choice_with_two_right_answers(self, write_course):
        body = "::: question {#q}\nPick.\n\n- (x) A\n- (x) B\n:::\n"
        [error] = errors_of(write_course(modules=self.quiz_module(body)))
        assert error.startswith("02-quiz.md:9: a single-choice question needs exactly one `(x)`")

    def test_missing_front_matter(self, write_course):
        errors = errors_of(
            write_course(modules={"01-intro.md": "Just text.\n", "02-quiz.md": QUIZ})
        )
        assert errors == [
            "01-intro.md:1: a module starts with front matter between two `---` "
            "lines (at least `title:`)"
        ]


class TestQuestionShapeErrors:
    def quiz(self, body: str) -> dict[str, str]:
        return TestModuleErrors().quiz_module(body)

    def test_a_question_not_closed_before_the_next_page(self, write_course):
        body = "::: question {#q}\nPick.\n\n- (x) A\n- ( ) B\n\n## Next page\n\nText.\n"
        assert errors_of(write_course(modules=self.quiz(body))) == [
            "02-quiz.md:9: a heading (line 15) inside the question: close the question with "
            "`:::` before it",
            "02-quiz.md:9: the question is not closed: end it with a line `:::`",
        ]

    def test_a_question_inside_a_list(self, write_course):
        body = "- item\n\n  ::: question {#q}\n  Pick.\n\n  - (x) A\n  - ( ) B\n  :::\n"
        [error] = errors_of(write_course(modules=self.quiz(body)))
        assert error.startswith("02-quiz.md:11: a question must stand on its own")

    def test_an_answer_with_a_nested_list(self, write_course):
        body = "::: question {#q}\nPick.\n\n- (x) A\n  - sub point\n- ( ) B\n:::\n"
        [error] = errors_of(write_course(modules=self.quiz(body)))
        assert error.startswith("02-quiz.md:12: an answer is one line of text")

    def test_an_answer_without_text(self, write_course):
        body = "::: question {#q}\nPick.\n\n- (x)\n- ( ) B\n:::\n"
        assert errors_of(write_course(modules=self.quiz(body))) == [
            "02-quiz.md:12: this answer has no text after its marker"
        ]

    @pytest.mark.parametrize("weight", ["inf", "1e999", "0", "-2", "two"])
    def test_a_weight_that_is_not_a_positive_finite_number(self, write_course, weight):
        body = f"::: question {{#q weight={weight}}}\nPick.\n\n- (x) A\n- ( ) B\n:::\n"
        [error] = errors_of(write_course(modules=self.quiz(body)))
        assert error == (
            f"02-quiz.md:9: `weight={weight}`: a question's weight must be a positive number"
        )


class TestModuleContentErrors:
    def test_a_module_with_only_front_matter(self, write_course):
        empty = "---\ntitle: Empty\nobjectives: [x]\n---\n"
        assert errors_of(write_course(modules={"01-intro.md": empty, "02-quiz.md": QUIZ})) == [
            "01-intro.md:1: the module has no content after its front matter"
        ]

    def test_a_final_assessment_without_questions(self, write_course):
        quiz = QUIZ.split("::: question")[0] + "No questions.\n"
        assert errors_of(write_course(modules={"01-intro.md": INTRO, "02-quiz.md": quiz})) == [
            "02-quiz.md:1: the final assessment (`assessment: true`) has no questions"
        ]

    def test_an_image_on_the_web_breaks_offline_packages(self, write_course):
        module = INTRO + "\n![A map](https://cdn.example.org/map.png)\n"
        [error] = errors_of(write_course(modules={"01-intro.md": module, "02-quiz.md": QUIZ}))
        assert error.startswith(
            "01-intro.md:13: image `https://cdn.example.org/map.png` is on the web"
        )

    def test_a_title_that_is_not_text(self, write_course):
        yaml = COURSE_YAML.replace("title: A tiny course", "title: 5")
        assert errors_of(write_course(course_yaml=yaml)) == ["course.yaml:2: `title` must be text"]

    def test_a_module_saved_with_a_byte_order_mark_is_read(self, write_course):
        course, diagnostics = load_course(
            write_course(modules={"01-intro.md": "\ufeff" + INTRO, "02-quiz.md": QUIZ})
        )
        assert course is not None, diagnostics

    def test_symbolic_links_in_media_are_not_packaged(self, write_course, tmp_path):
        secret = tmp_path / "secret.txt"
        secret.write_text("not for learners")
        root = write_course(media={"map.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"})
        (root / "media" / "leak.txt").symlink_to(secret)
        course, diagnostics = load_course(root)
        assert course.media == ("media/map.svg",)
        assert messages(diagnostics, Severity.WARNING) == [
            "leak.txt:1: symbolic links in media/ are not packaged: copy the file"
        ]


class TestWarnings:
    def test_image_without_alt_text_and_module_without_objectives_only_warn(self, write_course):
        module = "---\ntitle: Intro\n---\n\n![](../media/a.svg)\n"
        course, diagnostics = load_course(
            write_course(
                modules={"01-intro.md": module, "02-quiz.md": QUIZ},
                media={"a.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'},
            )
        )
        assert course is not None
        assert messages(diagnostics, Severity.WARNING) == [
            "01-intro.md:1: the module has no learning objectives (`objectives:`)",
            "01-intro.md:5: image `../media/a.svg` has no alternative text: describe what it "
            "shows between the square brackets",
        ]

    def test_question_without_id_gets_a_derived_one_and_a_warning(self, write_course):
        body = "::: question\nWhere was Habitat III held?\n\n- (x) Quito\n- ( ) Lima\n:::\n"
        module = "---\ntitle: Q\nobjectives: [x]\nassessment: true\n---\n\n## The quiz\n\n" + body
        course, diagnostics = load_course(
            write_course(modules={"01-intro.md": INTRO, "02-quiz.md": module})
        )
        assert course.questions[0].id == "where-was-habitat-iii-held"
        assert any("question has no id" in m for m in messages(diagnostics, Severity.WARNING))

"""`mafunzo i18n extract`: what a translator finds in the .pot of a course with every construct."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from tests.fixtures.i18n import Workspace, run_cli


def _template(workspace: Workspace):
    result = run_cli("i18n", "extract", workspace.course)
    assert result.code == 0, result.err
    with workspace.pot.open("rb") as handle:
        return read_po(handle)


def test_one_message_per_block_of_every_kind(workspace: Workspace) -> None:
    ids = {m.id for m in _template(workspace) if m.id}
    for text in (
        "Every construct, for translators",  # course title
        "translation",  # keyword
        "Reading material",  # module title
        "Recognise each kind of block.",  # objective
        "Links and pictures",  # page title
        "Lists",  # heading
        "A nested bullet inside the second",  # nested list item
        "A wise quotation about cities.",
        "Its second paragraph.",
        "Year",  # table header
        "A blue square on a white background",  # image alt
        "Figure one: a square",  # image title
        "Which city hosted **Habitat Three**?",  # stem
        "Quito in Ecuador",  # choice
        "Yes, in October 2016.",  # choice feedback
        "Quito hosted the third conference.",  # question feedback
        "It is a political commitment.",  # true-false feedback
        "San Francisco de Quito",  # accepted answer
        "Plan the work carefully",  # ordering item
    ):
        assert text in ids, text
    assert "Welcome: this is **strong advice**, a little _emphasis_ and some `inline code`." in ids


def test_targets_become_placeholders_and_quiz_syntax_never_leaks(workspace: Workspace) -> None:
    template = _template(workspace)
    ids = [m.id for m in template if m.id]
    link = next(i for i in ids if i.startswith("Read [the questions]"))
    assert link == (
        'Read [the questions](%1) or visit [the UN website](%2 "United Nations").\n'
        "Here is a small ![blue square icon](%3) inside a sentence."
    )
    comments = template.get(link).auto_comments
    assert "%1 stands for the target `02-questions.md#choosing`: keep it as it is" in comments
    for message in ids:
        assert not re.search(r"[(\[][ xX]?[)\]]\s|^=|->|:::|\{#|\.md|https?:", message), message
    assert "True" not in ids and "False" not in ids  # true-false markers
    assert "1976" not in ids  # nothing to translate in a year
    assert not any("code blocks" in i for i in ids)


def test_comments_say_what_the_text_is_and_references_point_at_lines(
    workspace: Workspace,
) -> None:
    template = _template(workspace)
    right = template.get("Quito in Ecuador")
    assert right.auto_comments == ["quiz choice (correct answer)"]
    assert right.locations == [("modules/02-questions.md", 15)]
    assert template.get("Vancouver in Canada").auto_comments == ["quiz choice (wrong answer)"]
    alt = template.get("A blue square on a white background")
    assert alt.auto_comments[0].startswith("image alt text")
    assert template.get("Year").locations == [("modules/01-reading.md", 32)]
    assert template.get("Recognise each kind of block.").locations == [("modules/01-reading.md", 4)]


def test_same_words_in_two_roles_get_a_context_each(workspace: Workspace) -> None:
    template = _template(workspace)
    assert template.get("Key terms", context="title") is not None
    assert template.get("Key terms", context="answer") is not None
    assert template.get("Key terms") is None
    assert template.get("Quito", context="typed answer") is not None
    assert template.get("Quito in Ecuador").context is None  # one role: no context


def test_extracting_twice_gives_the_same_file(workspace: Workspace) -> None:
    _template(workspace)
    first = workspace.pot.read_bytes()
    result = run_cli("i18n", "extract", workspace.course)
    assert "unchanged" in result.out
    assert workspace.pot.read_bytes() == first


def test_a_broken_course_is_reported_not_extracted(workspace: Workspace) -> None:
    workspace.edit("modules/02-questions.md", "- (x) Quito in Ecuador", "- (x) Quito")
    workspace.edit("modules/02-questions.md", "- ( ) Vancouver in Canada", "- (x) Vancouver")
    result = run_cli("i18n", "extract", workspace.course)
    assert result.code == 1
    assert "02-questions.md:10: error:" in result.err
    assert not workspace.pot.exists()

"""The fixed-width resume-state layout a package stores in SCORM `suspend_data` (or an xAPI state).

Every page and every question owns a slot of fixed width, so the encoded state of a document has
the same length whatever the learner did: the build computes that length and refuses a package whose
state could exceed its standard's limit. mafunzo.js encodes and decodes with the widths given here.

Layout: "1" (version) + ceil(pages / 6) characters of visited-page bits + one slot per question.
Digits are the 64 characters of ALPHABET; every slot value 0 means "not answered".
"""

from __future__ import annotations

from collections.abc import Iterable

from packager.model import Question, QuestionType

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
SHORT_ANSWER_MAX = 60  # characters a learner can type in a short-text answer (input maxlength)
VERSION = "1"


def digits_for(values: int) -> int:
    """How many ALPHABET digits hold the integers 0..values-1."""
    width = 1
    while len(ALPHABET) ** width < values:
        width += 1
    return width


def question_slot_width(question: Question) -> int:
    """The characters one question's answer takes, answered or not."""
    if question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return digits_for(len(question.choices) + 1)
    if question.type is QuestionType.MULTIPLE:
        return -(-(len(question.choices) + 1) // 6)  # one "answered" bit then one bit per choice
    if question.type is QuestionType.ORDERING:
        return len(question.choices) * digits_for(len(question.choices) + 1)
    if question.type is QuestionType.MATCHING:
        return len(question.pairs) * digits_for(len(question.pairs) + 1)
    return 1 + SHORT_ANSWER_MAX  # a length digit (0 = unanswered, else length + 1) then the text


def state_length(page_count: int, questions: Iterable[Question]) -> int:
    """The exact length of every state string of a document with these pages and questions."""
    return len(VERSION) + -(-page_count // 6) + sum(question_slot_width(q) for q in questions)

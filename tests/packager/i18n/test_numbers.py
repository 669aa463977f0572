"""`i18n check` compares numbers by value: "2 billion" may be 20亿, but 2亿 is a mistake."""

from __future__ import annotations

import pytest

from packager.i18n.check import check_message

WASTE = (
    "The world produced about 2 billion tonnes of waste in 2016, and this could reach "
    "3.4 billion tonnes by 2050."
)


def _number_warnings(msgid: str, msgstr: str, language: str) -> list[str]:
    return [problem for _, problem in check_message(msgid, msgstr, language) if "number" in problem]


@pytest.mark.parametrize(
    ("language", "translation"),
    [
        ("zh", "2016年全世界产生了约20亿吨城市固体废物，到2050年可能达到34亿吨。"),
        ("zh", "2016年全世界产生了约二十亿吨废物，到2050年可能达到三十四亿吨。"),
        (
            "ru",
            "В 2016 году в мире образовалось около 2 млрд тонн отходов, к 2050 году — 3,4 млрд.",
        ),
        ("ru", "В 2016 году — около 2 миллиардов тонн, а к 2050 году — 3400 млн тонн."),
        (
            "ar",
            "أنتج العالم نحو ٢ مليار طن من النفايات في عام ٢٠١٦، وقد تبلغ ٣٫٤ مليار طن بحلول ٢٠٥٠.",
        ),
        (
            "fr",
            "Le monde a produit environ 2 milliards de tonnes en 2016, et 3,4 milliards en 2050.",
        ),
        (
            "es",
            "En 2016 el mundo produjo unos 2000 millones de toneladas y 3.400 millones en 2050.",
        ),
        (
            "es",
            "En 2016 el mundo produjo unos 2 mil millones de toneladas y 3,4 mil millones en 2050.",
        ),
    ],
)
def test_magnitude_words_are_read_as_values(language: str, translation: str) -> None:
    assert _number_warnings(WASTE, translation, language) == []


@pytest.mark.parametrize(
    ("language", "translation", "missing"),
    [
        ("zh", "2016年全世界产生了约2亿吨废物，到2050年可能达到34亿吨。", "2 billion"),
        ("zh", "2016年全世界产生了约20亿吨废物，到2050年可能达到3.4亿吨。", "3.4 billion"),
        ("ru", "В 2016 году около 2 млн тонн, к 2050 году — 3,4 млрд тонн.", "2 billion"),
        ("fr", "En 2016, environ 2 billions de tonnes, et 3,4 milliards en 2050.", "2 billion"),
        ("es", "En 2016 unos 2 billones de toneladas y 3.400 millones en 2050.", "2 billion"),
        ("ar", "نحو 2 مليون طن في عام 2016، وقد تبلغ 3.4 مليار طن بحلول 2050.", "2 billion"),
        ("zh", "2015年约20亿吨，到2050年可能达到34亿吨。", "2016"),
    ],
)
def test_a_wrong_magnitude_is_a_changed_number(
    language: str, translation: str, missing: str
) -> None:
    assert _number_warnings(WASTE, translation, language) == [
        f"the number {missing} is missing or changed"
    ]


@pytest.mark.parametrize(
    ("msgid", "translation"),
    [
        ("Goal 11", "十一"),
        ("About one third in the 1950s and 1960s.", "早在20世纪50和60年代，约三分之一。"),
        ("Adopted in October 2016.", "二〇一六年十月通过。"),
        ("About 12,000 people and 1.5 million visitors.", "约1.2万人和150万名访客。"),
        ("About 120 million people.", "约一亿二千万人。"),
    ],
)  # fmt: skip
def test_chinese_numerals_and_decades_are_read_as_values(msgid: str, translation: str) -> None:
    assert _number_warnings(msgid, translation, "zh") == []


def test_the_1950s_are_not_the_1850s() -> None:
    assert _number_warnings("In the 1950s.", "在19世纪50年代。", "zh") == [
        "the number 1950 is missing or changed"
    ]

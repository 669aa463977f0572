"""The numbers a text states, as values, so that a translation may write them its own way.

"2 billion" is `20亿` in Chinese, `2 млрд` in Russian, `2 mil millones` in Spanish and
`2 مليار` in Arabic: comparing digits would call each of these a changed number and teach
translators to ignore the warning, while `2亿` (200 million) is the mistake worth catching.
So each number is read with its magnitude word and compared by value.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from functools import cache

from packager.i18n.placeholders import PLACEHOLDER

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)
_GROUP = "[,.\u00a0\u202f\u2009\u066c' ]"
_DECIMAL = "[.,\u066b]"

# Magnitude words after a number. "billion" is 10^9 in English but 10^12 in French, as are
# the Spanish "billón" and the Russian "биллион"; Chinese counts in 万 (10^4) and 亿 (10^8).
_MAGNITUDES: dict[str, int] = {
    "thousand": 10**3, "thousands": 10**3,
    "million": 10**6, "millions": 10**6,
    "billion": 10**9, "billions": 10**9, "bn": 10**9,
    "trillion": 10**12, "trillions": 10**12,
    "mille": 10**3, "milliard": 10**9, "milliards": 10**9,
    "mil": 10**3, "millón": 10**6, "millon": 10**6, "millones": 10**6,
    "mil millones": 10**9, "millardo": 10**9, "millardos": 10**9,
    "billón": 10**12, "billones": 10**12,
    "тыс.": 10**3, "тыс": 10**3, "тысяча": 10**3, "тысячи": 10**3, "тысяч": 10**3,
    "млн": 10**6, "миллион": 10**6, "миллиона": 10**6, "миллионов": 10**6,
    "млрд": 10**9, "миллиард": 10**9, "миллиарда": 10**9, "миллиардов": 10**9,
    "трлн": 10**12, "триллион": 10**12, "триллиона": 10**12, "триллионов": 10**12,
    "ألف": 10**3, "الف": 10**3, "آلاف": 10**3, "ألاف": 10**3,
    "مليون": 10**6, "مليونا": 10**6, "ملايين": 10**6,
    "مليار": 10**9, "مليارا": 10**9, "ملياري": 10**9, "مليارات": 10**9, "بليون": 10**9,
    "تريليون": 10**12,
    "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "万亿": 10**12,
    "百万": 10**6, "千万": 10**7,
}  # fmt: skip
# "billion" is 10^9 in English but 10^12 in French, as the Russian "биллион" is.
_PER_LANGUAGE: dict[str, dict[str, int]] = {
    "fr": {"billion": 10**12, "billions": 10**12},
    "ru": {"биллион": 10**12, "биллиона": 10**12, "биллионов": 10**12},
}
_SPACE = "[ \u00a0\u202f\u2009]?"
_CJK_END = "(?<=[万萬亿億])"


def _number_pattern(words: dict[str, int]) -> re.Pattern[str]:
    """A number, its decimals, then perhaps a magnitude word (a whole word, longest first)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(
        rf"(?<![\d.,])(?P<int>\d{{1,3}}(?:{_GROUP}\d{{3}}(?!\d))+|\d+)"
        rf"(?:{_DECIMAL}(?P<frac>\d+))?"
        rf"(?:{_SPACE}(?P<word>{alternatives})(?:{_CJK_END}|(?![^\W\d_])))?",
        re.IGNORECASE,
    )


@cache
def _pattern(language: str) -> tuple[re.Pattern[str], dict[str, int]]:
    words = {**_MAGNITUDES, **_PER_LANGUAGE.get(language, {})}
    return _number_pattern(words), words


# Chinese: `20世纪50和60年代` is how "the 1950s and 1960s" reads; 十一 is 11, 二〇一六 2016.
_ZH_DECADES = re.compile(
    r"(\d{1,2})\s*世纪\s*((?:\d0\s*(?:年代)?\s*[和与及、至到—–~-]\s*)*\d0)\s*年代"
)
_ZH_NUMERAL = re.compile(
    "[零〇一二两三四五六七八九十百千万亿]*[〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
)
_ZH_DIGIT = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}


def _chinese_numeral(text: str) -> int:
    if all(c in _ZH_DIGIT for c in text):
        return int("".join(str(_ZH_DIGIT[c]) for c in text))
    total = section = digit = 0
    for char in text:
        if char in _ZH_DIGIT:
            digit = _ZH_DIGIT[char]
        elif char in _ZH_UNIT:
            section += (digit or 1) * _ZH_UNIT[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        else:  # 亿 multiplies everything before it, 万 included (万亿 is 10^12)
            total = (total + section + digit) * 10**8
            section = digit = 0
    return total + section + digit


def stated_numbers(text: str, language: str = "en") -> list[tuple[Fraction, str]]:
    """(value, words that state it) for each number in the prose, link placeholders left out.

    `language` only matters for words whose value differs between languages ("billion").
    """
    prose = PLACEHOLDER.sub(" ", text).translate(_DIGITS)
    found: list[tuple[Fraction, str]] = []

    def decades(match: re.Match[str]) -> str:
        century = (int(match.group(1)) - 1) * 100
        for decade in re.findall(r"\d0", match.group(2)):
            found.append((Fraction(century + int(decade)), match.group(0)))
        return " "

    prose = _ZH_DECADES.sub(decades, prose)
    pattern, words = _pattern(language)
    for match in pattern.finditer(prose):
        fraction = match.group("frac") or ""
        value = Fraction(int(re.sub(r"\D", "", match.group("int")) + fraction), 10 ** len(fraction))
        if word := match.group("word"):
            value *= words[word.lower()] if word.lower() in words else words[word]
        found.append((value, match.group(0).strip()))
    for match in _ZH_NUMERAL.finditer(prose):
        found.append((Fraction(_chinese_numeral(match.group(0))), match.group(0)))
    return found


def missing_numbers(source: str, translation: str, language: str) -> list[str]:
    """The source's words for each number the translation does not state with the same value."""
    stated = Counter(value for value, _ in stated_numbers(translation, language))
    missing: list[str] = []
    for value, words in stated_numbers(source):
        if stated[value] > 0:
            stated[value] -= 1
        elif words not in missing:
            missing.append(words)
    return missing

"""List numbering as Word and HTML draw it: 1., a), iv., and bullet symbols."""

from __future__ import annotations

import unicodedata

BULLET = "•"


def _to_letters(n: int) -> str:
    # Word and HTML both repeat past z: a..z, aa..zz (Word) / aa, ab (CSS); Word's form here.
    if n <= 0:
        return str(n)
    letter = chr(ord("a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _to_roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """A counter as Word's numFmt (decimal, lowerLetter, upperRoman...) shows it."""
    if fmt == "lowerLetter":
        return _to_letters(n)
    if fmt == "upperLetter":
        return _to_letters(n).upper()
    if fmt == "lowerRoman":
        return _to_roman(n)
    if fmt == "upperRoman":
        return _to_roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and every exotic format we do not spell out


def bullet_symbol(text: str) -> str:
    """A printable bullet for a symbol-font bullet character (Word's Symbol/Wingdings
    glyphs live in the private-use area and mean nothing as text)."""
    text = text.strip()
    if not text:
        return BULLET
    if text == "o":  # Courier New "o" is how Word draws a hollow second-level bullet
        return "◦"
    if all(unicodedata.category(ch) == "Co" for ch in text):
        return BULLET
    return text

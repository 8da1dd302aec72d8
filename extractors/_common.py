"""Helpers the readers share: text and colour clean-up (every reader picks a
cell's text colour the same way), list numbering, HTML-to-text, and the safety
checks on zip packages."""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from html import unescape
from pathlib import Path

import lxml.html
from lxml import etree
from planx.extractors.base import ExtractionError, ExtractSettings

BULLET = "•"

# ---------------------------------------------------------------- whitespace

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def normalise_space(text: str) -> str:
    """One space between words, lines stripped, no empty lines; line breaks kept."""
    text = _NEWLINES.sub("\n", text.translate(_ZERO_WIDTH))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clip_text(text: str, limit: int) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def truncation_warning(n_cells: int, limit: int) -> str:
    return f"{n_cells} cell(s) longer than {limit:,} characters were truncated"


def looks_like_heading(text: str, *, bold: bool) -> bool:
    """A short, bold, one-line paragraph that does not read as a sentence."""
    if not bold or not text or "\n" in text or len(text) > 100:
        return False
    if len(text.split()) > 12 or text.endswith((".", ",", ";")):
        return False
    return any(ch.isalpha() for ch in text)


# ---------------------------------------------------------------- colours

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB_FUNC = re.compile(
    r"rgba?\(\s*([\d.]+%?)\s*[, ]\s*([\d.]+%?)\s*[, ]\s*([\d.]+%?)(?:\s*[,/]\s*([\d.]+%?))?\s*\)"
)

# CSS colour keywords that show up in hand-written RAG tables, and Word's
# highlight names (w:highlight). Anything else unknown is ignored.
NAMED_COLOURS = {
    "black": "000000",
    "white": "FFFFFF",
    "red": "FF0000",
    "darkred": "8B0000",
    "green": "008000",
    "darkgreen": "006400",
    "lime": "00FF00",
    "limegreen": "32CD32",
    "lightgreen": "90EE90",
    "yellow": "FFFF00",
    "gold": "FFD700",
    "orange": "FFA500",
    "darkorange": "FF8C00",
    "amber": "FFBF00",
    "blue": "0000FF",
    "darkblue": "00008B",
    "lightblue": "ADD8E6",
    "navy": "000080",
    "cyan": "00FFFF",
    "aqua": "00FFFF",
    "darkcyan": "008B8B",
    "magenta": "FF00FF",
    "fuchsia": "FF00FF",
    "darkmagenta": "8B008B",
    "purple": "800080",
    "grey": "808080",
    "gray": "808080",
    "darkgrey": "A9A9A9",
    "darkgray": "A9A9A9",
    "lightgrey": "D3D3D3",
    "lightgray": "D3D3D3",
    "silver": "C0C0C0",
    "pink": "FFC0CB",
    "darkyellow": "808000",  # Word's highlight "darkYellow"
    "olive": "808000",
    "teal": "008080",
    "maroon": "800000",
}
_NO_COLOUR = {
    "",
    "auto",
    "none",
    "transparent",
    "inherit",
    "initial",
    "unset",
    "currentcolor",
    "nil",
}


def normalise_colour(value: str | None) -> str | None:
    """ "#RRGGBB" in upper case from hex (RGB, RRGGBB, AARRGGBB), rgb() or a
    colour name; None for no colour, white or anything unreadable.

    White counts as no fill: it is what an unfilled cell looks like."""
    if value is None:
        return None
    v = value.strip().lower()
    if v in _NO_COLOUR:
        return None
    hex6: str | None = None
    if m := _RGB_FUNC.fullmatch(v):
        parts = []
        for p in m.groups()[:3]:
            n = float(p[:-1]) * 2.55 if p.endswith("%") else float(p)
            parts.append(max(0, min(255, round(n))))
        if m.group(4) is not None:
            alpha = float(m.group(4)[:-1]) / 100 if m.group(4).endswith("%") else float(m.group(4))
            if alpha == 0:
                return None
        hex6 = "".join(f"{p:02X}" for p in parts)
    elif m := _HEX.fullmatch(v):
        h = m.group(1)
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        elif len(h) == 8:
            h = h[2:]  # ARGB as Excel writes it; the alpha byte is unreliable, so ignored
        hex6 = h.upper()
    elif v in NAMED_COLOURS:
        hex6 = NAMED_COLOURS[v]
    if hex6 is None or hex6 == "FFFFFF":
        return None
    return "#" + hex6


NEUTRAL_SPREAD = 24  # channels this close together: black, white or a grey, i.e. no colour
TEXT_COLOUR_SHARE = 1 / 3  # share of a cell's characters that must carry a colour


def is_neutral_colour(colour: str) -> bool:
    """True for "#RRGGBB" black, white and greys: what ordinary text is printed in."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return max(channels) - min(channels) <= NEUTRAL_SPREAD


def dominant_text_colour(ink: dict[str | None, int]) -> str | None:
    """The colour most of a cell's characters are printed in, when it is not a neutral
    one and covers a good share of them (a coloured word or glyph, not one link).

    `ink` counts characters by colour ("#RRGGBB", or None for the default colour)."""
    total = sum(ink.values())
    coloured = {c: n for c, n in ink.items() if c and not is_neutral_colour(c)}
    if not total or not coloured:
        return None
    best = max(sorted(coloured), key=lambda c: coloured[c])
    return best if coloured[best] >= TEXT_COLOUR_SHARE * total else None


def colour_runs(pieces: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    """The pieces of text printed in a colour (not black, white or grey), neighbours of one
    colour joined (across plain spaces), spaces trimmed: what `Block.colour_runs` holds."""
    out: list[list[str]] = []
    open_run = False  # the last run may still grow: only spaces came after it
    for text, colour in pieces:
        coloured = colour if colour and not is_neutral_colour(colour) else None
        if coloured is None:
            if text.strip():
                open_run = False
            elif open_run:
                out[-1][0] += text
            continue
        if open_run and out[-1][1] == coloured:
            out[-1][0] += text
        else:
            out.append([text, coloured])
        open_run = True
    return tuple((" ".join(t.split()), c) for t, c in out if t.strip())


# ---------------------------------------------------------------- numbering


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


# ---------------------------------------------------------------- HTML to text

HTML_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split()
)
HTML_SKIP_TAGS = frozenset(
    "script style noscript template head title nav footer select button".split()
)
_OL_TYPES = {
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "i": "lowerRoman",
    "I": "upperRoman",
}
_CSS_LIST_TYPES = {
    "lower-alpha": "lowerLetter",
    "lower-latin": "lowerLetter",
    "upper-alpha": "upperLetter",
    "upper-latin": "upperLetter",
    "lower-roman": "lowerRoman",
    "upper-roman": "upperRoman",
    "decimal": "decimal",
    "decimal-leading-zero": "decimalZero",
}


def html_tag(el: etree._Element) -> str:
    """Lower-case local tag name; "" for comments and processing instructions."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def html_is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def html_list_labels(ol_or_ul: etree._Element) -> list[tuple[etree._Element, str]]:
    """Each direct <li> of a list with the label a browser would draw."""
    tag = html_tag(ol_or_ul)
    items = [li for li in ol_or_ul if html_tag(li) == "li"]
    if tag != "ol":
        return [(li, BULLET) for li in items]
    fmt = _OL_TYPES.get((ol_or_ul.get("type") or "1").strip(), "decimal")
    style = (ol_or_ul.get("style") or "").lower()
    if m := re.search(r"list-style(?:-type)?\s*:\s*([a-z-]+)", style):
        fmt = _CSS_LIST_TYPES.get(m.group(1), fmt)
    try:
        n = int(ol_or_ul.get("start") or 1)
    except ValueError:
        n = 1
    out = []
    for li in items:
        value = li.get("value")
        if value and value.strip().lstrip("-").isdigit():
            n = int(value)
        out.append((li, format_number(n, fmt) + "."))
        n += 1
    return out


def rows_to_text(rows: list[list[str]]) -> str:
    """A table flattened for a cell: one line per row, cells joined by " | "."""
    lines = []
    for row in rows:
        cells = [" ".join(t.split()) for t in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)


_INLINE_ITEM = re.compile(r"(?:^|\s)(?:[•◦▪‣]|(?<![\d.])\d{1,2}\.(?=\s))\s*")


def _inline_list_text(text: str) -> str:
    """'• a • b' or '1. a 2. b' as one line per item, keeping the markers."""
    starts = [m.start() for m in _INLINE_ITEM.finditer(text)]
    if not starts:
        return normalise_space(text)
    pieces = [text[: starts[0]]] + [
        text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)
    ]
    return "\n".join(normalise_space(p) for p in pieces if p.strip())


def html_element_to_text(el: etree._Element, *, skip: frozenset[str] = HTML_SKIP_TAGS) -> str:
    """The text of an HTML element as a reader sees it: block elements and <br>
    break lines, list items carry their "1." / "•" label, nested tables become
    "a | b" lines, whitespace is collapsed."""
    parts: list[str] = []
    html_walk(el, parts, skip)
    return normalise_space("".join(parts))


def html_walk(el: etree._Element, parts: list[str], skip: frozenset[str]) -> None:
    tag = html_tag(el)
    if tag in skip or html_is_hidden(el):
        return
    if tag == "br":
        parts.append("\n")
        return
    if tag == "table":
        parts.append("\n" + rows_to_text(html_table_texts(el)) + "\n")
        return
    if tag in ("ul", "ol"):
        parts.append("\n")
        labelled = html_list_labels(el)
        if not labelled:
            # Exports often flatten a list to its text with the markers inline and no <li>.
            parts.append(_inline_list_text("".join(el.itertext())) + "\n")
            return
        for li, label in labelled:
            parts.append("\n" + label + " ")
            _html_walk_children(li, parts, skip)
            parts.append("\n")
        parts.append("\n")
        return
    block = tag in HTML_BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag in ("td", "th"):
        parts.append(" ")
    _html_walk_children(el, parts, skip)
    if block:
        parts.append("\n")


def _html_walk_children(el: etree._Element, parts: list[str], skip: frozenset[str]) -> None:
    if el.text and isinstance(el.tag, str):
        parts.append(collapse_html_space(el.text) if html_tag(el) != "pre" else el.text)
    for child in el:
        if isinstance(child.tag, str):
            html_walk(child, parts, skip)
        if child.tail:
            parts.append(collapse_html_space(child.tail))


def collapse_html_space(text: str) -> str:
    # HTML source line breaks are spaces; only <br> and blocks break lines.
    return re.sub(r"[ \t\r\n\f]+", " ", text)


def html_table_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own <tr> rows in display order (head, bodies, foot), not a nested table's."""
    head: list[etree._Element] = []
    body: list[etree._Element] = []
    foot: list[etree._Element] = []
    for child in table:
        tag = html_tag(child)
        if tag == "tr":
            body.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows = [tr for tr in child if html_tag(tr) == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].extend(rows)
    return head + body + foot


def html_table_texts(table: etree._Element) -> list[list[str]]:
    """A table's rows as lists of cell texts (no span expansion), for flattening."""
    return [
        [html_element_to_text(td) for td in tr if html_tag(td) in ("td", "th")]
        for tr in html_table_rows(table)
    ]


def html_fragment_to_text(s: str) -> str:
    """Plain text from a cell that holds an HTML fragment such as
    "<ul><li>a</li><li>b</li></ul>": list items become lines "• a" / "1. a",
    paragraphs and <br> become line breaks. Text without tags is only tidied."""
    if "<" not in s or not re.search(r"</?[a-zA-Z][^>]*>", s):
        return normalise_space(_decode_entities(s))
    try:
        root = lxml.html.fragment_fromstring(s, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalise_space(s)
    return html_element_to_text(root, skip=frozenset({"script", "style", "template"}))


def _decode_entities(s: str) -> str:
    return unescape(s) if "&" in s else s


# ---------------------------------------------------------------- zip packages

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTITY_UTF16 = re.compile(
    rb"<\x00!\x00(?:D\x00O\x00C\x00T\x00Y\x00P\x00E|E\x00N\x00T\x00I\x00T\x00Y)", re.IGNORECASE
)


def check_package(path: Path, settings: ExtractSettings, *, label: str, required: str) -> None:
    """Refuse an Office package before a parser touches it: not a zip, missing
    its main part, expanding past the size limit (a zip bomb), or carrying XML
    DOCTYPE/ENTITY declarations (entity-expansion attacks)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if required not in names:
                raise ExtractionError(
                    "corrupt", f"not a valid {label} file (no {required} in the package)"
                )
            total = sum(i.file_size for i in infos)
            if total > settings.max_unzipped_bytes:
                raise ExtractionError(
                    "too_large",
                    f"{label} expands to {_mb(total)} MB, over the "
                    f"{_mb(settings.max_unzipped_bytes)} MB limit: possible zip bomb",
                )
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES) and _has_entity_declaration(
                    zf, info
                ):
                    raise ExtractionError(
                        "unreadable", f"XML entity declarations are not allowed ({info.filename})"
                    )
    except ExtractionError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        zlib.error,  # a member whose compressed bytes are damaged
    ) as exc:
        raise ExtractionError(
            "corrupt", f"not a valid {label} file (broken zip package: {exc})"
        ) from None


def _mb(n: int) -> str:
    mb = n / 1_048_576
    return f"{mb:,.0f}" if mb >= 10 else f"{mb:.2g}"


def _has_entity_declaration(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    # Streamed, with an overlap so a marker split across chunks is still seen.
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if _ENTITY.search(window) or _ENTITY_UTF16.search(window):
                return True
            tail = window[-32:]
    return False


def has_xml_entity_declaration(data: bytes) -> bool:
    """True when raw markup declares entities (HTML may keep a plain <!DOCTYPE html>)."""
    return bool(re.search(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", data, re.IGNORECASE)) or bool(
        re.search(rb"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y", data, re.IGNORECASE)
    )

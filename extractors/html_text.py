"""HTML elements to plain text: blocks on their own lines, list labels as drawn,
hidden elements skipped (HTML reader, and HTML fragments inside text exports)."""

from __future__ import annotations

import re
from html import unescape

import lxml.html
from lxml import etree

from planx.extractors.numbering import BULLET, format_number
from planx.extractors.text_cleanup import normalise_space

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

"""Write a sample `Document` as one HTML page: <h1>/<h2>, paragraphs, lists and tables
with rowspan/colspan and ``style="background-color:#..."`` fills."""

from __future__ import annotations

from html import escape

from _doc import (
    BOLD_RE,
    Document,
    Grid,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    SectionBreak,
    TableBlock,
)


def _inline(text: str) -> str:
    return BOLD_RE.sub(r"<strong>\1</strong>", escape(text, quote=False))


def grid_to_html(grid: Grid) -> str:
    out = ['<table border="1" cellpadding="4" style="border-collapse:collapse">']
    for r, row in enumerate(grid.rows):
        if r == 0 and grid.header_rows:
            out.append("<thead>")
        if r == grid.header_rows:
            out.append("<tbody>")
        out.append("<tr>")
        tag = "th" if r < grid.header_rows else "td"
        for gc in row:
            if gc is None:
                continue
            attrs = ""
            if gc.rowspan > 1:
                attrs += f' rowspan="{gc.rowspan}"'
            if gc.colspan > 1:
                attrs += f' colspan="{gc.colspan}"'
            if gc.fill:
                attrs += f' style="background-color:{gc.fill}"'
            lines = [_inline(p.text) for p in gc.paras if not p.bullet]
            body = "<br>".join(lines)
            items = [_inline(p.text) for p in gc.paras if p.bullet]
            if items:
                body += "<ul>" + "".join(f"<li>{t}</li>" for t in items) + "</ul>"
            if gc.bold and tag == "td" and body:
                body = f"<strong>{body}</strong>"
            out.append(f"<{tag}{attrs}>{body}</{tag}>")
        out.append("</tr>")
        if r == grid.header_rows - 1:
            out.append("</thead>")
    if len(grid.rows) > grid.header_rows:
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def render_html(doc: Document) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(doc.title)}</title>",
        "</head>",
        "<body>",
        f'<p class="running-header">{escape(doc.header)}</p>',
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = block.level + 1
            parts.append(f"<h{level}>{_inline(block.text)}</h{level}>")
        elif isinstance(block, Para):
            if block.style == "title":
                parts.append(f"<h1>{_inline(block.text)}</h1>")
            else:
                parts.append(f"<p>{_inline(block.text)}</p>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.numbered else "ul"
            parts.append(
                f"<{tag}>" + "".join(f"<li>{_inline(t)}</li>" for t in block.items) + f"</{tag}>"
            )
        elif isinstance(block, TableBlock):
            parts.append(grid_to_html(block.grid))
        elif isinstance(block, PageBreak | SectionBreak):
            continue
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"

"""HTML: a captioned table with horizontal rules only; merged cells as rowspan."""

from __future__ import annotations

from html import escape
from pathlib import Path

from . import caption, display_rows, note_text, shown_columns, spans

SUFFIXES = (".html", ".htm")
STYLE = ("table.ipa{border-collapse:collapse;font-family:serif;margin:1em 0}"
         "table.ipa caption{text-align:left;padding-bottom:.4em}"
         "table.ipa th,table.ipa td{padding:.25em .6em;text-align:left;vertical-align:top}"
         "table.ipa thead th{border-top:1.5px solid #000;border-bottom:1px solid #000}"
         "table.ipa tbody tr:last-child td{border-bottom:1.5px solid #000}"
         "table.ipa tr.group th{font-style:italic;font-weight:normal}")


def render(df, number=1, *, standalone: bool = True) -> str:
    label, title = caption(df, number)
    cols = shown_columns(df)
    rows = display_rows(df)
    merged = spans(df, rows)
    span_at = {(first, ci): last - first + 1 for ci, first, last in merged}
    covered = {(i, ci) for ci, first, last in merged for i in range(first + 1, last + 1)}
    out = ['<table class="ipa">',
           "<caption>" + (f"<b>{escape(label)}</b> " if label else "")
           + f"<i>{escape(title)}</i></caption>",
           "<thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in cols) + "</tr></thead>",
           "<tbody>"]
    for i, (kind, cells) in enumerate(rows):
        if kind == "group":
            out.append(f'<tr class="group"><th colspan="{len(cols)}">{escape(cells[0])}'
                       "</th></tr>")
            continue
        tds = []
        for ci, c in enumerate(cells):
            if (i, ci) in covered:
                continue
            rs = span_at.get((i, ci))
            tds.append(f'<td rowspan="{rs}">' if rs else "<td>")
            tds[-1] += escape(c) + "</td>"
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    if note_text(df):
        out.append(f"<p><i>Note.</i> {escape(note_text(df))}</p>")
    body = "\n".join(out)
    if not standalone:
        return body
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{escape((label + ' ' + title).strip())}</title><style>{STYLE}</style></head>"
            f"<body>\n{body}\n</body></html>\n")


def write(df, path: Path, number=1) -> None:
    Path(path).write_text(render(df, number), encoding="utf-8", newline="")

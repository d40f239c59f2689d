"""Reading spreadsheets (participant tables, coding sheets) from CSV or XLSX, by suffix."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..safety import (
    MAX_SHEET,
    MAX_TRANSCRIPT,
    check_office,
    check_rows,
    csv_fields_up_to,
    read_limited,
)


@dataclass
class Sheet:
    """A header and its data rows; ``rows`` pairs each row with its 1-based file row."""

    path: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def column(self, *aliases: str) -> int | None:
        """Index of the first column whose name matches one of ``aliases`` (any case)."""
        folded = [" ".join(h.casefold().replace("_", " ").split()) for h in self.header]
        for alias in aliases:
            if alias in folded:
                return folded.index(alias)
        return None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(path: Path) -> list[list[str]]:
    from ..ingest.text import decode

    text, _ = decode(read_limited(path, MAX_SHEET, "table"), str(path))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv_fields_up_to(min(len(text), MAX_TRANSCRIPT))  # a quote as long as a transcript
    rows = []
    # newline="": a bare carriage return ends a row, as in a file opened for csv
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            rows.append([c.strip() for c in row])
            if len(rows) % 1000 == 0:
                check_rows(len(rows) - 1, str(path))  # the header is not a row
    except csv.Error as exc:  # a field over the csv module's limit, a stray quote...
        raise InputError(f"not a readable table ({exc})", path=str(path),
                         line=reader.line_num,
                         hint="re-save it as CSV (UTF-8) from a spreadsheet") from None
    check_rows(len(rows) - 1, str(path))  # the header is not a row
    return rows


def _read_xlsx(path: Path) -> list[list[str]]:
    """Checked (sizes, ratios, CRCs, no DOCTYPE in any part) before openpyxl parses it."""
    check_office(path, path.suffix.lower(), "xl/workbook.xml", "an Excel workbook")
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged parts
        raise InputError("not a readable .xlsx workbook", path=str(path),
                         hint="re-save it from Excel, or export it as CSV") from exc
    try:
        if not wb.worksheets:
            raise InputError("the workbook has no worksheet", path=str(path))
        ws = wb.worksheets[0]
        if (ws.max_column or 0) > 1000:  # rows come padded to the declared width
            raise InputError(f"refusing a sheet {ws.max_column:,} columns wide (the limit is "
                             "1,000)", path=str(path),
                             hint="delete the empty columns, or save it as CSV")
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) % 1000 == 0:
                check_rows(len(rows) - 1, str(path))  # the header is not a row
        check_rows(len(rows) - 1, str(path))  # the header is not a row
        return rows
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read the first sheet ({type(exc).__name__})",
                         path=str(path), hint="re-save it from Excel, or export it as CSV") \
            from exc
    finally:
        wb.close()


_READERS = {".csv": _read_csv, ".tsv": _read_csv, ".txt": _read_csv, ".xlsx": _read_xlsx,
            ".xlsm": _read_xlsx}


def read_sheet(path: Path) -> Sheet:
    """Read the first sheet; blank rows are skipped, trailing empty columns dropped."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"unsupported table format '{path.suffix}'", path=str(path),
                         hint="use .csv or .xlsx")
    if path.stat().st_size == 0:
        raise InputError("file is empty", path=str(path))
    raw = reader(path)
    numbered = [(i, row) for i, row in enumerate(raw, 1) if any(c for c in row)]
    if not numbered:
        raise InputError("no rows in the table", path=str(path))
    header_line, header = numbered[0]
    while header and not header[-1]:
        header = header[:-1]
    if not header or any(not h for h in header):
        raise InputError("header row has an empty column name", path=str(path),
                         line=header_line)
    rows = [(i, (row + [""] * len(header))[:len(header)]) for i, row in numbered[1:]]
    return Sheet(str(path), [h.strip() for h in header], rows)

"""Importing a participant table (CSV/TSV/XLSX): an ID column plus attribute columns.

Strict on purpose: the ID column must be named (no guessing that the first column holds
IDs), and IDs that differ only in case (``P1``, ``p1``) are one participant, so a file that
has both, or that adds ``p1`` beside an existing ``P1``, is refused before anything changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError, ValidationReport
from ..participants import attributes
from ..store.base import Store

ID_ALIASES = ("id", "participant", "participant id", "participant code", "code", "pseudonym")


def _id_index(sheet, path: Path, id_column: str | None) -> int:
    if id_column:
        idx = sheet.column(" ".join(id_column.casefold().replace("_", " ").split()))
        if idx is None:
            raise InputError(f"no column '{id_column}'", path=str(path), line=1,
                             hint="columns: " + ", ".join(sheet.header))
        return idx
    idx = sheet.column(*ID_ALIASES)
    if idx is None:
        raise InputError("no participant ID column", path=str(path), line=1,
                         hint="name it ID or Participant, or give --id-column NAME "
                              "(columns: " + ", ".join(sheet.header) + ")")
    return idx


def import_participants(store: Store, path: str | Path, id_column: str | None = None, *,
                        unquote: bool = False) -> dict[str, int]:
    """Add or update participants; every bad row is listed and nothing changes if any.

    ``unquote`` takes off the quote our own CSV exports put before formula-like text.
    """
    from .cells import restore
    from .read import read_sheet

    path = Path(path)
    sheet = read_sheet(path)
    if unquote:
        sheet.rows = [(line, [restore(c) for c in row]) for line, row in sheet.rows]
    sheet.header, typed = attributes.split_header(sheet.header)  # "Age:number"
    idx = _id_index(sheet, path, id_column)
    guid_idx = sheet.column("guid")
    attr_cols = [i for i in range(len(sheet.header)) if i not in (idx, guid_idx)]
    existing = {p.code.casefold(): p.code for p in store.participants()}
    problems: list[str] = []
    seen: dict[str, tuple[str, int]] = {}
    for line, row in sheet.rows:
        code = row[idx].strip()
        key = code.casefold()
        if not code:
            problems.append(f"{path}, line {line}: empty participant ID")
        elif key in seen:
            first, at = seen[key]
            problems.append(f"{path}, line {line}: participant {code} repeats line {at}"
                            + ("" if first == code else f" ({first}: IDs differing only in "
                               "case are one participant)"))
        elif not re.fullmatch(r"[\w.\-]+", code):
            problems.append(f"{path}, line {line}: participant ID '{code}' has spaces or "
                            "symbols (use IDs like P3)")
        elif key in existing and existing[key] != code:
            problems.append(f"{path}, line {line}: participant {code} already exists as "
                            f"{existing[key]} (use that spelling)")
        seen.setdefault(key, (code, line))
    types = {**dict(store.settings().get("attribute_types") or {}), **typed}
    problems += attributes.problems(str(path), types, sheet.header, sheet.rows)
    if problems:
        raise ValidationReport(f"{path}: {len(problems)} bad row(s), nothing imported",
                               problems)
    new = 0
    with store.transaction():
        if typed:
            store.set_setting("attribute_types", types)
        for _, row in sheet.rows:
            code = row[idx].strip()
            new += code.casefold() not in existing
            store.upsert_participant(
                code, {sheet.header[i]: row[i] for i in attr_cols},
                guid=row[guid_idx] if guid_idx is not None and row[guid_idx] else None)
    return {"new": new, "updated": len(sheet.rows) - new}

"""Writing agreement results: an .xlsx with two sheets, or CSV files."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def write_agreement(result, path: str | Path, *, raw: bool = False) -> Path:
    """``.xlsx``: sheets 'agreement' and 'disagreements'; ``.csv``: the table, and the
    disagreements beside it as NAME_disagreements.csv (formula-like text neutralised
    unless ``raw``; in .xlsx text is always text)."""
    from ..cells import neutralise_frame, text_not_formulas

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import pandas as pd

        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            result.table.to_excel(xl, sheet_name="agreement", index=False)
            result.disagreements.to_excel(xl, sheet_name="disagreements", index=False)
            text_not_formulas(xl.book)
        return path
    if suffix == ".csv":
        neutralise_frame(result.table, raw).to_csv(path, index=False, lineterminator="\n")
        neutralise_frame(result.disagreements, raw).to_csv(
            path.with_name(path.stem + "_disagreements.csv"), index=False, lineterminator="\n")
        return path
    raise InputError("agreement is written as .xlsx or .csv", path=str(path))

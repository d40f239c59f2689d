"""Writing agreement results: an .xlsx with two sheets, or CSV files."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def write_agreement(result, path: str | Path, *, raw: bool = False) -> Path:
    """``.xlsx``: sheets 'agreement', 'disagreements' and 'by transcript'; ``.csv``: the
    table, and the disagreements beside it as NAME_disagreements.csv (formula-like text
    neutralised unless ``raw``; in .xlsx text is always text)."""
    from ..sheets.cells import neutralise_frame

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from ..sheets.cells import new_xlsx, save_xlsx

        wb = new_xlsx()
        _sheet(wb, "agreement", result.table)
        _sheet(wb, "disagreements", result.disagreements)
        if result.by_transcript is not None:
            _sheet(wb, "by transcript", result.by_transcript)
        save_xlsx(wb, path)
        return path
    if suffix == ".csv":
        neutralise_frame(result.table, raw).to_csv(path, index=False, lineterminator="\n")
        neutralise_frame(result.disagreements, raw).to_csv(
            path.with_name(path.stem + "_disagreements.csv"), index=False, lineterminator="\n")
        return path
    raise InputError("agreement is written as .xlsx or .csv", path=str(path))


def _sheet(wb, name: str, df) -> None:
    """``df`` as a sheet: a header row, then the values as they are typed (text as text)."""
    from ..sheets.cells import write_cell

    ws = wb.add_worksheet(name)
    for col, label in enumerate(df.columns):
        write_cell(ws, 0, col, str(label))
    for r, row in enumerate(df.to_numpy(dtype=object).tolist(), start=1):
        for col, value in enumerate(row):
            write_cell(ws, r, col, value)

"""CSV: the data of a table (group column kept as a column), UTF-8, no BOM, \\n endings."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".csv",)


def render(df, number=1) -> str:
    """Formula-like text cells get a leading quote unless the frame is marked raw."""
    from ...sheets.cells import neutralise_frame

    return neutralise_frame(df).to_csv(index=False, lineterminator="\n")


def write(df, path: Path, number=1) -> None:
    Path(path).write_text(render(df, number), encoding="utf-8", newline="")

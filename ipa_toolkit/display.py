"""Turning library results into terminal text: tables, CSV, JSON. No analysis here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMATS = ("table", "csv", "json")


def shorten(text: Any, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(df: pd.DataFrame, fmt: str = "table", *, wide: tuple[str, ...] = (),
           width: int = 60, raw: bool = False) -> str:
    """A DataFrame as a terminal table (long text columns shortened), CSV or JSON.

    CSV is meant for spreadsheets: formula-like text gets a leading quote unless ``raw``.
    """
    if fmt == "csv":
        from .cells import neutralise_frame

        return neutralise_frame(df, raw).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(df.to_dict(orient="records"), ensure_ascii=False, indent=2,
                          default=str) + "\n"
    if df.empty:
        return "(none)\n"
    shown = df.copy()
    for col in wide:
        if col in shown:
            shown[col] = shown[col].map(lambda v: shorten(v, width))
    return shown.to_string(index=False) + "\n"

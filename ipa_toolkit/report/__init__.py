"""Reports: the tables and figures of a paper, regenerated from the coded project."""

from __future__ import annotations

from .build import write_report

__all__ = ["write_report"]

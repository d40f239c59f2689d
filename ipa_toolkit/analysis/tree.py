"""The codebook as an indented tree with passages and participants per theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .prevalence import by_coder as per_coder
from .prevalence import prevalence

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project


def codebook_tree(project: Project, counts: bool = True, by_coder: bool = False) -> str:
    """One line per theme; counts cover the whole subtree, overlapping codings counted as
    one passage. ``by_coder`` adds each coder's own passages (RA 8, RB 5)."""
    cb = project.codebook
    prev = prevalence(project) if counts else None
    coders = per_coder(project) if counts and by_coder else {}
    n_part = len(project.store.participants())
    out = [cb.name] if cb.name else []
    for t in cb.walk():
        line = f"{'  ' * cb.depth(t)}{t.number} {t.label}"
        if t.retired:
            line += " [retired]"
        if prev is not None:
            line = line.ljust(60) + f" {prev.total_passages(t):>4} passages  " \
                                    f"{len(prev.contributors(t)):>2}/{n_part} participants"
        if coders:
            line += "  (" + ", ".join(f"{c} {p.total_passages(t)}"
                                      for c, p in coders.items()) + ")"
        out.append(line.rstrip())
    if not cb.themes:
        out.append("(empty codebook: 'ipa codebook import FILE.yaml' or 'ipa theme add')")
    return "\n".join(out)

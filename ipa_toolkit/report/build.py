"""``ipa report``: every output of the project written into one folder."""

from __future__ import annotations

from pathlib import Path


def write_report(project, out: Path) -> list[Path]:
    """Write the codebook (tree and YAML) and the codings listing (CSV) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tree = out / "codebook.txt"
    tree.write_text(project.codebook_tree() + "\n", encoding="utf-8")
    written.append(tree)
    yml = out / "codebook.yaml"
    project.export_codebook(yml)
    written.append(yml)
    codings = out / "codings.csv"
    df = project.codings().drop(columns=["created"])
    df.to_csv(codings, index=False, lineterminator="\n")
    written.append(codings)
    return written

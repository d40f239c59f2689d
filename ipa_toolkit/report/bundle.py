"""``ipa audit --out DIR``: a bundle an independent auditor can follow (Smith et al. 2009;
Yardley 2000) from each group theme down to the PETs, statements, passages and lines,
with when and by whom each step was taken.

The bundle is plain files: ``trail.md`` (the path, theme by theme), ``log.csv`` (the whole
append-only log, snapshots included), ``statements.csv``, ``pets.csv``, ``codings.csv`` and
``transcripts/NAME.txt`` numbered line by line as cited.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import natural_key
from ..sheets.cells import neutralise, neutralise_frame
from ..terms import for_project
from .idiographic import case_index

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

README = """Audit bundle written by ipa-toolkit.

Start with trail.md: for each {group} it lists the {case}s mapped to it (with their
{unit}s) and the passages coded to it directly, each cited by participant and line.
Open transcripts/NAME.txt to read a cited passage in its context: every line carries the
number the citations use. log.csv is the project's append-only audit log: every change
(when, who, the command, what, and the row before and after, as JSON).
"""


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """A CSV a spreadsheet opens safely: formula-like text gets a leading quote."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([neutralise(v) for v in row] for row in rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def _q(text: str, words: int = 60) -> str:
    parts = str(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def trail(project: ProjectLike) -> str:
    """The audit trail as Markdown: GET > PETs > statements > passages, and direct codings."""
    t = for_project(project)
    cb = project.codebook
    store = project.store
    owner, codes, pets, members = case_index(project)
    mapped: dict[int, list] = {}
    for pid, tid in store.pet_themes():
        mapped.setdefault(tid, []).append(pets[pid])
    coded: dict[int, list] = {}
    for c in store.codings():
        coded.setdefault(c.theme_id, []).append(c)
    from ..terms import level_of, project_levels, themed
    from .writers.markdown import text as md  # every value from the project, escaped

    levels = project_levels(project)
    out = [f"# Audit trail: {md(cb.name or 'study')}", ""]
    for th in cb.walk():
        depth = cb.depth(th)
        word = themed(level_of(levels, depth))
        out += [f"{'#' * min(depth + 2, 6)} {md(word[:1].upper() + word[1:])} "
                f"{md(th.number)}: {md(th.label)}", ""]
        for pet in sorted(mapped.get(th.id, []), key=lambda p: (
                natural_key(codes[p.participant_id]), natural_key(p.number))):
            who = codes[pet.participant_id]
            out.append(f"- {md(t.case_short)} {md(who)}:{md(pet.number)} \"{md(pet.label)}\" "
                       f"(made by {md(pet.coder or '?')} on {md(pet.created or '?')})")
            for s in sorted(members.get(pet.id, []), key=lambda s: s.start_line):
                out.append(f"    - {md(t.unit)} #{s.id} \"{md(s.text)}\" "
                           f"{md(project.cite(who, s.start_line, s.end_line))}, "
                           f"{md(s.coder)} {md(s.created)}: \"{md(_q(s.quote))}\"")
        for c in sorted(coded.get(th.id, []), key=lambda c: (
                natural_key(owner[c.transcript_id]), c.start_line)):
            who = owner[c.transcript_id]
            out.append(f"- coded {md(project.cite(who, c.start_line, c.end_line))} by "
                       f"{md(c.coder)} on {md(c.created)}"
                       f"{' (' + c.status + ')' if c.status != 'ok' else ''}: "
                       f"\"{md(_q(c.quote))}\"")
        if out[-1]:
            out.append("")
    return "\n".join(out)


def write_audit(project: ProjectLike, out: Path) -> list[Path]:
    """Write the bundle into ``out`` (created); returns the files written."""
    from ..errors import InputError
    from ..safety import inside, safe_name

    out = Path(out)
    if out.is_dir() and any(out.iterdir()) and not (out / "bundle.json").is_file():
        raise InputError("the folder is not empty and holds no earlier audit bundle",
                         path=str(out), hint="choose a new or empty folder; an earlier "
                                             "bundle there is refreshed")
    inside(out, "transcripts")  # not a link to somewhere else
    (out / "transcripts").mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    t = for_project(project)
    written = []
    readme = out / "README.txt"
    readme.write_text(README.format(group=t.group.lower(), case=t.case.lower(),
                                    unit=t.unit.lower()), encoding="utf-8")
    path = out / "trail.md"
    path.write_text(trail(project) + "\n", encoding="utf-8")
    written += [readme, path]
    log = out / "log.csv"
    _csv(log, ["id", "when", "who", "command", "action", "entity", "entity_id", "participant",
               "theme", "before", "after"],
         [list(r) for r in project.store.iter_log_rows()])
    from ..coding.table import frame
    from ..method.idiographic import Idiographic

    idio = Idiographic(project)
    rows = idio.statement_rows()
    stm = out / "statements.csv"
    _csv(stm, list(rows[0]) if rows else ["id"], [list(r.values()) for r in rows])
    prow = idio.pet_rows()
    pts = out / "pets.csv"
    _csv(pts, list(prow[0]) if prow else ["pet"], [list(r.values()) for r in prow])
    cod = out / "codings.csv"
    neutralise_frame(frame(project).drop(columns=["start_char", "end_char"])).to_csv(
        cod, index=False, lineterminator="\n")
    written += [log, stm, pts, cod]
    for tr in project.transcript_list():
        lines = project.store.lines(tr.id)
        width = len(str(len(lines)))
        f = inside(out / "transcripts", f"{safe_name(tr.name, taken)}.txt")
        f.write_text(f"{tr.name} ({tr.participant})\n" + "\n".join(
            f"{ln.number:>{width}}  {ln.text}" for ln in lines) + "\n", encoding="utf-8")
        written.append(f)
    meta = out / "bundle.json"
    meta.write_text(json.dumps({"format": "ipa-toolkit audit bundle 1",
                                "log_rows": sum(1 for _ in project.store.iter_log_rows()),
                                "terms": project.setting("terms")}, indent=2) + "\n",
                    encoding="utf-8")
    written.append(meta)
    return written

"""Plain files: the whole project as diff-friendly text, for version control.

Layout of the folder::

    ipa-project.yaml     format marker and project settings
    codebook.yaml        the codebook, in the import format (plus guids)
    participants.csv     ID, attributes in order, guid
    transcripts.csv      one row per transcript (participant, source, checksum, guid)
    transcripts/NAME.txt the frozen lines, one per row; a blank row between paragraphs
    speakers.csv         the speaker of each turn (rows only where the speaker changes)
    codings.csv          every coding with line range, character offsets and quote
    notes.csv            exploratory notes
    memos.csv            theme memos
    statements.csv       experiential statements, anchored like codings
    pets.csv             personal experiential themes: statements (guids) and GETs mapped
    log.csv              the audit log, row for row (snapshots as JSON)

Import reads the same files back into an empty project, losslessly; the log is restored as
it was (the import itself adds no rows to it, so the history stays the study's own).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook.edit import apply_spec
from ..codebook.file import read_codebook_file
from ..errors import InputError, ProjectError
from ..ingest.lines import layout_from_lines, lines_from_layout
from ..model import Coding, Line, Memo, Note, Pet, Statement, natural_key
from ..safety import (
    MAX_CODEBOOK,
    MAX_SHEET,
    csv_fields_up_to,
    inside,
    load_yaml,
    read_limited,
    safe_name,
)
from ..sheets.cells import neutralise, restore
from ..sheets.participants import import_participants

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

SUFFIXES = ("",)
MARKER = "ipa-project.yaml"
FORMAT = "ipa-toolkit plain files 1"


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Formula-like text gets a leading quote (safe in a spreadsheet); ``_read_csv`` takes
    exactly that quote off again, so the round trip stays lossless."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([neutralise(v) for v in row] for row in rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def _read_csv(path: Path, limit: int = MAX_SHEET) -> list[dict[str, str]]:
    if not path.exists():
        return []
    inside(path.parent, path.name, reading=True)
    text = read_limited(path, limit, "table").decode("utf-8-sig", errors="strict")
    csv_fields_up_to(len(text))
    return [{k: v if v is None else restore(v) for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(text, newline=""))]


def export_project(project: ProjectLike, folder: Path) -> Path:
    """Write the project to ``folder`` (created; an earlier export there is refreshed)."""
    import yaml

    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise InputError("folder exists and is not an earlier ipa export", path=str(folder),
                         hint="choose a new or empty folder")
    inside(folder, "transcripts")  # not a link to somewhere else
    (folder / "transcripts").mkdir(parents=True, exist_ok=True)
    for name in (MARKER, "codebook.yaml", "participants.csv", "transcripts.csv",
                 "speakers.csv", "codings.csv", "notes.csv", "memos.csv"):
        inside(folder, name)
    store = project.store
    settings = {k: v for k, v in sorted(store.settings().items())}
    (folder / MARKER).write_text(yaml.safe_dump({"format": FORMAT, "settings": settings},
                                                sort_keys=False, allow_unicode=True),
                                 encoding="utf-8")
    cb = project.codebook
    (folder / "codebook.yaml").write_text(
        cb.to_yaml(extra={t.id: {"guid": t.guid} for t in cb.themes}), encoding="utf-8")
    names = store.attribute_names()
    _write_csv(folder / "participants.csv", ["ID", *names, "guid"],
               [[p.code, *[p.attributes.get(n, "") for n in names], p.guid]
                for p in project.participant_list()])
    transcripts = project.transcript_list()
    tname = {t.id: t.name for t in transcripts}
    tpart = {t.id: t.participant for t in transcripts}
    wanted: set[str] = set()
    fname = {}  # transcript names are data: made safe, unique file names
    speaker_rows = []
    for t in transcripts:
        text = store.transcript_text(t.id)
        lines = store.lines(t.id)
        fname[t.id] = safe_name(t.name, wanted) + ".txt"
        inside(folder, f"transcripts/{fname[t.id]}").write_text(
            layout_from_lines(text, lines), encoding="utf-8", newline="\n")
        prev = (None, None)
        for ln in lines:
            if (ln.speaker, ln.role) != prev or ln.timestamp:
                speaker_rows.append([t.name, ln.number, ln.speaker or "", ln.role or "",
                                     ln.timestamp or ""])
                prev = (ln.speaker, ln.role)
    for stale in (folder / "transcripts").glob("*.txt"):
        if stale.name[:-4].casefold() not in wanted and not stale.is_symlink():
            inside(folder, stale.relative_to(folder)).unlink()
    _write_csv(folder / "transcripts.csv",
               ["transcript", "participant", "file", "source", "format", "width", "sha256",
                "ingested", "guid"],
               [[t.name, t.participant, f"transcripts/{fname[t.id]}", t.source, t.format,
                 t.width, t.sha256, t.ingested, t.guid] for t in transcripts])
    _write_csv(folder / "speakers.csv", ["transcript", "line", "speaker", "role", "timestamp"],
               speaker_rows)
    codings = sorted(store.codings(), key=lambda c: (natural_key(tname[c.transcript_id]),
                                                     c.start, c.end, natural_key(
                                                         cb.get(c.theme_id).number), c.coder))
    _write_csv(folder / "codings.csv",
               ["participant", "transcript", "start_line", "end_line", "start_char",
                "end_char", "theme", "theme_label", "coder", "note", "created", "status",
                "exemplar", "guid", "quote"],
               [[tpart[c.transcript_id], tname[c.transcript_id], c.start_line, c.end_line,
                 c.start, c.end, cb.get(c.theme_id).number, cb.get(c.theme_id).label, c.coder,
                 c.note, c.created, c.status, int(c.exemplar), c.guid, c.quote]
                for c in codings])
    _write_csv(folder / "notes.csv",
               ["participant", "transcript", "start_line", "end_line", "start_char",
                "end_char", "kind", "author", "created", "status", "guid", "note"],
               [[tpart[n.transcript_id], tname[n.transcript_id], n.start_line, n.end_line,
                 n.start, n.end, n.kind, n.author, n.created, n.status, n.guid, n.text]
                for n in store.notes()])
    _write_csv(folder / "memos.csv", ["theme", "author", "created", "guid", "memo"],
               [[cb.get(m.theme_id).number, m.author, m.created, m.guid, m.text]
                for m in store.memos()])
    _export_idiographic(project, folder, tname, tpart)
    _write_csv(folder / "log.csv", list(LOG_HEADER), [list(r) for r in store.iter_log_rows()])
    return folder


LOG_HEADER = ("id", "changed_at", "actor", "command", "op", "entity", "entity_id",
              "participant", "theme", "old_value", "new_value")


def _log_row(row: dict[str, str]) -> list[object]:
    """A log.csv row as the store takes it: empty snapshots are None, ids are numbers."""
    from ..store.log import log_id

    out: list[object] = [row[k] for k in LOG_HEADER[1:]]
    out[5] = log_id(row["entity_id"])
    out[8] = row["old_value"] or None
    out[9] = row["new_value"] or None
    for snapshot in out[8:10]:  # JSON, or every later reader of the log fails on it
        try:
            if snapshot is not None:
                json.loads(snapshot)
        except RecursionError:
            raise ValueError("a log snapshot is nested too deeply") from None
    return out


def _export_idiographic(project: ProjectLike, folder: Path, tname: dict, tpart: dict) -> None:
    store = project.store
    cb = project.codebook
    stmts = sorted(store.statements(), key=lambda s: (natural_key(tname[s.transcript_id]),
                                                      s.start, s.end, s.id))
    _write_csv(folder / "statements.csv",
               ["participant", "transcript", "start_line", "end_line", "start_char",
                "end_char", "text", "note", "coder", "created", "status", "guid", "quote"],
               [[tpart[s.transcript_id], tname[s.transcript_id], s.start_line, s.end_line,
                 s.start, s.end, s.text, s.note, s.coder, s.created, s.status, s.guid, s.quote]
                for s in stmts])
    guid = {s.id: s.guid for s in stmts}
    codes = {p.id: p.code for p in store.participants()}
    pets = store.pets()
    by_id = {p.id: p for p in pets}
    members: dict[int, list[str]] = {}
    for pid, sid in store.pet_statements():
        members.setdefault(pid, []).append(guid[sid])
    themes: dict[int, list[str]] = {}
    for pid, tid in store.pet_themes():
        themes.setdefault(pid, []).append(cb.get(tid).number)
    rows = sorted(pets, key=lambda p: (natural_key(codes[p.participant_id]),
                                       natural_key(p.number)))
    _write_csv(folder / "pets.csv",
               ["participant", "number", "label", "parent", "description", "position",
                "coder", "created", "guid", "statements", "themes"],
               [[codes[p.participant_id], p.number, p.label,
                 by_id[p.parent_id].number if p.parent_id else "", p.description, p.position,
                 p.coder, p.created, p.guid, " ".join(members.get(p.id, [])),
                 "; ".join(themes.get(p.id, []))] for p in rows])


def _import_idiographic(project: ProjectLike, folder: Path, tids: dict[str, int]) -> dict[str, int]:
    store = project.store
    cb = project.codebook
    sids: dict[str, int] = {}
    owner = {t.id: t.participant for t in store.transcripts()}
    sowner: dict[str, str] = {}  # statement guid -> its transcript's participant
    size: dict[int, int] = {}
    where = folder / "statements.csv"
    for i, row in enumerate(_read_csv(where), 2):
        if row["transcript"] not in tids:
            raise InputError("unknown transcript", path=str(where), line=i)
        tid = tids[row["transcript"]]
        if tid not in size:
            size[tid] = len(store.transcript_text(tid))
        if not 0 <= int(row["start_char"]) <= int(row["end_char"]) <= size[tid]:
            raise InputError("the statement's characters lie outside its transcript",
                             path=str(where), line=i, hint="export the project again")
        sowner[row["guid"]] = owner[tid]
        sids[row["guid"]] = store.add_statement(Statement(
            0, tids[row["transcript"]], int(row["start_line"]), int(row["end_line"]),
            int(row["start_char"]), int(row["end_char"]), row["quote"], row["text"],
            row["note"], row["coder"], row["created"], row["status"], row["guid"]))
    parts = {p.code: p.id for p in store.participants()}
    pet_ids: dict[tuple[str, str], int] = {}
    where = folder / "pets.csv"
    for i, row in enumerate(_read_csv(where), 2):
        parent = pet_ids.get((row["participant"], row["parent"])) if row["parent"] else None
        if row["participant"] not in parts or (row["parent"] and parent is None):
            raise InputError("unknown participant or parent PET", path=str(where), line=i)
        pid = store.add_pet(Pet(0, parts[row["participant"]], row["number"], row["label"],
                                parent, row["description"], int(row["position"] or 0),
                                row["coder"], row["created"], row["guid"]))
        pet_ids[(row["participant"], row["number"])] = pid
        for g in row["statements"].split():
            if g not in sids:
                raise InputError(f"unknown statement {g}", path=str(where), line=i)
            if sowner[g].casefold() != row["participant"].casefold():
                raise InputError(f"statement {g} belongs to {sowner[g]}, not "
                                 f"{row['participant']}", path=str(where), line=i,
                                 hint="a PET gathers one participant's statements")
            store.add_pet_statement(pid, sids[g])
        for number in filter(None, (n.strip() for n in row["themes"].split(";"))):
            th = cb.by_number(number)
            if th is None:
                raise InputError(f"unknown theme {number}", path=str(where), line=i)
            store.add_pet_theme(pid, th.id)
    return {"statements": len(sids), "pets": len(pet_ids)}


def import_project(project: ProjectLike, folder: Path) -> dict[str, int]:
    """Read an exported folder into an empty project, in one transaction."""
    folder = Path(folder)
    if not (folder / MARKER).exists():
        raise InputError(f"not an ipa export (no {MARKER})", path=str(folder))
    if not project.store.is_empty():
        raise ProjectError("the project is not empty; import into a new project",
                           hint="ipa init NEWDIR && ipa -p NEWDIR import " + str(folder))
    marker = inside(folder, MARKER, reading=True)
    meta = load_yaml(read_limited(marker, MAX_CODEBOOK, "file").decode("utf-8"),
                     str(marker)) or {}
    if not isinstance(meta, dict):
        raise InputError("not an ipa export marker", path=str(marker))
    if meta.get("format") != FORMAT:
        raise InputError(f"unknown export format {meta.get('format')!r}",
                         path=str(folder / MARKER))
    store = project.store
    counts = {}
    log_rows = _read_csv(folder / "log.csv", 16 * MAX_SHEET)  # snapshots make it long
    store.logging = not log_rows  # an exported history is restored as it was, not re-logged
    try:
        with store.transaction():
            _import_rows(project, folder, meta, counts)
            store.logging = True
            counts["log"] = store.restore_log([_log_row(r) for r in log_rows])
    finally:
        store.logging = True
    project.refresh()
    counts.update(participants=len(store.participants()), transcripts=len(counts["_tids"]),
                  themes=len(store.themes()), notes=len(store.notes()),
                  memos=len(store.memos()))
    del counts["_tids"]
    return counts


def _import_rows(project: ProjectLike, folder: Path, meta: dict, counts: dict) -> None:
    store = project.store
    for key, value in (meta.get("settings") or {}).items():
        store.set_setting(key, value)
    if (folder / "codebook.yaml").exists():
        cb_path = inside(folder, "codebook.yaml", reading=True)
        apply_spec(store, project.settings()["levels"], read_codebook_file(cb_path))
        project.refresh()
    if (folder / "participants.csv").exists():
        import_participants(store, inside(folder, "participants.csv", reading=True), "ID",
                            unquote=True)
    part_ids = {p.code: p.id for p in store.participants()}
    speakers: dict[str, list[dict[str, str]]] = {}
    for row in _read_csv(folder / "speakers.csv"):
        speakers.setdefault(row["transcript"], []).append(row)
    tids = {}
    for i, row in enumerate(_read_csv(folder / "transcripts.csv"), 2):
        try:  # the file column is data: it may only name a file inside this folder
            path = inside(folder, row["file"], reading=True)
        except InputError as exc:
            raise InputError(exc.message, path=str(folder / "transcripts.csv"), line=i,
                             hint="an export only names files inside its own folder") \
                from None
        if not path.is_file():
            raise InputError(f"missing {row['file']}", path=str(folder / "transcripts.csv"),
                             line=i)
        text, spans = lines_from_layout(read_limited(path, what="transcript")
                                        .decode("utf-8"))
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != row["sha256"]:
            raise InputError("the transcript was edited after export; its codings would "
                             "no longer line up", path=str(path),
                             hint="restore it, then re-ingest the edited version with "
                                  "'ipa ingest' so codings are re-anchored")
        turns = {int(r["line"]): r for r in speakers.get(row["transcript"], [])}
        lines, cur = [], {"speaker": "", "role": ""}
        for n, (s, e) in enumerate(spans, 1):
            stamp = None
            if n in turns:
                cur = turns[n]
                stamp = cur["timestamp"] or None
            lines.append(Line(n, s, e, text[s:e], cur["speaker"] or None,
                              cur["role"] or None, stamp))
        if row["participant"] not in part_ids:
            part_ids[row["participant"]] = store.upsert_participant(row["participant"], {})
        tids[row["transcript"]] = store.add_transcript(
            name=row["transcript"], participant_id=part_ids[row["participant"]],
            source=row["source"], format=row["format"], sha256=row["sha256"],
            width=int(row["width"]), text=text, lines=lines, ingested=row["ingested"],
            guid=row["guid"] or None)
    cb = project.codebook
    codings = []
    for i, row in enumerate(_read_csv(folder / "codings.csv"), 2):
        th = cb.by_number(row["theme"])
        if th is None or row["transcript"] not in tids:
            raise InputError("unknown theme or transcript", path=str(folder / "codings.csv"),
                             line=i)
        codings.append(Coding(0, tids[row["transcript"]], th.id, int(row["start_line"]),
                              int(row["end_line"]), int(row["start_char"]),
                              int(row["end_char"]), row["quote"], row["coder"], row["note"],
                              row["created"], row["status"], row["exemplar"] == "1",
                              row["guid"]))
    counts["codings"] = store.add_codings(codings)
    for row in _read_csv(folder / "notes.csv"):
        store.add_note(Note(0, tids[row["transcript"]], int(row["start_line"]),
                            int(row["end_line"]), int(row["start_char"]),
                            int(row["end_char"]), row["kind"], row["note"], row["author"],
                            row["created"], row["status"], row["guid"]))
    for row in _read_csv(folder / "memos.csv"):
        store.add_memo(Memo(0, cb.by_number(row["theme"]).id, row["memo"], row["author"],
                            row["created"], row["guid"]))
    counts.update(_import_idiographic(project, folder, tids))
    counts["_tids"] = tids

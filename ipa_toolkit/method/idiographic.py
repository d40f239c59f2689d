"""The idiographic path of IPA: one case at a time, then across cases.

A researcher writes *experiential statements* (2009: emergent themes) on passages of one
participant's transcript, clusters them into that participant's *personal experiential
themes* (PETs, with optional sub-themes), and maps each PET onto the *group experiential
themes* (GETs) of the codebook. A PET belongs to one participant and is cited by its
per-participant number, ``P3:2`` (sub-theme ``P3:2.1``).

This module holds the rules (who may hold which statement, numbering, merging); the store
holds the SQL and writes the audit log. It imports no pandas, so ``ipa statement`` and
``ipa pet map`` stay quick; the DataFrame views import it when asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import CodebookError, CodingError, InputError
from ..ingest import anchor
from ..model import Participant, Pet, Statement, Theme, natural_key, now

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

_PET_REF = re.compile(r"^\s*([^:\s]+)\s*:\s*(\d+(?:\.\d+)*)\s*$")
_MARKER = r"(?i)/\s*(PET|GET)\s*:"  # where a Word comment's parts begin (compiled on use)
STATEMENT_COLUMNS = ("id", "participant", "transcript", "start_line", "end_line", "quote",
                     "text", "note", "coder", "created")
PET_COLUMNS = ("pet", "participant", "number", "label", "parent", "statements", "themes",
               "description", "coder", "created", "id")


def parse_ids(ids: Iterable[int | str] | str | int | None) -> list[int]:
    """'4,7,9' / '4-6' / [4, 7] / 4 -> [4, 7, 9]; anything else is one clear error."""
    if ids is None:
        return []
    if isinstance(ids, int):
        return [ids]
    parts = re.split(r"[,\s]+", ids) if isinstance(ids, str) else [str(i) for i in ids]
    out: list[int] = []
    for part in (p.strip().lstrip("#") for p in parts):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise InputError(f"'{part}' is not a statement id",
                             hint="give ids as 'ipa statements' lists them, e.g. 4,7,9")
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        out.extend(range(a, b + 1))
    return list(dict.fromkeys(out))


class Idiographic:
    """Statements, PETs and their mapping to GETs for one project (``project.idio``)."""

    def __init__(self, project: ProjectLike):
        self.project = project
        self.store = project.store

    # -- lookups --------------------------------------------------------------------------
    def _owner(self, transcript_id: int) -> str:
        return next(t.participant for t in self.store.transcripts() if t.id == transcript_id)

    def statement(self, statement_id: int | str) -> Statement:
        ids = parse_ids(statement_id)
        s = self.store.statement(ids[0]) if len(ids) == 1 else None
        if s is None:
            raise InputError(f"no experiential statement with id {statement_id}",
                             hint="'ipa statements' lists the ids")
        return s

    def _statements_of(self, who: Participant, ids: Sequence[int]) -> list[Statement]:
        """The statements named, each checked to exist and to be this participant's."""
        owner = {t.id: t.participant for t in self.store.transcripts()}
        out = []
        for sid in ids:
            s = self.store.statement(sid)
            if s is None:
                raise InputError(f"no experiential statement with id {sid}",
                                 hint=f"'ipa statements {who.code}' lists the ids")
            if owner[s.transcript_id].casefold() != who.code.casefold():
                raise InputError(f"statement {sid} belongs to {owner[s.transcript_id]}, not "
                                 f"{who.code}", hint="a PET gathers one participant's "
                                                     "statements")
            out.append(s)
        return out

    def pet(self, ref: str, participant: str | None = None) -> Pet:
        """A PET by ``P3:2`` (or number ``2`` with ``participant``)."""
        m = _PET_REF.match(str(ref))
        if m:
            code, number = m.groups()
        elif participant and re.fullmatch(r"\d+(?:\.\d+)*", str(ref).strip()):
            code, number = participant, str(ref).strip()
        else:
            raise InputError(f"'{ref}' is not a PET reference",
                             hint="write the participant and the PET's number, e.g. P3:2")
        who = self.project.participant(code)
        if participant and self.project.participant(participant).id != who.id:
            raise InputError(f"PET {ref} belongs to {who.code}, not {participant}")
        for p in self.store.pets(who.id):
            if p.number == number:
                return p
        mine = sorted((p.number for p in self.store.pets(who.id)), key=natural_key)
        raise InputError(f"{who.code} has no PET {number}",
                         hint=f"{who.code}'s PETs: {', '.join(mine)}" if mine else
                         f"make one with 'ipa pet add {who.code} LABEL'")

    def ref(self, pet: Pet) -> str:
        code = next(p.code for p in self.store.participants() if p.id == pet.participant_id)
        return f"{code}:{pet.number}"

    def _check_label(self, who: Participant, label: str, parent_id: int | None,
                     moving: int | None = None, mine: list[Pet] | None = None) -> None:
        """A PET label that Word comments and coding sheets carry back as this same PET:
        no '>' (it joins a sub-theme's path), not shaped like a reference (``P1:1``), no
        ``/ GET:``, and not the label of a sibling (two would come back as one)."""
        if PET_PATH_SEP in label:
            raise InputError(f"a PET label cannot hold '{PET_PATH_SEP}': '{label}'",
                             hint="'>' joins a PET and its sub-theme in Word comments and "
                                  "coding sheets; make a sub-theme with --parent")
        check_new_label(label)
        mine = self.store.pets(who.id) if mine is None else mine
        for p in mine:
            if (p.parent_id == parent_id and p.id != moving
                    and p.label.casefold() == label.casefold()):
                up = next((f"{who.code}:{q.number}" for q in mine if q.id == parent_id), "")
                raise InputError(f"{up or who.code} already has a "
                                 f"{'sub-theme' if up else 'PET'} '{p.label}' "
                                 f"({who.code}:{p.number})",
                                 hint="use that one, rename one of them, or merge them "
                                      "with 'ipa pet merge'")

    # -- statements -----------------------------------------------------------------------
    def add_statement(self, participant: str, text: str, *,
                      lines: tuple[int, int] | str | None = None, quote: str | None = None,
                      note: str = "", coder: str | None = None, transcript: str | None = None,
                      occurrence: int | None = None) -> Statement:
        """Anchor an experiential statement to a passage (by line range or quote)."""
        text = " ".join(str(text).split())
        if not text:
            raise InputError("the experiential statement is empty")
        check_statement_text(text)
        t = self.project.transcript(participant, transcript)
        span = anchor.passage(self.project.store, t, lines, quote, occurrence)
        passage = self.store.transcript_text(t.id)[span.start:span.end]
        s = Statement(0, t.id, span.start_line, span.end_line, span.start, span.end, passage,
                      text, (note or "").strip(), self.project.coder(coder), now())
        with self.store.transaction():
            sid = self.store.add_statement(s)
        return replace(s, id=sid)

    def edit_statement(self, statement_id: int | str, *, text: str | None = None,
                       note: str | None = None) -> Statement:
        s = self.statement(statement_id)
        fields: dict[str, Any] = {}
        if text is not None:
            if not text.strip():
                raise InputError("the experiential statement is empty")
            fields["text"] = " ".join(text.split())
            check_statement_text(fields["text"])
        if note is not None:
            fields["note"] = note.strip()
        if fields:
            with self.store.transaction():
                self.store.update_statement(s.id, **fields)
        return self.store.statement(s.id)

    def delete_statement(self, statement_id: int | str) -> None:
        s = self.statement(statement_id)
        with self.store.transaction():
            self.store.delete_statement(s.id)

    def statement_rows(self, participant: str | None = None) -> list[dict[str, Any]]:
        """Statements as plain rows (participant, then line order), for quick printing."""
        who = self.project.participant(participant) if participant else None
        ts = {t.id: t for t in self.store.transcripts()
              if who is None or t.participant.casefold() == who.code.casefold()}
        rows = [{"id": s.id, "participant": ts[s.transcript_id].participant,
                 "transcript": ts[s.transcript_id].name, "start_line": s.start_line,
                 "end_line": s.end_line, "quote": s.quote, "text": s.text, "note": s.note,
                 "coder": s.coder, "created": s.created}
                for s in self.store.statements(list(ts))]
        rows.sort(key=lambda r: (natural_key(r["participant"]), natural_key(r["transcript"]),
                                 r["start_line"], r["id"]))
        return rows

    def statements(self, participant: str | None = None) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.statement_rows(participant), columns=list(STATEMENT_COLUMNS))

    # -- PETs -----------------------------------------------------------------------------
    def _next_number(self, who: Participant, parent: Pet | None,
                     mine: list[Pet] | None = None) -> str:
        mine = self.store.pets(who.id) if mine is None else mine
        siblings = [p for p in mine if p.parent_id == (parent.id if parent else None)]
        last = max((int(p.number.rsplit(".", 1)[-1]) for p in siblings), default=0)
        return f"{parent.number}.{last + 1}" if parent else str(last + 1)

    def add_pet(self, participant: str, label: str, *,
                statements: Iterable[int | str] | str | None = None, parent: str | None = None,
                description: str = "", coder: str | None = None) -> Pet:
        """A new PET (or, with ``parent``, a sub-theme of one) for one participant."""
        if not " ".join(str(label).split()):
            raise InputError("the PET needs a label")
        who = self.project.participant(participant)
        up = self.pet(parent, who.code) if parent else None
        return self._add_pet(who, label, up, statements=statements, description=description,
                             coder=coder)

    def _add_pet(self, who: Participant, label: str, up: Pet | None, *,
                 statements: Iterable[int | str] | str | None = None, description: str = "",
                 coder: str | None = None, mine: list[Pet] | None = None) -> Pet:
        """``add_pet`` for a participant and parent already found. ``mine``, the
        participant's PETs when the caller keeps them (an import filing thousands of
        statements, which read them all again for each), gets the new PET appended."""
        label = " ".join(str(label).split())
        if not label:
            raise InputError("the PET needs a label")
        mine = self.store.pets(who.id) if mine is None else mine
        self._check_label(who, label, up.id if up else None, mine=mine)
        chosen = self._statements_of(who, parse_ids(statements))
        number = self._next_number(who, up, mine)
        siblings = [p for p in mine if p.parent_id == (up.id if up else None)]
        pet = Pet(0, who.id, number, label, up.id if up else None, description.strip(),
                  len(siblings), self.project.coder(coder), now())
        with self.store.transaction():
            pid = self.store.add_pet(pet)
            for s in chosen:
                self.store.add_pet_statement(pid, s.id)
        pet = replace(pet, id=pid)
        mine.append(pet)
        return pet

    def rename_pet(self, ref: str, label: str) -> Pet:
        pet = self.pet(ref)
        label = " ".join(str(label).split())
        if not label:
            raise InputError("the PET needs a label")
        who = next(p for p in self.store.participants() if p.id == pet.participant_id)
        self._check_label(who, label, pet.parent_id, moving=pet.id)
        with self.store.transaction():
            self.store.update_pet(pet.id, label=label)
        return replace(pet, label=label)

    def describe_pet(self, ref: str, description: str) -> Pet:
        pet = self.pet(ref)
        with self.store.transaction():
            self.store.update_pet(pet.id, description=description.strip())
        return replace(pet, description=description.strip())

    def _subtree(self, pet: Pet) -> list[Pet]:
        mine = self.store.pets(pet.participant_id)
        out, todo = [], [pet]
        while todo:
            p = todo.pop(0)
            out.append(p)
            todo.extend(sorted((c for c in mine if c.parent_id == p.id),
                               key=lambda c: natural_key(c.number)))
        return out

    def move_pet(self, ref: str, parent: str | None = None) -> Pet:
        """Make a PET a sub-theme of another of the same participant's PETs (or, with no
        parent, a PET of its own), renumbering it and its sub-themes."""
        pet = self.pet(ref)
        who = next(p for p in self.store.participants() if p.id == pet.participant_id)
        up = self.pet(parent, who.code) if parent else None
        subtree = self._subtree(pet)
        if up and up.id in {p.id for p in subtree}:
            raise InputError(f"cannot move {self.ref(pet)} under itself or its own sub-theme")
        self._check_label(who, pet.label, up.id if up else None, moving=pet.id)
        number = self._next_number(who, up)
        with self.store.transaction():
            for p in subtree:  # two passes so UNIQUE(participant, number) never trips
                self.store.update_pet(p.id, number=f"__moving__{p.id}")
            for p in subtree:
                self.store.update_pet(p.id, number=number + p.number[len(pet.number):])
            siblings = [p for p in self.store.pets(who.id)
                        if p.parent_id == (up.id if up else None)]
            self.store.update_pet(pet.id, parent_id=up.id if up else None,
                                  position=len(siblings))
        return next(p for p in self.store.pets(who.id) if p.id == pet.id)

    def merge_pets(self, source: str, into: str) -> dict[str, int]:
        """Fold one PET into another of the same participant: statements, mappings and
        sub-themes move; the source goes."""
        src, dst = self.pet(source), self.pet(into)
        if src.participant_id != dst.participant_id:
            raise InputError(f"{self.ref(src)} and {self.ref(dst)} belong to different "
                             "participants", hint="a PET belongs to one participant")
        if dst.id in {p.id for p in self._subtree(src)}:
            raise InputError(f"cannot merge {self.ref(src)} into itself or its sub-theme")
        members = [s for p, s in self.store.pet_statements() if p == src.id]
        themes = [t for p, t in self.store.pet_themes() if p == src.id]
        kids = [p for p in self.store.pets(src.participant_id) if p.parent_id == src.id]
        with self.store.transaction():  # one change: a sub-theme that cannot move undoes it
            for s in members:
                self.store.add_pet_statement(dst.id, s)
            for t in themes:
                self.store.add_pet_theme(dst.id, t)
            for k in kids:
                self.move_pet(self.ref(k), self.ref(dst))
            self.store.delete_pet(src.id)
        return {"statements": len(members), "themes": len(themes), "subthemes": len(kids)}

    def delete_pet(self, ref: str) -> dict[str, int]:
        """Delete a PET; its statements stay (unassigned), its mappings go."""
        pet = self.pet(ref)
        kids = [p for p in self.store.pets(pet.participant_id) if p.parent_id == pet.id]
        if kids:
            raise InputError(f"{self.ref(pet)} has sub-themes",
                             hint="move or delete them first, or merge the PET")
        members = sum(p == pet.id for p, _ in self.store.pet_statements())
        with self.store.transaction():
            self.store.delete_pet(pet.id)
        return {"statements_released": members}

    def assign(self, ref: str, statements: Iterable[int | str] | str, *,
               remove: bool = False) -> int:
        """Put statements into a PET (or take them out); returns how many changed."""
        pet = self.pet(ref)
        who = next(p for p in self.store.participants() if p.id == pet.participant_id)
        ids = parse_ids(statements)
        if not ids:
            raise InputError("no statements given", hint="e.g. --statements 4,7,9")
        chosen = self._statements_of(who, ids)
        with self.store.transaction():
            if remove:
                return sum(self.store.remove_pet_statement(pet.id, s.id) for s in chosen)
            return sum(self.store.add_pet_statement(pet.id, s.id) for s in chosen)

    # -- mapping to GETs ----------------------------------------------------------------------
    def map(self, ref: str, themes: Sequence[str] | str, *, remove: bool = False) -> list[Theme]:
        """Map a PET onto one or more GETs (or GET sub-themes) of the codebook."""
        pet = self.pet(ref)
        if isinstance(themes, str):
            themes = [t for t in re.split(r"\s*[,;]\s*", themes) if t]
        if not themes:
            raise CodebookError("name the group theme(s) to map to", hint="e.g. 1.2")
        targets = [self.project.theme(t) for t in themes]
        with self.store.transaction():
            for th in targets:
                if remove:
                    if not self.store.remove_pet_theme(pet.id, th.id):
                        raise CodingError(f"{self.ref(pet)} is not mapped to {th.number}")
                else:
                    self.store.add_pet_theme(pet.id, th.id)
        return targets

    def pet_rows(self, participant: str | None = None) -> list[dict[str, Any]]:
        """PETs as plain rows: each participant's PETs in number order, sub-themes beneath."""
        who = self.project.participant(participant) if participant else None
        codes = {p.id: p.code for p in self.store.participants()}
        pets = self.store.pets(who.id if who else None)
        by_id = {p.id: p for p in pets}
        members: dict[int, list[int]] = {}
        for pid, sid in self.store.pet_statements():
            members.setdefault(pid, []).append(sid)
        cb = self.project.codebook
        mapped: dict[int, list[str]] = {}
        for pid, tid in self.store.pet_themes():
            mapped.setdefault(pid, []).append(cb.get(tid).number)
        rows = []
        for p in sorted(pets, key=lambda p: (natural_key(codes[p.participant_id]),
                                             natural_key(p.number))):
            code = codes[p.participant_id]
            parent = by_id.get(p.parent_id)
            rows.append({"pet": f"{code}:{p.number}", "participant": code, "number": p.number,
                         "label": p.label,
                         "parent": f"{code}:{parent.number}" if parent else "",
                         "statements": ",".join(map(str, sorted(members.get(p.id, [])))),
                         "themes": ", ".join(sorted(mapped.get(p.id, []), key=natural_key)),
                         "description": p.description, "coder": p.coder,
                         "created": p.created, "id": p.id})
        return rows

    def pets(self, participant: str | None = None) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.pet_rows(participant), columns=list(PET_COLUMNS))

    # -- evidence for the group level ---------------------------------------------------------
    def mapped_spans(self) -> dict[int, dict[str, set[tuple[int, int, int]]]]:
        """theme id -> participant -> passages that reach it through mapped PETs.

        A PET's passages are its statements' and its sub-themes'; a mapped PET with no
        statements still makes its participant a contributor (one marker passage).
        """
        links = self.store.pet_themes()
        if not links:
            return {}
        pets = {p.id: p for p in self.store.pets()}
        codes = {p.id: p.code for p in self.store.participants()}
        members: dict[int, list[int]] = {}
        for pid, sid in self.store.pet_statements():
            members.setdefault(pid, []).append(sid)
        spans = {s.id: (s.transcript_id, s.start, s.end) for s in self.store.statements()
                 if s.status != "orphaned"}
        out: dict[int, dict[str, set[tuple[int, int, int]]]] = {}
        for pid, tid in links:
            pet = pets[pid]
            got: set[tuple[int, int, int]] = set()
            for sub in self._subtree(pet):
                got.update(spans[s] for s in members.get(sub.id, []) if s in spans)
            if not got:
                got.add((0, -pid, -pid))
            out.setdefault(tid, {}).setdefault(codes[pet.participant_id], set()).update(got)
        return out


PET_PATH_SEP = ">"  # 'Mourning > Guilt': the sub-theme Guilt of the PET Mourning


def pet_path(pet: Pet, pets: Sequence[Pet]) -> str:
    """'Mourning a living man > Guilt': a PET named by its labels from the top (how Word
    comments and coding sheets name a sub-theme). Written '> Guilt > ...' when a sub-theme
    of the participant shares the top label: read back, a bare first label falls back to
    such a sub-theme when no PET at the top has it yet, so an import would file the
    statement there."""
    by_id = {p.id: p for p in pets}
    chain = [pet]
    while chain[-1].parent_id is not None and chain[-1].parent_id in by_id:
        chain.append(by_id[chain[-1].parent_id])
    top = chain[-1].label.casefold()
    anchored = any(p.parent_id is not None and p.participant_id == pet.participant_id
                   and p.label.casefold() == top for p in pets)
    path = f" {PET_PATH_SEP} ".join(p.label for p in reversed(chain))
    return f"{PET_PATH_SEP} {path}" if anchored else path


def left_out(project: ProjectLike, participant: str | None = None) -> list[str]:
    """References of the PETs a Word comment or coding sheet cannot carry: those with no
    statement in them or in any of their sub-themes (each travels as a statement's PET)."""
    store = project.store
    who = project.participant(participant) if participant else None
    pets = store.pets(who.id) if who else store.pets()
    filled = {pid for pid, _ in store.pet_statements()}
    parent = {p.id: p.parent_id for p in pets}
    carried: set[int] = set()
    for pid in filled & set(parent):
        while pid is not None and pid not in carried:
            carried.add(pid)
            pid = parent.get(pid)
    codes = {p.id: p.code for p in store.participants()}
    return sorted((f"{codes[p.participant_id]}:{p.number}" for p in pets
                   if p.id not in carried), key=natural_key)


def check_new_label(label: str) -> None:
    """A new PET label must not read back as something else: a reference (``P1:1``) or
    a Word comment's ``/ GET:`` part."""
    if _PET_REF.match(label) or re.search(_MARKER, label):
        raise InputError(f"PET label '{label}' would read as a PET reference or as a "
                         "comment's '/ PET:' or '/ GET:' part", hint="reword the label")


def check_statement_text(text: str) -> None:
    """Statement text must not hold a Word comment's ``/ PET:`` or ``/ GET:`` part."""
    if re.search(_MARKER, text):
        raise InputError(f"an experiential statement cannot hold '/ PET:' or '/ GET:': "
                         f"'{text}'", hint="Word comments read them as the PET and GET the "
                                           "statement is filed under; reword it")


def find_pet(project: ProjectLike, participant: str, text: str, mine: list[Pet] | None = None
             ) -> tuple[Pet | None, list[str]]:
    """The PET a comment or sheet names for ``participant``: a reference (``P3:2``,
    ``P3:2.1``) or a label path (``Mourning > Guilt``). Returns (the PET, []) when it
    exists, (None, labels still to make) when some of the path is new; a reference to a
    PET that does not exist, or to another participant's, is an InputError. ``mine``: the
    participant's PETs, when the caller has them (see ``pets_of``)."""
    text = " ".join(str(text).split())
    who = project.participant(participant)
    if _PET_REF.match(text):
        return Idiographic(project).pet(text, who.code), []
    at_top = text.startswith(PET_PATH_SEP)  # '> Guilt': the PET at the top, never a sub-theme
    labels = [" ".join(x.split()) for x in text.removeprefix(PET_PATH_SEP).split(PET_PATH_SEP)]
    if not all(labels):
        raise InputError(f"PET '{text}' has an empty label",
                         hint=f"write a sub-theme as 'PET label {PET_PATH_SEP} sub-theme label'")
    mine = project.store.pets(who.id) if mine is None else mine
    found: Pet | None = None
    for i, label in enumerate(labels):
        same = [p for p in mine if p.label.casefold() == label.casefold()
                and (found is None or p.parent_id == found.id)
                and not (at_top and found is None and p.parent_id is not None)]
        # the first label: a PET at the top first, else a sub-theme of that label
        same.sort(key=lambda p: (p.parent_id is not None, natural_key(p.number)))
        nxt = same[0] if same else None
        if nxt is None:
            for new in labels[i:]:
                check_new_label(new)
            return found, labels[i:]
        found = nxt
    return found, []


def pets_of(project: ProjectLike, cache: dict[str, list[Pet]], participant: str) -> list[Pet]:
    """The participant's PETs, read once into ``cache`` for a whole import (kept current by
    ``file_under``): read again for each statement, an import filing 2,000 statements under
    as many PETs took 41 s, growing with the square of their number."""
    if participant not in cache:
        cache[participant] = project.store.pets(project.participant(participant).id)
    return cache[participant]


def file_under(project: ProjectLike, participant: str, text: str, coder: str,
               mine: list[Pet] | None = None) -> Pet:
    """The PET ``text`` names (see ``find_pet``), its missing labels made as new PETs and
    sub-themes (appended to ``mine`` when given)."""
    pet, new = find_pet(project, participant, text, mine)
    if new:
        ix = Idiographic(project)
        who = project.participant(participant)
        for label in new:
            pet = ix._add_pet(who, label, pet, coder=coder, mine=mine)
    assert pet is not None
    return pet


def add_comment_statements(project: ProjectLike, items: Iterable[tuple[Statement, str,
                                                                   Sequence[str]]]) -> int:
    """Add statements read from Word (those already there, same passage and text, are
    skipped), each put into its participant's PET of the label given (made when new) and
    that PET mapped to the GETs given. Returns how many statements were added."""
    store = project.store
    have = {(s.transcript_id, s.start, s.end, s.text): s.id for s in store.statements()}
    owner = {t.id: t.participant for t in store.transcripts()}
    cache: dict[str, list[Pet]] = {}
    added = 0
    for s, pet_label, gets in items:
        key = (s.transcript_id, s.start, s.end, s.text)
        if key not in have:
            have[key] = store.add_statement(s)
            added += 1
        if not pet_label:
            continue
        who = owner[s.transcript_id]
        pet = file_under(project, who, pet_label, s.coder, pets_of(project, cache, who))
        store.add_pet_statement(pet.id, have[key])
        for g in gets:
            store.add_pet_theme(pet.id, project.theme(g).id)
    return added

"""The idiographic layer in REFI-QDA files, so NVivo/ATLAS.ti users still see the work.

Each participant with statements or PETs gets a code of their own (``P3: personal
experiential themes``) holding their PETs as codes (``P3:2 Mourning a living man``,
sub-themes nested); each experiential statement is a selection of the transcript coded to
its PET(s) (or to the participant's code while unclustered), the statement written as the
selection's description. A set per participant lists their PET codes. The GETs a PET maps
to are kept in a line of its code's description. Reading our own file back restores
statements, PETs and mappings instead of turning them into group themes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Pet, Statement, natural_key

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

ROOT_MARK = "ipa-toolkit personal experiential themes of "
SET_MARK = "ipa-toolkit PETs of "
GET_LINE = re.compile(r"^ipa-toolkit GET: (.*)$", re.M)
_PET_NAME = re.compile(r"^\s*[^:\s]+:(\d+(?:\.\d+)*)\s+(.*)$", re.S)


def _guid(kind: str, key: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ipa-toolkit:{kind}:{key}"))


# -- export ----------------------------------------------------------------------------------
def add_codes(project: ProjectLike, codes_el, E) -> dict[int, str]:
    """Append each participant's PET codes under ``codes_el``; returns statement id ->
    participant code for the statements to export."""
    store = project.store
    cb = project.codebook
    codes = {p.id: p.code for p in store.participants()}
    owner = {t.id: t.participant for t in store.transcripts()}
    stmts = [s for s in store.statements() if s.status != "orphaned"]
    pets = store.pets()
    mapped: dict[int, list[str]] = {}
    for pid, tid in store.pet_themes():
        mapped.setdefault(pid, []).append(cb.get(tid).number)
    kids: dict[int | None, list[Pet]] = {}
    for p in pets:
        kids.setdefault(p.parent_id, []).append(p)
    people = sorted({codes[p.participant_id] for p in pets}
                    | {owner[s.transcript_id] for s in stmts}, key=natural_key)

    def add(into, pet: Pet, who: str) -> None:
        el = E(into, "Code", {"guid": pet.guid, "name": f"{who}:{pet.number} {pet.label}",
                              "isCodable": "true"})
        desc = pet.description
        if mapped.get(pet.id):
            desc = (desc + "\n" if desc else "") + "ipa-toolkit GET: " + "; ".join(
                sorted(mapped[pet.id], key=natural_key))
        if desc:
            E(el, "Description").text = desc
        for k in sorted(kids.get(pet.id, []), key=lambda k: natural_key(k.number)):
            add(el, k, who)

    for who in people:
        root = E(codes_el, "Code", {"guid": _guid("pets", who),
                                    "name": f"{who}: personal experiential themes",
                                    "isCodable": "true"})
        E(root, "Description").text = ROOT_MARK + who
        for p in sorted((p for p in kids.get(None, []) if codes[p.participant_id] == who),
                        key=lambda p: natural_key(p.number)):
            add(root, p, who)
    return {s.id: owner[s.transcript_id] for s in stmts}


def statement_selection(project: ProjectLike, s: Statement, who: str, sel, E, members) -> None:
    """Fill a selection for statement ``s``: its text as description, coded to its PETs."""
    E(sel, "Description").text = s.text + (f"\n\n{s.note}" if s.note else "")
    targets = members.get(s.id) or [_guid("pets", who)]
    for g in targets:
        c = E(sel, "Coding", {"guid": _guid("statement-coding", f"{s.guid}:{g}"),
                              "creationDateTime": sel.get("creationDateTime")})
        E(c, "CodeRef", {"targetGUID": g})


def memberships(project: ProjectLike) -> dict[int, list[str]]:
    """statement id -> guids of the PET codes it belongs to."""
    guid = {p.id: p.guid for p in project.store.pets()}
    out: dict[int, list[str]] = {}
    for pid, sid in project.store.pet_statements():
        out.setdefault(sid, []).append(guid[pid])
    return {k: sorted(v) for k, v in out.items()}


def add_sets(project: ProjectLike, root, E) -> None:
    store = project.store
    codes = {p.id: p.code for p in store.participants()}
    by_person: dict[str, list[Pet]] = {}
    for p in store.pets():
        by_person.setdefault(codes[p.participant_id], []).append(p)
    if not by_person:
        return
    sets = E(root, "Sets")
    for who in sorted(by_person, key=natural_key):
        el = E(sets, "Set", {"guid": _guid("pet-set", who), "name": f"PETs of {who}"})
        E(el, "Description").text = SET_MARK + who
        for p in sorted(by_person[who], key=lambda p: natural_key(p.number)):
            E(el, "MemberCode", {"targetGUID": p.guid})


# -- import ----------------------------------------------------------------------------------
@dataclass
class CaseCodes:
    """Our own per-participant codes found in a file: kept out of the codebook."""

    roots: dict[str, str] = field(default_factory=dict)  # root guid -> participant
    pets: dict[str, tuple] = field(default_factory=dict)  # code guid -> (who, number, label,
    #                                                        parent guid, description, GETs)
    pet_ids: dict[str, int] = field(default_factory=dict)  # code guid -> new PET id

    def __contains__(self, guid: str) -> bool:
        return guid in self.roots or guid in self.pets


def split_codes(codes: list) -> tuple[list, CaseCodes]:
    """(group codes, our case codes): a root whose description carries ROOT_MARK, and all
    the codes below it, are PETs, not themes."""
    found = CaseCodes()
    for c in codes:
        if c.parent is None and c.description.startswith(ROOT_MARK):
            found.roots[c.guid] = c.description[len(ROOT_MARK):].strip()
    changed = True
    while changed:
        changed = False
        for c in codes:
            if c.guid in found or c.parent not in found:
                continue
            who = found.roots.get(c.parent) or found.pets[c.parent][0]
            m = _PET_NAME.match(c.name)
            number, label = (m.group(1), m.group(2).strip()) if m else ("", c.name)
            gets = GET_LINE.search(c.description)
            desc = GET_LINE.sub("", c.description).strip()
            found.pets[c.guid] = (who, number, label,
                                  None if c.parent in found.roots else c.parent, desc,
                                  [g.strip() for g in gets.group(1).split(";")] if gets else [])
            changed = True
    return [c for c in codes if c.guid not in found], found


def is_our_set(set_el, text_of) -> bool:
    return text_of(set_el, "Description").startswith(SET_MARK)


def make_pets(project: ProjectLike, found: CaseCodes, person_ids: dict[str, int],
              report: list[str]) -> int:
    """Create the PETs (parents first) and their GET mappings."""
    store = project.store
    cb = project.codebook
    todo = dict(found.pets)
    while todo:
        ready = [g for g, v in todo.items() if v[3] is None or v[3] in found.pet_ids]
        if not ready:
            break
        for g in ready:
            who, number, label, parent, desc, gets = todo.pop(g)
            if who not in person_ids:
                person_ids[who] = store.upsert_participant(who, {})
            taken = {p.number for p in store.pets(person_ids[who])}
            if not number or number in taken:
                number = str(max((int(n.split(".")[0]) for n in taken), default=0) + 1)
            found.pet_ids[g] = store.add_pet(Pet(
                0, person_ids[who], number, label,
                found.pet_ids.get(parent) if parent else None, desc, guid=g))
            for n in gets:
                th = cb.by_number(n)
                if th is None:
                    report.append(f"PET {who}:{number} maps to theme {n}, which is not in "
                                  "the codebook; mapping not imported")
                else:
                    store.add_pet_theme(found.pet_ids[g], th.id)
    return len(found.pet_ids)


def add_statement(project: ProjectLike, found: CaseCodes, refs: list[str], statement: Statement
                  ) -> None:
    """A selection coded to our case codes becomes a statement in those PETs."""
    store = project.store
    sid = store.add_statement(statement)
    for g in refs:
        if g in found.pet_ids:
            store.add_pet_statement(found.pet_ids[g], sid)

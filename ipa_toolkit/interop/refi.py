"""REFI-QDA 1.0: the exchange formats of NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette.

``.qdc`` is a codebook (Codebook Exchange); ``.qdpx`` is a whole project (Project Exchange):
a zip holding ``project.qde`` and the sources as plain text. Positions count Unicode
characters of the source text as stored; no byte-order mark is written.

What the format cannot carry is kept out of it on purpose: line numbers (recomputed from the
text), caption times, retired flags and keywords. Imports are lenient with other tools'
known quirks and report, rather than silently drop, whatever they cannot map.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook.edit import apply_spec
from ..errors import InputError, ProjectError
from ..model import NOTE_KINDS, Coding, Memo, Note, Statement
from ..safety import (
    MAX_QDE,
    MAX_TEXT_FILE,
    check_length,
    open_zip,
    parse_xml,
    read_limited,
    read_member,
    safe_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

SUFFIXES = (".qdpx", ".qdc")
NS = "urn:QDA-XML:project:1.0"
CB_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "ipa-toolkit"
_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_NUMBERED = re.compile(r"^\s*([A-Za-z]?\d+(?:\.\d+)*|[A-Z])\.?\s+(\S.*)$")
_META = re.compile(r"^ipa-toolkit (?P<pairs>(?:\w+=\S*\s*)+)$", re.M)


def _guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ipa-toolkit:{kind}:{key}"))


def _when(stamp: str) -> str:
    try:
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
        return stamp
    except (TypeError, ValueError):
        return "2000-01-01T00:00:00Z"


def _from_when(value: str | None) -> str:
    if not value:
        return "2000-01-01T00:00:00Z"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "2000-01-01T00:00:00Z"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- export -----------------------------------------------------------------------------------
def export_project(project: ProjectLike, path: Path) -> Path:
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        return _write_qdc(project, path)
    return _write_qdpx(project, path)


def _description(t) -> str:
    text = t.description or ""
    if t.inclusion:
        text += f"\n\nInclusion: {t.inclusion}"
    if t.exclusion:
        text += f"\n\nExclusion: {t.exclusion}"
    return text.strip()


def _codes(parent, project: ProjectLike, E, memos_by_theme=None) -> None:
    cb = project.codebook

    def add(into, t):
        attrs = {"guid": t.guid, "name": f"{t.number} {t.label}", "isCodable": "true"}
        if t.colour:
            attrs["color"] = t.colour
        el = E(into, "Code", attrs)
        desc = _description(t)
        if desc:
            E(el, "Description").text = desc
        for m in (memos_by_theme or {}).get(t.id, []):
            E(el, "NoteRef", {"targetGUID": m.guid})
        for child in cb.children(t):
            add(el, child)

    codes = E(parent, "Codes")
    for root in cb.roots():
        add(codes, root)
    return codes


def _builder(ns: str):
    from lxml import etree

    def E(parent, tag, attrs=None):
        el = etree.SubElement(parent, f"{{{ns}}}{tag}") if parent is not None else \
            etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns})
        for k, v in (attrs or {}).items():
            el.set(k, str(v))
        return el
    return E


def _write_qdc(project: ProjectLike, path: Path) -> Path:
    from lxml import etree

    if not project.codebook.themes:
        raise InputError("the codebook is empty: nothing to export")
    E = _builder(CB_NS)
    root = E(None, "CodeBook", {"origin": ORIGIN})
    _codes(root, project, E)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                    pretty_print=True))
    return path


def _write_qdpx(project: ProjectLike, path: Path) -> Path:
    from lxml import etree

    store = project.store
    cb = project.codebook
    E = _builder(NS)
    people = project.participant_list()
    transcripts = project.transcript_list()
    codings = [c for c in store.codings() if c.status != "orphaned"]
    notes = [n for n in store.notes() if n.status != "orphaned"]
    memos = store.memos()
    users = sorted({c.coder for c in codings} | {n.author for n in notes}
                   | {m.author for m in memos} | {s.coder for s in store.statements()} - {""})
    user_guid = {u: _guid("user", u) for u in users}
    root = E(None, "Project", {"name": cb.name, "origin": ORIGIN,
                               "creationDateTime": "2000-01-01T00:00:00Z"})
    if users:
        el = E(root, "Users")
        for u in users:
            E(el, "User", {"guid": user_guid[u], "name": u})
    memos_by_theme: dict[int, list[Memo]] = {}
    for m in memos:
        memos_by_theme.setdefault(m.theme_id, []).append(m)
    from . import refi_idiographic as idio

    said: dict[int, str] = {}
    if cb.themes or store.pets() or store.statements():
        codes_el = _codes(E(root, "CodeBook"), project, E, memos_by_theme)
        said = idio.add_codes(project, codes_el, E)  # each case's PETs, statements
    members = idio.memberships(project)
    attrs = store.attribute_names()
    kinds = {a: _variable_type([p.attributes.get(a, "") for p in people]) for a in attrs}
    if attrs:
        el = E(root, "Variables")
        for a in attrs:
            E(el, "Variable", {"guid": _guid("variable", a), "name": a,
                               "typeOfVariable": kinds[a]})
    by_person: dict[str, list] = {}
    for t in transcripts:
        by_person.setdefault(t.participant, []).append(t)
    if people:
        el = E(root, "Cases")
        for p in people:
            case = E(el, "Case", {"guid": p.guid, "name": p.code})
            for a in attrs:
                value = p.attributes.get(a, "")
                if value == "":
                    continue
                vv = E(case, "VariableValue")
                E(vv, "VariableRef", {"targetGUID": _guid("variable", a)})
                E(vv, f"{kinds[a]}Value").text = value
            for t in by_person.get(p.code, []):
                E(case, "SourceRef", {"targetGUID": t.guid})
    files: dict[str, bytes] = {}
    by_source: dict[int, list] = {}
    for c in codings:
        by_source.setdefault(c.transcript_id, []).append(("coding", c))
    for n in notes:
        by_source.setdefault(n.transcript_id, []).append(("note", n))
    for st in store.statements():
        if st.id in said:
            by_source.setdefault(st.transcript_id, []).append(("statement", st))
    if transcripts:
        el = E(root, "Sources")
        for t in transcripts:
            text = store.transcript_text(t.id)
            member = safe_name(t.guid)  # an imported guid is data: never a path as it is
            files[f"sources/{member}.txt"] = text.encode("utf-8")
            src = E(el, "TextSource", {"guid": t.guid, "name": t.name,
                                       "plainTextPath": f"internal://{member}.txt"})
            E(src, "Description").text = (f"ipa-toolkit width={t.width} format={t.format} "
                                          f"source={t.source.replace(' ', '%20')}")
            items = sorted(by_source.get(t.id, []), key=lambda x: (x[1].start, x[1].end,
                                                                   x[0], x[1].guid))
            for kind, item in items:
                who = item.author if kind == "note" else item.coder
                sel_attrs = {"guid": item.guid, "startPosition": item.start,
                             "endPosition": item.end, "creationDateTime": _when(item.created)}
                if who:
                    sel_attrs["creatingUser"] = user_guid[who]
                sel = E(src, "PlainTextSelection", sel_attrs)
                if kind == "statement":
                    idio.statement_selection(project, item, said[item.id], sel, E, members)
                elif kind == "coding":
                    desc = ("[exemplar] " if item.exemplar else "") + item.note
                    if desc:
                        E(sel, "Description").text = desc
                    cattrs = {"guid": _guid("coding", item.guid),
                              "creationDateTime": _when(item.created)}
                    if who:
                        cattrs["creatingUser"] = user_guid[who]
                    coding = E(sel, "Coding", cattrs)
                    E(coding, "CodeRef", {"targetGUID": cb.get(item.theme_id).guid})
                else:
                    E(sel, "NoteRef", {"targetGUID": _guid("note", item.guid)})
    if notes or memos:
        el = E(root, "Notes")
        for n in notes:
            nattrs = {"guid": _guid("note", n.guid), "name": n.kind,
                      "creationDateTime": _when(n.created)}
            if n.author:
                nattrs["creatingUser"] = user_guid[n.author]
            E(E(el, "Note", nattrs), "PlainTextContent").text = n.text
        for m in memos:
            mattrs = {"guid": m.guid, "name": "memo", "creationDateTime": _when(m.created)}
            if m.author:
                mattrs["creatingUser"] = user_guid[m.author]
            E(E(el, "Note", mattrs), "PlainTextContent").text = m.text
    idio.add_sets(project, root, E)
    files["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                          pretty_print=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files, key=lambda n: (n != "project.qde", n)):
            info = zipfile.ZipInfo(name, _FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return path


def _variable_type(values: list[str]) -> str:
    present = [v for v in values if v != ""]
    if present and all(re.fullmatch(r"-?[1-9]\d{0,17}|0", v) for v in present):
        return "Integer"
    return "Text"


# -- import -----------------------------------------------------------------------------------
@dataclass
class _Code:
    guid: str
    name: str
    colour: str
    description: str
    parent: str | None
    notes: list[str] = field(default_factory=list)


def _parse_xml(data: bytes, where: str):
    """Checked for a DOCTYPE before parsing, parsed without entities (see ``safety``)."""
    root = parse_xml(data, where)
    if not isinstance(root.tag, str):
        raise InputError("not a REFI-QDA file (no root element)", path=where)
    return root


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _kids(el, name: str):
    return [c for c in el if _local(c) == name]


def _kid(el, name: str):
    found = _kids(el, name)
    return found[0] if found else None


def _items(el, container: str, name: str):
    """The ``name`` children of ``el``'s ``container`` child (none if it is missing)."""
    box = _kid(el, container)
    return _kids(box, name) if box is not None else []


def _text_of(el, name: str) -> str:
    k = _kid(el, name) if el is not None else None
    return (k.text or "").strip() if k is not None else ""


def _read_codes(codes_el) -> list[_Code]:
    out: list[_Code] = []

    def walk(el, parent):
        for c in _kids(el, "Code"):
            guid = c.get("guid") or str(uuid.uuid4())
            code = _Code(guid, (c.get("name") or "").strip() or "(unnamed code)",
                         (c.get("color") or "").upper(), _text_of(c, "Description"), parent,
                         [r.get("targetGUID") for r in _kids(c, "NoteRef")])
            if len(code.colour) == 4:  # #RGB
                code.colour = "#" + "".join(ch * 2 for ch in code.colour[1:])
            out.append(code)
            walk(c, guid)
    if codes_el is not None:
        walk(codes_el, None)
    return out


def _dotted(codes: list[_Code]) -> list[_Code]:
    """A flat codebook whose hierarchy lives in dotted names ('tech.floss') made a tree."""
    if any(c.parent for c in codes) or not any("." in c.name for c in codes):
        return codes
    if any(_NUMBERED.match(c.name) for c in codes):
        return codes
    by_path: dict[str, _Code] = {}
    out: list[_Code] = []
    for c in codes:
        parts = [p for p in c.name.split(".") if p]
        parent = None
        for depth in range(1, len(parts)):
            key = ".".join(parts[:depth])
            if key not in by_path:
                made = _Code(_guid("dotted", key), parts[depth - 1], "", "",
                             by_path[".".join(parts[:depth - 1])].guid if depth > 1 else None)
                by_path[key] = made
                out.append(made)
            parent = by_path[key].guid
        key = ".".join(parts)
        if key in by_path:  # a code named like an implied parent: give it the parent's place
            by_path[key].guid, by_path[key].colour = c.guid, c.colour
            by_path[key].description, by_path[key].notes = c.description, c.notes
            continue
        c.name, c.parent = parts[-1] if parts else c.name, parent
        by_path[key] = c
        out.append(c)
    return out


def _codebook_spec(codes: list[_Code], levels, name: str):
    """Codes -> a CodebookSpec: numbers from names like '1.2 Label', else by position."""
    from ..codebook.file import CodebookSpec, ThemeSpec

    numbers: dict[str, str] = {}
    used: set[str] = set()
    specs = []
    counters: dict[str | None, int] = {}
    for c in codes:
        m = _NUMBERED.match(c.name)
        label = c.name
        number = None
        if m and m.group(1) not in used:
            number, label = m.group(1), m.group(2).strip()
        if number is None:
            prefix = f"{numbers[c.parent]}." if c.parent else ""
            k = counters.get(c.parent, 0)
            while True:
                k += 1
                if f"{prefix}{k}" not in used:
                    break
            counters[c.parent] = k
            number = f"{prefix}{k}"
        used.add(number)
        numbers[c.guid] = number
        desc, inc, exc = c.description, "", ""
        if "\n\nExclusion: " in desc:
            desc, exc = desc.split("\n\nExclusion: ", 1)
        if "\n\nInclusion: " in desc:
            desc, inc = desc.split("\n\nInclusion: ", 1)
        specs.append(ThemeSpec(number=number, label=label, parent=numbers.get(c.parent),
                               line=0, description=desc.strip(), inclusion=inc.strip(),
                               exclusion=exc.strip(), colour=c.colour, guid=c.guid))
    return CodebookSpec(name, tuple(levels), specs), numbers


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Sizes, ratios and member names checked before anything is inflated."""
    return open_zip(path, ".qdpx")


def import_project(project: ProjectLike, path: Path,
                   participants: dict[str, str] | None = None) -> dict:
    """Read a .qdpx into an empty project (or merge a .qdc codebook). ``participants`` maps
    source names to participant IDs for sources no case links to a participant."""
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        if participants:
            raise InputError("--participant applies to .qdpx projects, not codebooks")
        return _import_qdc(project, path)
    if not project.store.is_empty():
        raise ProjectError("the project is not empty; import a .qdpx into a new project",
                           hint="ipa init NEWDIR && ipa -p NEWDIR import " + str(path))
    with _open_zip(path) as z:
        names = {i.filename.replace("\\", "/"): i.filename for i in z.infolist()}
        qde = next((n for n in names if n.lower().endswith(".qde")), None)
        if qde is None:
            raise InputError("no project.qde inside", path=str(path))
        root = _parse_xml(read_member(z, names[qde], str(path), MAX_QDE), f"{path}:{qde}")

        def source_file(ref: str | None) -> bytes | None:
            if not ref:
                return None
            rel = re.sub(r"^internal://", "", ref)
            for candidate in (f"sources/{rel}", f"Sources/{rel}", rel):
                if candidate in names:
                    return read_member(z, names[candidate], str(path), MAX_TEXT_FILE)
            return None

        return _build(project, root, source_file, str(path), participants or {})


def _import_qdc(project: ProjectLike, path: Path) -> dict:
    root = _parse_xml(read_limited(path, MAX_QDE, "codebook"), str(path))
    if _local(root) != "CodeBook":
        raise InputError("not a REFI-QDA codebook (no CodeBook root)", path=str(path))
    codes = _dotted(_read_codes(_kid(root, "Codes")))
    if not codes:
        raise InputError("the codebook has no codes", path=str(path))
    spec, _ = _codebook_spec(codes, project.settings()["levels"], "")
    with project.store.transaction():
        counts = apply_spec(project.store, project.settings()["levels"], spec)
    project.refresh()
    return {"themes": counts["added"] + counts["updated"], **counts}


def _participant_for(name: str, cases: list, given: dict[str, str]) -> tuple[str | None, str]:
    """A source no case links to: the participant named with --participant, else the one
    case whose name begins the source name, else an ID at the start of the name (P3_...).
    None when nothing says who it is: a participant is never invented from a file name."""
    from ..ingest.pipeline import PARTICIPANT_IN_NAME

    if name.casefold() in given:
        return given[name.casefold()], "--participant"
    stem = re.sub(r"\.(txt|docx?|rtf|pdf|odt)$", "", name, flags=re.I).strip()
    hits = [(len(raw), code) for _g, code, _v, _s, _sel, raw in cases
            if raw and re.match(re.escape(raw) + r"(?!\w)", stem, re.I)]
    if hits:
        best = max(n for n, _ in hits)
        found = {code for n, code in hits if n == best}
        if len(found) == 1:
            return found.pop(), "case name"
    m = PARTICIPANT_IN_NAME.match(stem)
    if m:
        return m.group(1).upper(), "name"
    return None, ""


def _assignments(participants: dict[str, str], sources: list[str], where: str
                 ) -> dict[str, str]:
    """--participant SOURCE=P3 pairs checked: the source exists, the ID is a plain ID."""
    known = {n.casefold(): n for n in sources}
    out = {}
    for source, code in participants.items():
        if source.casefold() not in known:
            listed = ", ".join(repr(n) for n in sorted(known.values())[:8]) or "none"
            raise InputError(f"--participant names source {source!r}, which is not in this "
                             f"file", path=where, hint=f"its text sources: {listed}")
        if not re.fullmatch(r"[\w.\-]{1,40}", code or ""):
            raise InputError(f"--participant {source}={code}: not a participant ID",
                             hint="IDs are letters, digits, '.', '-' or '_', like P3")
        out[source.casefold()] = code
    return out


def _build(project: ProjectLike, root, source_file, where: str,
           participants: dict[str, str] | None = None) -> dict:
    from ..ingest.lines import line_span_for_chars, number_lines, paragraph_offsets
    from ..ingest.text import decode

    if _local(root) != "Project":
        raise InputError("not a REFI-QDA project (no Project root)", path=where)
    report: list[str] = []
    settings = project.settings()
    users = {u.get("guid"): (u.get("name") or u.get("id") or "").strip()
             for u in _items(root, "Users", "User")}
    book = _kid(root, "CodeBook")
    from . import refi_idiographic as idio

    codes = _dotted(_read_codes(_kid(book, "Codes") if book is not None else None))
    codes, case_codes = idio.split_codes(codes)  # our own PET codes: not group themes
    spec, _numbers = _codebook_spec(codes, settings["levels"], root.get("name") or "")
    variables = {v.get("guid"): (v.get("name") or "").strip()
                 for v in _items(root, "Variables", "Variable")}
    notes_el = {n.get("guid"): n for n in _items(root, "Notes", "Note")}
    used_notes: set[str] = set()
    # cases -> participants
    cases = []
    for case in _items(root, "Cases", "Case"):
        code = re.sub(r"[^\w.\-]+", "_", (case.get("name") or "").strip()).strip("_") or \
            f"Case{len(cases) + 1}"
        values = {}
        for vv in _kids(case, "VariableValue"):
            ref = _kid(vv, "VariableRef")
            name = variables.get(ref.get("targetGUID") if ref is not None else None)
            value = next((c.text or "" for c in vv if _local(c).endswith("Value")
                          and _local(c) != "VariableValue"), "")
            if name:
                values[name] = value.strip()
        sources = [r.get("targetGUID") for r in _kids(case, "SourceRef")]
        selections = [r.get("targetGUID") for r in _kids(case, "SelectionRef")]
        cases.append((case.get("guid"), code, values, sources, selections,
                      (case.get("name") or "").strip()))
    for s in _items(root, "Sets", "Set"):
        if idio.is_our_set(s, _text_of):
            continue
        report.append(f"set '{s.get('name')}' (sets are not part of ipa-toolkit projects)")
    src_el = _kid(root, "Sources")
    given = _assignments(participants or {}, [(s.get("name") or "").strip() for s in
                                              (src_el if src_el is not None else [])
                                              if isinstance(s.tag, str)], where)
    # annotations: a note tied to a selection by a Link (NVivo), not by a NoteRef inside it
    linked: dict[str, list[str]] = {}
    for link in _items(root, "Links", "Link"):
        a, b = link.get("originGUID"), link.get("targetGUID")
        refs = [r.get("targetGUID") for r in _kids(link, "NoteRef")]
        for sel, note in ((a, b), (b, a)):
            if note in notes_el and sel not in notes_el:
                linked.setdefault(sel, []).append(note)
        for sel in (a, b):
            if sel not in notes_el:
                linked.setdefault(sel, []).extend(r for r in refs if r in notes_el)
    why: dict[str, str] = {}  # note guid -> why it was not imported
    store = project.store
    counts = {"participants": 0, "transcripts": 0, "codings": 0, "notes": 0, "memos": 0}
    with store.transaction():
        apply_spec(store, project.settings()["levels"], spec)
        project.refresh()
        cb = project.codebook
        theme_of = {t.guid: t.id for t in cb.themes}
        person_ids: dict[str, int] = {}
        owner: dict[str, str] = {}
        selection_owner: dict[str, str] = {}
        for guid, code, values, sources, selections, _raw in cases:
            if code in person_ids:
                report.append(f"case '{code}' appears twice; merged")
            person_ids[code] = store.upsert_participant(code, values, guid=guid)
            for s in sources:
                owner.setdefault(s, code)
            for s in selections:
                selection_owner.setdefault(s, code)
        counts["pets"] = idio.make_pets(project, case_codes, person_ids, report)
        counts["statements"] = 0
        width = int(settings["wrap_width"])
        names_taken: set[str] = set()
        from ..progress import progress

        for src in progress(list(src_el) if src_el is not None else [], "importing sources"):
            kind = _local(src)
            raw_name = (src.get("name") or "").strip() or src.get("guid") or "source"
            name = safe_name(raw_name, max_len=120)  # no separators or control characters
            for r in _kids(src, "NoteRef"):
                why.setdefault(r.get("targetGUID"), f"a note on the whole of source '{name}' "
                               "(notes attach to passages or themes)")
            if kind != "TextSource":
                report.append(f"{kind} '{name}': only text sources are imported")
                continue
            sels = _kids(src, "PlainTextSelection")
            code = owner.get(src.get("guid")) or next(
                (selection_owner[s.get("guid")] for s in sels
                 if s.get("guid") in selection_owner), None)
            if code is None:
                code, _how = _participant_for(raw_name, cases, given)
            if code is None:
                n_cod = sum(len(_kids(x, "Coding")) for x in sels)
                report.append(f"source '{name}': no case links it to a participant and its "
                              f"name holds no participant ID; not imported with its {n_cod} "
                              f"coding(s) (name one: --participant '{raw_name}=P3')")
                for x in sels:
                    for r in [*_kids(x, "NoteRef"), *(linked.get(x.get("guid")) or [])]:
                        g = r if isinstance(r, str) else r.get("targetGUID")
                        why.setdefault(g, f"its passage is in source '{name}', which was not "
                                          "imported")
                continue
            raw = None
            content = _kid(src, "PlainTextContent")
            if content is not None and content.text:
                raw = content.text
            else:
                data = source_file(src.get("plainTextPath"))
                if data is not None:
                    raw, _w = decode(data, name)
                    raw = raw.lstrip("\ufeff")
            if raw is not None:
                check_length(len(raw), f"{where}: source '{name}'", raw.count("\n") + 1)
            if raw is None:
                report.append(f"source '{name}': no plain text (rich text "
                              f"{src.get('richTextPath') or 'missing'}); not imported")
                continue
            meta = {}
            m = _META.search(_text_of(src, "Description"))
            if m:
                meta = dict(kv.split("=", 1) for kv in m.group("pairs").split())
            paragraphs = raw.split("\n")
            text, maps = paragraph_offsets(paragraphs)
            if not text:
                report.append(f"source '{name}': empty; not imported")
                continue
            t_width = int(meta.get("width", width))
            text2, lines = number_lines(paragraphs, width=t_width,
                                        speaker_pattern=settings["speaker_pattern"],
                                        interviewer_labels=settings["interviewer_labels"])
            starts = [0]
            for p in paragraphs[:-1]:
                starts.append(starts[-1] + len(p) + 1)

            if code not in person_ids:
                person_ids[code] = store.upsert_participant(code, {})
            tname = name
            k = 1
            while tname.casefold() in names_taken:
                k += 1
                tname = f"{name} ({k})"
            names_taken.add(tname.casefold())
            tid = store.add_transcript(
                name=tname, participant_id=person_ids[code],
                source=meta.get("source", name).replace("%20", " "),
                format=meta.get("format", "txt"),
                sha256=hashlib.sha256(text2.encode("utf-8")).hexdigest(), width=t_width,
                text=text2, lines=lines, ingested=_from_when(src.get("creationDateTime")),
                guid=src.get("guid") or None)
            counts["transcripts"] += 1
            if _kids(src, "Coding"):
                report.append(f"source '{name}': {len(_kids(src, 'Coding'))} coding(s) of the "
                              "whole source (not of a passage) not imported")
            batch = []
            line_starts = [ln.start for ln in lines]  # once per source, not per selection
            for sel in sels:
                try:
                    a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
                except (TypeError, ValueError):
                    report.append(f"source '{name}': a selection without positions")
                    continue
                if not 0 <= a < b <= len(raw):
                    report.append(f"source '{name}': selection {a}-{b} outside the text "
                                  f"({len(raw)} characters)")
                    continue
                # the end is mapped as an end (not as its last character plus one), so a
                # selection ending in collapsed whitespace stops before the next word
                s, e = _at(starts, maps, a), max(_at(starts, maps, a), _at(starts, maps, b))
                while s < e and text2[s].isspace():
                    s += 1
                while e > s and text2[e - 1].isspace():
                    e -= 1
                if s == e:
                    report.append(f"source '{name}': selection {a}-{b} holds only white "
                                  "space; not imported")
                    continue
                first, last = line_span_for_chars(lines, s, e, line_starts)
                desc = _text_of(sel, "Description")
                exemplar = desc.startswith("[exemplar]")
                desc = desc[len("[exemplar]"):].strip() if exemplar else desc
                ours = [r.get("targetGUID") for c in _kids(sel, "Coding")
                        for r in [_kid(c, "CodeRef")] if r is not None
                        and r.get("targetGUID") in case_codes]
                if ours:  # an experiential statement, filed under its PETs
                    text_, _, note_ = desc.partition("\n\n")
                    ug = sel.get("creatingUser")
                    idio.add_statement(project, case_codes, ours, Statement(
                        0, tid, first, last, s, e, text2[s:e], text_.strip(), note_.strip(),
                        users.get(ug) or "unknown coder",
                        _from_when(sel.get("creationDateTime")), guid=sel.get("guid")))
                    counts["statements"] += 1
                    continue
                for c in _kids(sel, "Coding"):
                    ref = _kid(c, "CodeRef")
                    theme = theme_of.get(ref.get("targetGUID") if ref is not None else None)
                    if theme is None:
                        report.append(f"source '{name}': a coding refers to an unknown code")
                        continue
                    ug = c.get("creatingUser") or sel.get("creatingUser")
                    who = users.get(ug) or (f"user {ug[:8]}" if ug else "unknown coder")
                    batch.append(Coding(0, tid, theme, first, last, s, e, text2[s:e], who,
                                        desc, _from_when(c.get("creationDateTime") or
                                                         sel.get("creationDateTime")),
                                        exemplar=exemplar, guid=sel.get("guid")
                                        if len(_kids(sel, "Coding")) == 1 else ""))
                refs = [r.get("targetGUID") for r in _kids(sel, "NoteRef")]
                for ref in [*refs, *linked.get(sel.get("guid"), [])]:
                    note = notes_el.get(ref)
                    if note is None:
                        report.append(f"source '{name}': a passage refers to a note that "
                                      "is not in the file")
                        continue
                    if ref in used_notes:
                        continue
                    used_notes.add(ref)
                    kind_name = (note.get("name") or "").strip().lower()
                    who = users.get(note.get("creatingUser") or sel.get("creatingUser"), "")
                    store.add_note(Note(0, tid, first, last, s, e, kind_name if kind_name in
                                        NOTE_KINDS else "descriptive",
                                        _text_of(note, "PlainTextContent"), who,
                                        _from_when(note.get("creationDateTime")),
                                        guid=sel.get("guid")))
                    counts["notes"] += 1
            counts["codings"] += store.add_codings(batch)
        for c in codes:
            for ref in c.notes:
                note = notes_el.get(ref)
                if note is None or c.guid not in theme_of:
                    why.setdefault(ref, f"a memo on code '{c.name}', which was not imported")
                    continue
                used_notes.add(ref)
                store.add_memo(Memo(0, theme_of[c.guid], _text_of(note, "PlainTextContent"),
                                    users.get(note.get("creatingUser"), ""),
                                    _from_when(note.get("creationDateTime")), guid=ref))
                counts["memos"] += 1
        for guid, note in notes_el.items():
            if guid not in used_notes:
                reason = why.get(guid, "it is not attached to a passage or a code")
                report.append(f"note '{note.get('name') or guid}' not imported: {reason}")
    project.refresh()
    counts["participants"] = len(store.participants())
    counts["themes"] = len(store.themes())
    counts["report"] = report
    return counts


def _at(starts: list[int], maps: list, pos: int) -> int:
    """A position in the source as stored -> the same character in the transcript text."""
    from bisect import bisect_right

    k = bisect_right(starts, pos) - 1
    while k >= 0 and maps[k] is None:
        k -= 1
    if k < 0:
        return 0
    off = min(pos - starts[k], len(maps[k]) - 1)
    return maps[k][max(off, 0)]

"""REFI-QDA exchange: schema-valid exports, lossless round trips, other tools' files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ipa_toolkit.errors import InputError, ProjectError
from ipa_toolkit.project import Project

from .conftest import DATA, dump

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "refi-qda"
HANDMADE = DATA / "refi" / "handmade"
need_schemas = pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/refi-qda missing")


def validate(xml: bytes, xsd: str) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / xsd)))
    doc = etree.fromstring(xml)
    assert schema.validate(doc), schema.error_log


def zip_folder(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(folder).as_posix())
    return out


@need_schemas
def test_exports_validate_and_carry_unicode_offsets(sample, tmp_path):
    sample.memo("1.2", "grief without a death")
    qdpx = sample.export(tmp_path / "study.qdpx")
    z = zipfile.ZipFile(qdpx)
    qde = z.read("project.qde")
    validate(qde, "Project-mrt2019.xsd")
    validate(sample.export(tmp_path / "study.qdc").read_bytes(), "Codebook.xsd")
    root = etree.fromstring(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    src = root.find(".//q:TextSource[@name='P3']", ns)
    text = z.read(src.get("plainTextPath").replace("internal://", "sources/"))
    assert not text.startswith(b"\xef\xbb\xbf")
    text = text.decode("utf-8")
    sel = src.find("q:PlainTextSelection", ns)
    quote = text[int(sel.get("startPosition")):int(sel.get("endPosition"))]
    assert quote in set(sample.codings(participant="P3").quote)
    assert len(root.findall(".//q:Case", ns)) == 10
    assert "RA" in {u.get("name") for u in root.findall(".//q:User", ns)}


def test_round_trip_is_lossless(sample, tmp_path):
    sample.memo("1.2", "grief without a death", author="RB")
    sample.tag("P2", "1.1", lines="10-12", coder="RB", note="overlaps", exemplar=True)
    clone = Project.init(tmp_path / "clone")
    r = clone.import_from(sample.export(tmp_path / "s.qdpx"))
    assert r["report"] == [] and r["codings"] == len(sample.codings())
    cols = ["participant", "transcript", "start_line", "end_line", "start_char", "end_char",
            "quote", "theme_number", "theme_label", "coder", "note", "created", "exemplar"]
    assert clone.codings()[cols].equals(sample.codings()[cols])
    assert clone.participants().equals(sample.participants())
    assert clone.codebook_tree() == sample.codebook_tree()
    assert clone.notes().drop(columns="id").equals(sample.notes().drop(columns="id"))
    assert clone.memos().drop(columns="id").equals(sample.memos().drop(columns="id"))
    assert clone.show("P7") == sample.show("P7")
    # the same project gives the same file
    a = sample.export(tmp_path / "a.qdpx").read_bytes()
    assert a == sample.export(tmp_path / "b.qdpx").read_bytes()
    assert clone.export(tmp_path / "c.qdpx").read_bytes() == a


def test_handmade_file_from_another_tool(project, tmp_path):
    r = project.import_from(zip_folder(HANDMADE, tmp_path / "other.qdpx"))
    assert r["transcripts"] == 2 and r["codings"] == 6 and r["notes"] == 1 and r["memos"] == 1
    assert any("PDFSource 'Consent form'" in x for x in r["report"])
    assert any("Project memo" in x for x in r["report"])
    people = project.participants().set_index("participant")
    assert people.loc["Anna_K", "Age"] == "41" and people.loc["Anna_K", "Gender"] == "F"
    assert "Ben" in people.index  # linked through a selection only
    tree = project.codebook_tree(counts=False).splitlines()
    assert tree[:3] == ["Handmade study", "1 Shock", "  1.1 Another world"]
    assert project.theme("Support").colour == "#00FF00"
    df = project.codings()
    anna = df[df.transcript == "Anna interview"]
    assert set(anna.quote) == {"another world", "another world – completely strange",
                               "Café visits, alone"}  # BOM and CRLF: offsets line up
    assert "user 22222222" in set(anna.coder)
    ben = df[df.transcript == "Ben interview"]
    assert sorted(ben.quote) == ["Nobody told me anything", "Nobody told me anything",
                                 "Not even a leaflet"]  # after an emoji: code points
    assert sorted(ben.coder) == ["Coder A", "Coder A", "user 22222222"]
    note = project.notes().iloc[0]
    assert (note.kind, note.note) == ("conceptual", "Isolation within the family.")
    assert anna[anna.quote == "Café visits, alone"].note.iloc[0] == "alone, even in company"
    assert project.text("Anna interview").startswith("Interviewer: How was it?\nAnna: It was")


def test_flat_dotted_codebook(project):
    r = project.import_from(DATA / "refi" / "flat_dotted.qdc")
    assert r["added"] == 5
    assert project.codebook_tree(counts=False).splitlines() == [
        "1 tech", "  1.1 floss", "    1.1.1 linux", "2 people", "  2.1 users"]
    assert project.theme("floss").description == "Free software."


def test_qdc_merges_into_an_existing_codebook(sample, tmp_path):
    before = len(sample.codebook.themes)
    r = sample.import_from(sample.export(tmp_path / "cb.qdc"))
    assert r["updated"] == before and r["added"] == 0


def test_unsafe_archives_are_refused(project, tmp_path):
    before = dump(project.folder)
    evil = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("project.qde", (HANDMADE / "project.qde").read_bytes())
        z.writestr("../../outside.txt", "x")
    with pytest.raises(InputError, match="outside the archive"):
        project.import_from(evil)
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", b" " * (60 * 2**20))
    with pytest.raises(InputError, match="zip bomb"):
        project.import_from(bomb)
    xxe = tmp_path / "xxe.qdpx"
    with zipfile.ZipFile(xxe, "w") as z:
        z.writestr("project.qde", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                   '"file:///etc/passwd">]><Project xmlns="urn:QDA-XML:project:1.0" '
                   'name="p"><Description>&x;</Description></Project>')
    with pytest.raises(InputError, match="DOCTYPE|entities"):
        project.import_from(xxe)
    with pytest.raises(InputError, match="not a valid .qdpx"):
        project.import_from(_copy(DATA / "corrupt.docx", tmp_path / "x.qdpx"))
    assert dump(project.folder) == before


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def test_qdpx_import_needs_an_empty_project(sample, tmp_path):
    with pytest.raises(ProjectError, match="not empty"):
        sample.import_from(sample.export(tmp_path / "s.qdpx"))


# -- property: random projects survive project -> qdpx -> project ------------------------------
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäéøß–’😀", min_size=1, max_size=8)
para = st.lists(words, min_size=3, max_size=30).map(" ".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(para, min_size=1, max_size=4), min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**6), st.integers(1, 60),
                          st.sampled_from(["A", "B", "Zoë"]), st.booleans()), max_size=12),
       st.data())
def test_random_projects_round_trip(tmp_path_factory, transcripts, codings, data):
    base = tmp_path_factory.mktemp("prop")
    p = Project.init(base / "p")
    files = []
    for i, paras in enumerate(transcripts, 1):
        f = base / f"P{i}.txt"
        f.write_text("\n".join(paras), encoding="utf-8")
        files.append(f)
    p.ingest(files)
    p.add_participant("P99", Age="7", Note="x, y")
    t1 = p.add_theme("Alpha ä")
    p.add_theme("Beta", parent=t1.number, colour="#ABCDEF", description="d")
    p.add_theme("Gamma")
    themes = [t.number for t in p.codebook.themes]
    for k, start, length, coder, exemplar in codings:
        ref = f"P{k % len(transcripts) + 1}"
        text = p.text(ref)
        s = start % len(text)
        e = min(len(text), s + length)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        lines = p.lines(ref)
        from ipa_toolkit.ingest.lines import line_span_for_chars
        from ipa_toolkit.model import Coding

        a, b = line_span_for_chars(lines, s, e)
        t = p.transcript(ref)
        theme = p.theme(data.draw(st.sampled_from(themes)))
        with p.store.transaction():
            p.store.add_coding(Coding(0, t.id, theme.id, a, b, s, e, text[s:e], coder,
                                      "n;ote", "2025-01-01T00:00:00Z", exemplar=exemplar))
    out = p.export(base / "p.qdpx")
    q = Project.init(base / "q")
    r = q.import_from(out)
    assert r["report"] == []
    assert q.codings().drop(columns="id").equals(p.codings().drop(columns="id"))
    assert q.participants().equals(p.participants())
    assert q.codebook_tree() == p.codebook_tree()
    p.close()
    q.close()


@need_schemas
def test_statements_and_pets_travel_as_case_codes_sets_and_come_back(sample, tmp_path):
    sample.idio.add_pet("P3", "A sub-theme", parent="P3:2",
                        statements=str(sample.statements("P3").id.iloc[0]))
    sample.idio.describe_pet("P3:2", "loss without a death")
    qdpx = sample.export(tmp_path / "study.qdpx")
    qde = zipfile.ZipFile(qdpx).read("project.qde")
    validate(qde, "Project-mrt2019.xsd")
    root = etree.fromstring(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    names = {c.get("name") for c in root.findall(".//q:Code", ns)}
    assert {"P3: personal experiential themes", "P3:2 Mourning a living man",
            "P3:2.1 A sub-theme"} <= names
    sets = {s.get("name"): len(s.findall("q:MemberCode", ns))
            for s in root.findall(".//q:Set", ns)}
    assert sets == {f"PETs of {p}": len(sample.pets(p)) for p in ("P1", "P3", "P5")}
    said = {d.text for d in root.findall(".//q:PlainTextSelection/q:Description", ns)}
    assert "grief without a death" in said
    clone = Project.init(tmp_path / "clone")
    counts = clone.import_from(qdpx)
    assert not [r for r in counts["report"] if "set" in r]
    assert len(clone.codebook.themes) == len(sample.codebook.themes)  # PETs are not themes
    cols = ["participant", "start_line", "end_line", "quote", "text", "coder"]
    assert clone.statements()[cols].equals(sample.statements()[cols])
    keep = ["pet", "label", "parent", "themes", "description"]
    assert clone.pets()[keep].equals(sample.pets()[keep])
    assert clone.theme_counts() == sample.theme_counts()  # keyed by theme number
    clone.close()

"""Every reader, fed hypothesis-made input, has two outcomes only: it reads the file, or it
raises an ``IpaError`` whose message is one line (a ``ValidationReport`` is one line per
problem). Anything else (a traceback, "internal error") is a bug."""

from __future__ import annotations

import io
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipa_toolkit.codebook.file import parse_codebook
from ipa_toolkit.errors import IpaError, ValidationReport
from ipa_toolkit.ingest import read_document
from ipa_toolkit.project import Project
from ipa_toolkit.sheets.read import read_sheet

from .hostile.make import docx_bytes, qdpx_bytes, replaced, word_xml, xlsx_bytes

# FUZZ_N=500 for a longer hunt (it found a BOM followed by broken UTF-8 this way)
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_N", 60)), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def one_clean_line(exc: IpaError) -> None:
    lines = exc.problems if isinstance(exc, ValidationReport) else [exc.format()]
    assert all(line.strip() and "\n" not in line for line in lines), exc.format()


def outcome(read, *args):
    try:
        return read(*args)
    except IpaError as exc:
        one_clean_line(exc)
        return None


def _write(tmp_path_factory, name: str, data: bytes | str):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    b = bytearray(data)
    for pos, value in edits:
        b[pos % len(b)] = value
    return bytes(b)


edits = st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1,
                 max_size=6)
TIME = st.from_regex(r"\A\d{1,2}:\d{1,2}(:\d{1,2})?([.,]\d{1,3})?\Z", fullmatch=True)
caption_line = st.one_of(st.builds(lambda a, b, r: f"{a} --> {b}{r}", TIME, TIME,
                                   st.sampled_from(["", " align:start", "-->"])),
                         st.sampled_from(["WEBVTT", "", "NOTE x", "1", "<v Anna>hi</v>",
                                          "Anna: hello", "-->"]),
                         st.text(max_size=30))
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                             "cp1252"])


@FUZZ
@given(st.one_of(st.binary(max_size=3000),
                 st.builds(lambda t, e: t.encode(e, errors="replace"),
                           st.text(max_size=2000), encodings)))
def test_txt(tmp_path_factory, data):
    outcome(read_document, _write(tmp_path_factory, "P1.txt", data))


@FUZZ
@given(st.lists(st.one_of(st.from_regex(r"\A[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?  \(?\d{1,2}:"
                                        r"\d{2}(:\d{2})?\)?\Z", fullmatch=True),
                          st.text(max_size=40)), max_size=20))
def test_service_text(tmp_path_factory, rows):
    outcome(read_document, _write(tmp_path_factory, "P1.txt", "\n".join(rows)))


@FUZZ
@given(st.lists(caption_line, max_size=25), st.sampled_from(["P1.vtt", "P1.srt"]),
       st.sampled_from([b"", b"WEBVTT\n\n"]), st.binary(max_size=40))
def test_vtt_and_srt(tmp_path_factory, rows, name, head, tail):
    data = head + "\n".join(rows).encode("utf-8") + tail
    outcome(read_document, _write(tmp_path_factory, name, data))


yaml_text = st.text(alphabet=st.sampled_from(list("themes:numberlabl -[]{}&*!|>'\"#\n,.1234"
                                                  "?%@`\t")), max_size=300)
yaml_tree = st.recursive(
    st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["number", "label", "themes",
                                                             "parent", "colour", "x"]),
                                            inner, max_size=4)), max_leaves=20)


@FUZZ
@given(st.one_of(yaml_text, yaml_tree.map(lambda t: __import__("yaml").safe_dump(
    {"themes": t} if not isinstance(t, dict) else t))))
def test_yaml_codebook(text):
    outcome(parse_codebook, text, "cb.yaml")


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@FUZZ
@given(st.one_of(st.binary(max_size=2000),
                 st.lists(st.lists(cells, max_size=5), max_size=8).map(
                     lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8"))))
def test_csv_sheet(tmp_path_factory, data):
    outcome(read_sheet, _write(tmp_path_factory, "sheet.csv", data))


XLSX = xlsx_bytes()


@FUZZ
@given(st.one_of(edits.map(lambda e: mutate(XLSX, e)),
                 st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=(
                     "Cs", "Cc")), max_size=12), max_size=4), max_size=6).map(xlsx_bytes)))
def test_xlsx_sheet(tmp_path_factory, data):
    outcome(read_sheet, _write(tmp_path_factory, "sheet.xlsx", data))


W = ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:tbl>", "</w:tbl>",
     "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:br/>", "<w:tab/>",
     '<w:commentRangeStart w:id="1"/>', '<w:commentRangeEnd w:id="1"/>', "<w:sdt>",
     "</w:sdt>", "<w:sdtContent>", "</w:sdtContent>", "<w:ins>", "</w:ins>", "text",
     "&amp;", "&e;", "<", "é😀"]
DOCX = docx_bytes()


@FUZZ
@given(st.one_of(st.lists(st.sampled_from(W), max_size=40).map(
    lambda parts: replaced(DOCX, word__document_dot_xml=word_xml("".join(parts)))),
    edits.map(lambda e: mutate(DOCX, e))))
def test_docx_xml(tmp_path_factory, data):
    outcome(read_document, _write(tmp_path_factory, "P1.docx", data))


R = ['<Project xmlns="urn:QDA-XML:project:1.0" name="p">', "</Project>", "<Sources>",
     "</Sources>", '<TextSource guid="s1" name="P1" plainTextPath="internal://s1.txt">',
     '<TextSource guid="s2" name="x">', "</TextSource>",
     '<PlainTextSelection guid="x" startPosition="1" endPosition="5">',
     '<PlainTextSelection startPosition="-3" endPosition="a">', "</PlainTextSelection>",
     '<Coding guid="c"><CodeRef targetGUID="k"/></Coding>', '<NoteRef targetGUID="n"/>',
     "<CodeBook><Codes>", "</Codes></CodeBook>", '<Code guid="k" name="1 A">', "</Code>",
     "<Cases>", "</Cases>", '<Case guid="c1" name="P1">', "</Case>",
     '<SourceRef targetGUID="s1"/>', "<Notes>", "</Notes>", '<Note guid="n" name="x">',
     "</Note>", "<PlainTextContent>hi</PlainTextContent>", "<Links>", "</Links>",
     '<Link guid="l" originGUID="n" targetGUID="x"/>', "text", "&amp;"]


@FUZZ
@given(st.lists(st.sampled_from(R), max_size=40), st.text(max_size=60), edits, st.booleans())
def test_qdpx_and_qdc(tmp_path_factory, parts, source, edit, mutated):
    folder = tmp_path_factory.mktemp("fuzz")
    xml = '<?xml version="1.0" encoding="utf-8"?>' + "".join(parts)
    data = qdpx_bytes(qde=xml, extra={"sources/s1.txt": source.encode("utf-8", "replace")})
    if mutated:
        data = mutate(data, edit)
    (folder / "x.qdpx").write_bytes(data)
    (folder / "x.qdc").write_text(xml.replace("project:1.0", "codebook:1.0").replace(
        "<Project", "<CodeBook").replace("</Project>", "</CodeBook>"), encoding="utf-8")
    for name in ("x.qdpx", "x.qdc"):
        p = Project.init(folder / f"p-{name}")
        try:
            outcome(p.import_from, folder / name)
        finally:
            p.close()


def test_mutation_helper_changes_bytes():
    assert mutate(b"abc", [(1, 0)]) == b"a\0c"
    with zipfile.ZipFile(io.BytesIO(DOCX)) as z:
        assert "word/document.xml" in z.namelist()

"""Reading transcripts: encodings, Word documents (tables included), and bad files."""

from __future__ import annotations

import pytest

from ipa_toolkit.errors import InputError
from ipa_toolkit.ingest import read_document
from ipa_toolkit.ingest.text import decode


@pytest.mark.parametrize("name", ["P2_cp1252.txt", "P2_utf16.txt", "P2_utf8bom.txt"])
def test_text_encodings_give_the_same_paragraphs(data, name):
    doc = read_document(data / name)
    assert doc.paragraphs[1] == "P2: Numb. I couldn’t believe it – it was like another world."
    assert not any("\ufeff" in p for p in doc.paragraphs)


def test_windows_1252_is_converted_with_a_warning(data):
    doc = read_document(data / "P2_cp1252.txt")
    assert any("1252" in w for w in doc.warnings)
    assert not read_document(data / "P2_utf8bom.txt").warnings


def test_docx_keeps_paragraph_order_and_table_text_once(data):
    doc = read_document(data / "P7_interview.docx")
    text = [p for p in doc.paragraphs if p.strip()]
    assert text[0].startswith("Interviewer: Can you tell me")
    assert "P7: Afterwards nothing was the same." in text
    assert text.index("Interviewer: And afterwards?") < text.index("Interviewer: Thank you.")
    assert sum("Merged cell text appears once." in p for p in text) == 1


@pytest.mark.parametrize("name,words", [
    ("corrupt.docx", "corrupt or not a zip"),
    ("not_word.docx", "not a Word document"),
    ("empty.txt", "empty"),
    ("blank.txt", "no text"),
    ("binary.txt", "binary"),
    ("missing.txt", "not found"),
])
def test_bad_files_are_one_clear_error(data, name, words):
    with pytest.raises(InputError) as info:
        read_document(data / name)
    msg = info.value.format()
    assert name in msg and "\n" not in msg
    assert words.lower() in msg.lower()


def test_unsupported_suffix_names_the_supported_ones(tmp_path):
    f = tmp_path / "P1.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=r"\.docx"):
        read_document(f)


def test_decode_utf16_without_bom():
    raw = "P1: hello there, this is plain text".encode("utf-16-le")
    text, warnings = decode(raw, "x.txt")
    assert text.startswith("P1: hello")


def _by_python_docx(path):
    """The same walk over python-docx's reading of the document (the reference)."""
    import docx

    from ipa_toolkit.ingest.docx import DocxText, _blocks

    out = DocxText()
    _blocks(docx.Document(str(path)).element.body, out, 0, [0])
    return out


@pytest.mark.parametrize("name", ["P1.docx", "P3.docx", "P5.docx", "P7.docx", "P9.docx",
                                  "P7_interview.docx"])
def test_docx_read_from_its_main_part_equals_python_docx(data, name):
    from ipa_toolkit.ingest.docx import _walk_part, walk_docx
    from ipa_toolkit.safety import check_office

    from .conftest import SAMPLE

    path = (data if name == "P7_interview.docx" else SAMPLE) / name
    ref = _by_python_docx(path)
    main = check_office(path, ".docx", keep=lambda n: n == "word/document.xml")
    fast = _walk_part(main["word/document.xml"], path)
    assert (fast.paragraphs, fast.containers, fast.starts, fast.ends) == \
        (ref.paragraphs, ref.containers, ref.starts, ref.ends)
    assert walk_docx(path).paragraphs == ref.paragraphs


def test_docx_with_comments_still_gives_them(tmp_path):
    import docx

    from ipa_toolkit.ingest.docx import walk_docx

    d = docx.Document()
    p = d.add_paragraph("P4: It was the worst year.")
    d.add_comment(p.runs, text="1.1 grief", author="RA")
    d.add_paragraph("Interviewer: And then?")
    d.save(tmp_path / "P4.docx")
    got = walk_docx(tmp_path / "P4.docx")
    assert got.paragraphs == ["P4: It was the worst year.", "Interviewer: And then?"]
    assert [c["text"] for c in got.comments.values()] == ["1.1 grief"]
    assert read_document(tmp_path / "P4.docx").paragraphs == got.paragraphs


def test_the_binary_check_skips_no_junk_character():
    """``_junk`` looks up only what its regex lets through: no control, unassigned or
    private-use character may slip past it (checked over every code point)."""
    import unicodedata

    from ipa_toolkit.ingest.text import _JUNK, _MAYBE_JUNK

    skipped = [c for c in map(chr, range(0x110000)) if c not in "\t\n\r\f"
               and not _MAYBE_JUNK.match(c) and unicodedata.category(c) in _JUNK]
    assert skipped == []
    assert _MAYBE_JUNK.match("\x01") and _MAYBE_JUNK.match("\ue000")


def test_ingest_pauses_the_garbage_collector_only_while_it_runs(tmp_path):
    import gc

    from ipa_toolkit.project import Project

    p = Project.init(tmp_path / "proj")
    (tmp_path / "P1.txt").write_text("P1: It was hard.\n", encoding="utf-8")
    (tmp_path / "P2.txt").write_bytes(b"\x00\x01\x02" * 100)
    assert gc.isenabled()
    with pytest.raises(InputError):
        p.ingest([tmp_path / "P1.txt", tmp_path / "P2.txt"])  # the second is binary
    assert gc.isenabled() and p.transcript_list() == []  # nothing half-done
    p.ingest(tmp_path / "P1.txt")
    assert gc.isenabled() and [t.name for t in p.transcript_list()] == ["P1"]
    p.close()

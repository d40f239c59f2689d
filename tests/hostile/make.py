"""Hostile files, generated at test time (nothing large is committed).

Each maker writes its file(s) under a folder and returns the path. ``CASES`` pairs every
maker with the ``ipa`` command that must refuse it and the project it runs against
("filled": a codebook, participants and one transcript; "empty": a new project).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

MiB = 2**20
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# -- building blocks ---------------------------------------------------------------------------
def docx_bytes(text: str = "Interviewer: How was it?\nP9: It was hard.") -> bytes:
    import docx

    d = docx.Document()
    for para in text.split("\n"):
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows=(("ID", "Age"), ("P1", "30"))) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def qdpx_bytes(text: str = "Interviewer: How was it?\nP9: It was hard.",
               source_name: str = "P9 interview", extra: dict[str, bytes] | None = None,
               qde: str | None = None) -> bytes:
    guid = "aaaaaaaa-0000-4000-8000-000000000001"
    qde = qde or (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="hostile" origin="test">'
        '<CodeBook><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="1 Shock" '
        'isCodable="true"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{guid}" name="{source_name}" plainTextPath="internal://{guid}.txt">'
        '<PlainTextSelection guid="5e000000-0000-4000-8000-000000000001" startPosition="0" '
        'endPosition="11"><Coding guid="d0000000-0000-4000-8000-000000000001"><CodeRef '
        'targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>'
        '</TextSource></Sources></Project>')
    files = {"project.qde": qde.encode("utf-8"), f"sources/{guid}.txt": text.encode("utf-8")}
    files.update(extra or {})
    return rezip(files)


def qdpx_sources(names: list[str]) -> bytes:
    """A .qdpx with one coded text source per name (names used as given)."""
    from xml.sax.saxutils import quoteattr

    sources, files = [], {}
    for i, name in enumerate(names):
        guid = f"aaaaaaaa-0000-4000-8000-{i:012d}"
        files[f"sources/{guid}.txt"] = f"P{i}: text number {i}".encode()
        sources.append(
            f'<TextSource guid="{guid}" name={quoteattr(name)} plainTextPath="internal://'
            f'{guid}.txt"><PlainTextSelection guid="5e000000-0000-4000-8000-{i:012d}" '
            'startPosition="0" endPosition="8"><Coding guid="d0000000-0000-4000-8000-'
            f'{i:012d}"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding>'
            '</PlainTextSelection></TextSource>')
    qde = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
           'name="names" origin="test"><CodeBook><Codes><Code guid="c0000000-0000-4000-8000-'
           '000000000001" name="1 Shock" isCodable="true"/></Codes></CodeBook><Sources>'
           + "".join(sources) + "</Sources></Project>")
    return rezip({"project.qde": qde.encode("utf-8"), **files})


def words(size: int) -> str:
    """``size`` characters of word-like lines that compress about as well as speech."""
    block = os.urandom(256 * 1024).translate(
        bytes(b"abcdefghijklmnopqrstuvwxyz      "[i % 32] for i in range(256)))
    text = b"\n".join(b"P9: " + block[i:i + 96] for i in range(0, len(block), 96)) + b"\n"
    return (text * (size // len(text) + 1))[:size].decode("ascii")


def rezip(files: dict[str, bytes], stored: bool = False) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), data, method)
    return buf.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def replaced(data: bytes, stored: bool = False, **parts: bytes) -> bytes:
    """The archive ``data`` with members replaced or added (keys use '__' for '/')."""
    files = members(data)
    files.update({k.replace("__", "/").replace("_dot_", "."): v for k, v in parts.items()})
    return rezip(files, stored)


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Say ``name`` inflates to ``size`` bytes in both headers (a lying zip bomb)."""
    b = bytearray(data)
    raw = name.encode()
    i = b.find(b"PK\x01\x02")
    while i != -1:
        n = struct.unpack_from("<H", b, i + 28)[0]
        if bytes(b[i + 46:i + 46 + n]) == raw:
            struct.pack_into("<I", b, i + 24, size)
            local = struct.unpack_from("<I", b, i + 42)[0]
            struct.pack_into("<I", b, local + 22, size)
        i = b.find(b"PK\x01\x02", i + 4)
    return bytes(b)


def bad_crc(data: bytes, name: str) -> bytes:
    """One byte of ``name``'s stored data changed, so its CRC no longer matches."""
    files = members(data)
    blob = rezip(files, stored=True)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        info = z.getinfo(name)
    b = bytearray(blob)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    b[start + len(files[name]) // 2] ^= 0x20
    return bytes(b)


def encrypted_office(kind: str) -> bytes:
    """The shape of a password-protected Office file: a compound (OLE/CFB) file holding
    EncryptionInfo and EncryptedPackage streams instead of a zip."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 24, 0x3E, 3, 0xFFFE)
    directory = bytearray(512)
    for k, stream in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        name = stream.encode("utf-16-le") + b"\0\0"
        directory[k * 128:k * 128 + len(name)] = name
        struct.pack_into("<H", directory, k * 128 + 64, len(name))
    return bytes(header) + bytes(directory) + os.urandom(4096) + kind.encode()


def word_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()


def para(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


# -- the hostile files -------------------------------------------------------------------------
def _w(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def docx_member_bomb(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(
        para("x")).replace(b"<w:body>", b"<w:body>" + b" " * (80 * MiB))))


def docx_ratio_bomb(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), word__media__image1_dot_png=b"\0" * (20 * MiB)))


def docx_total_bomb(f: Path) -> Path:
    parts = {f"word__media__pad{i}_dot_bin": b"\0" * MiB for i in range(300)}
    return _w(f, "P9.docx", replaced(docx_bytes(), **parts))


def docx_lying_bomb(f: Path) -> Path:
    data = replaced(docx_bytes(), word__document_dot_xml=word_xml(
        para("x")).replace(b"<w:body>", b"<w:body>" + b" " * (30 * MiB)))
    return _w(f, "P9.docx", lie_about_size(data, "word/document.xml", 2000))


def docx_laughs(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(
        para("&lol9;"), LAUGHS)))


def docx_long_transcript(f: Path) -> Path:
    """About 9 MB on disk, 31 MiB of XML: under every zip limit, over the transcript length."""
    body = "".join(para(line) for line in words(24 * MiB).split("\n"))
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(body)))


def qdpx_long_source(f: Path) -> Path:
    return _w(f, "x.qdpx", qdpx_bytes(text=words(12 * MiB)))


def txt_long_transcript(f: Path) -> Path:
    return _w(f, "P9.txt", words(15 * MiB))


def txt_two_million_lines(f: Path) -> Path:
    return _w(f, "P9.txt", "a\n" * (2 * 2**20 - 8))


def docx_many_paragraphs(f: Path) -> Path:
    """250,000 three-letter paragraphs in 14 MiB of XML (under 2 MB on disk)."""
    letters = words(1_000_000).replace("\n", "").replace(" ", "")
    body = "".join(para(letters[i:i + 3]) for i in range(0, 750_000, 3))
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(body)))


def qdpx_two_million_lines(f: Path) -> Path:
    letters = words(3 * 2**20).replace("\n", "").replace(" ", "")
    return _w(f, "x.qdpx", qdpx_bytes(text="P9: a\n" + "\n".join(letters[:2 * 2**20 - 8])))


def csv_many_rows(f: Path) -> Path:
    return _w(f, "people.csv", "ID,Age\n" + "".join(f"P{i},{i % 90}\n" for i in range(200_000)))


def csv_long_field(f: Path) -> Path:
    """A cell longer than any transcript (a quote of a whole transcript fits)."""
    return _w(f, "people.csv", 'ID,Note\nP1,"' + "a" * 5_000_000 + '"\n')


def xlsx_wide(f: Path) -> Path:
    data = xlsx_bytes()
    sheet = members(data)["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
    return _w(f, "people.xlsx", replaced(data, xl__worksheets__sheet1_dot_xml=sheet))


def docx_xxe(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(
        para("&xxe;"), XXE)))


def docx_text_after_entity(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(
        para("P9: before &e; after, the words that would be dropped"),
        '<!DOCTYPE w:document [<!ENTITY e "entity">]>')))


def docx_doctype_in_styles(f: Path) -> Path:
    data = docx_bytes()
    styles = members(data)["word/styles.xml"]
    return _w(f, "P9.docx", replaced(data, word__styles_dot_xml=styles.replace(
        b"?>", b"?>" + XXE.encode(), 1)))


def docx_utf7_xml(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(
        para("hi")).replace(b'encoding="UTF-8"', b'encoding="UTF-7"')))


def docx_bad_crc(f: Path) -> Path:
    return _w(f, "P9.docx", bad_crc(docx_bytes(), "word/document.xml"))


def docx_truncated(f: Path) -> Path:
    data = docx_bytes()
    return _w(f, "P9.docx", data[:len(data) // 2])


def docx_encrypted(f: Path) -> Path:
    return _w(f, "P9.docx", encrypted_office(".docx"))


def docx_old_binary(f: Path) -> Path:
    return _w(f, "P9.docx", encrypted_office(".doc").replace(
        "EncryptedPackage".encode("utf-16-le"), "WordDocument".encode("utf-16-le") + b"\0" * 8))


def docx_member_traversal(f: Path) -> Path:
    return _w(f, "P9.docx", replaced(docx_bytes(), **{"..__..__evil_dot_txt": b"x"}))


def docx_deep(f: Path) -> Path:
    body = "<w:sdt><w:sdtContent>" * 5000 + para("x") + "</w:sdtContent></w:sdt>" * 5000
    return _w(f, "P9.docx", replaced(docx_bytes(), word__document_dot_xml=word_xml(body)))


def xlsx_shared_strings_bomb(f: Path) -> Path:
    data = xlsx_bytes()
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.'
           b'org/spreadsheetml/2006/main"><si><t>' + b"A" * (100 * MiB) + b"</t></si></sst>")
    return _w(f, "people.xlsx", replaced(data, xl__sharedStrings_dot_xml=sst))


def xlsx_ratio_bomb(f: Path) -> Path:
    return _w(f, "people.xlsx", replaced(xlsx_bytes(), xl__media__pad_dot_bin=b"\0" * (30 * MiB)))


def xlsx_total_bomb(f: Path) -> Path:
    parts = {f"xl__pad{i}_dot_bin": b"\0" * MiB for i in range(300)}
    return _w(f, "people.xlsx", replaced(xlsx_bytes(), **parts))


def _sheet_with(prolog: str, cell: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="http://schemas.'
            f'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
            f't="inlineStr"><is><t>ID</t></is></c></row><row r="2"><c r="A2" t="inlineStr">'
            f'<is><t>{cell}</t></is></c></row></sheetData></worksheet>').encode()


def xlsx_doctype(f: Path) -> Path:
    return _w(f, "people.xlsx", replaced(xlsx_bytes(), xl__worksheets__sheet1_dot_xml=_sheet_with(
        '<!DOCTYPE worksheet>', "P1")))


def xlsx_laughs(f: Path) -> Path:
    return _w(f, "people.xlsx", replaced(xlsx_bytes(), xl__worksheets__sheet1_dot_xml=_sheet_with(
        LAUGHS, "&lol9;")))


def xlsx_xxe(f: Path) -> Path:
    return _w(f, "people.xlsx", replaced(xlsx_bytes(), xl__worksheets__sheet1_dot_xml=_sheet_with(
        XXE, "&xxe;")))


def xlsx_bad_crc(f: Path) -> Path:
    return _w(f, "people.xlsx", bad_crc(xlsx_bytes(), "xl/worksheets/sheet1.xml"))


def xlsx_truncated(f: Path) -> Path:
    data = xlsx_bytes()
    return _w(f, "people.xlsx", data[:len(data) * 2 // 3])


def xlsx_encrypted(f: Path) -> Path:
    return _w(f, "people.xlsx", encrypted_office(".xlsx"))


def xlsx_not_a_workbook(f: Path) -> Path:
    return _w(f, "people.xlsx", rezip({"hello.txt": b"hi"}))


def codings_xlsx_laughs(f: Path) -> Path:
    return _w(f, "sheet.xlsx", replaced(xlsx_bytes(), xl__worksheets__sheet1_dot_xml=_sheet_with(
        LAUGHS, "&lol9;")))


def qdpx_source_bomb(f: Path) -> Path:
    return _w(f, "x.qdpx", qdpx_bytes(text="It was over. " * (8 * MiB)))


def qdpx_ratio_bomb(f: Path) -> Path:
    return _w(f, "x.qdpx", qdpx_bytes(extra={"sources/pad.txt": b"a" * (20 * MiB)}))


def qdpx_total_bomb(f: Path) -> Path:
    return _w(f, "x.qdpx", qdpx_bytes(extra={f"sources/p{i}.txt": b"a" * MiB
                                             for i in range(300)}))


def qdpx_lying_bomb(f: Path) -> Path:
    guid = "aaaaaaaa-0000-4000-8000-000000000001"
    data = qdpx_bytes(text="a" * (30 * MiB))
    return _w(f, "x.qdpx", lie_about_size(data, f"sources/{guid}.txt", 5000))


def qdpx_laughs(f: Path) -> Path:
    qde = ('<?xml version="1.0"?>' + LAUGHS + '<Project xmlns="urn:QDA-XML:project:1.0" '
           'name="&lol9;"/>')
    return _w(f, "x.qdpx", qdpx_bytes(qde=qde))


def qdpx_xxe(f: Path) -> Path:
    qde = ('<?xml version="1.0"?>' + XXE + '<Project xmlns="urn:QDA-XML:project:1.0" '
           'name="p"><Description>&xxe;</Description></Project>')
    return _w(f, "x.qdpx", qdpx_bytes(qde=qde))


def qdpx_utf16_doctype(f: Path) -> Path:
    qde = ('<?xml version="1.0" encoding="UTF-16"?>' + XXE + '<Project xmlns="urn:QDA-XML:'
           'project:1.0" name="p"><Description>&xxe;</Description></Project>')
    data = qdpx_bytes()
    return _w(f, "x.qdpx", replaced(data, project_dot_qde=qde.encode("utf-16")))


def qdpx_member_traversal(f: Path) -> Path:
    return _w(f, "x.qdpx", qdpx_bytes(extra={"../../../evil.txt": b"x"}))


def qdpx_absolute_member(f: Path) -> Path:
    return _w(f, "x.qdpx", qdpx_bytes(extra={"/tmp/evil.txt": b"x"}))


def qdpx_bad_crc(f: Path) -> Path:
    return _w(f, "x.qdpx", bad_crc(qdpx_bytes(), "project.qde"))


def qdpx_truncated(f: Path) -> Path:
    data = qdpx_bytes()
    return _w(f, "x.qdpx", data[:len(data) - 30])


def qdpx_not_zip(f: Path) -> Path:
    return _w(f, "x.qdpx", os.urandom(3000))


def qdpx_deep(f: Path) -> Path:
    qde = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook>'
           '<Codes>' + '<Code guid="c" name="x" isCodable="true">' * 3000 + '</Code>' * 3000 +
           '</Codes></CodeBook></Project>')
    return _w(f, "x.qdpx", qdpx_bytes(qde=qde))


def qdc_laughs(f: Path) -> Path:
    return _w(f, "x.qdc", '<?xml version="1.0"?>' + LAUGHS + '<CodeBook xmlns="urn:QDA-XML:'
              'codebook:1.0"><Codes><Code guid="c" name="&lol9;" isCodable="true"/></Codes>'
              '</CodeBook>')


def qdc_xxe(f: Path) -> Path:
    return _w(f, "x.qdc", '<?xml version="1.0"?>' + XXE + '<CodeBook xmlns="urn:QDA-XML:'
              'codebook:1.0"><Codes><Code guid="c" name="&xxe;" isCodable="true"/></Codes>'
              '</CodeBook>')


def qdc_broken(f: Path) -> Path:
    return _w(f, "x.qdc", '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
              '<Codes><Code guid="c" name="x"')


def yaml_alias_bomb(f: Path) -> Path:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    rows.append("themes: *i")
    return _w(f, "codebook.yaml", "\n".join(rows) + "\n")


def yaml_merge_key_bomb(f: Path) -> Path:
    return _w(f, "codebook.yaml", "base: &b {number: '1', label: x}\nthemes:\n  - <<: *b\n")


def yaml_deep(f: Path) -> Path:
    return _w(f, "codebook.yaml", "themes: " + "[" * 50000 + "]" * 50000 + "\n")


def yaml_python_tag(f: Path) -> Path:
    return _w(f, "codebook.yaml", "themes: !!python/object/apply:os.system ['touch pwned']\n")


def txt_binary_junk(f: Path) -> Path:
    return _w(f, "P9.txt", os.urandom(20000))


def txt_binary_with_nuls(f: Path) -> Path:
    return _w(f, "P9.txt", b"\x7fELF\x02\x01\x01\0" + os.urandom(20000))


def txt_too_large(f: Path) -> Path:
    path = f / "P9.txt"
    with path.open("wb") as fh:
        fh.truncate(65 * MiB)  # sparse: cheap to make, still 65 MiB to read
    return path


def vtt_impossible_time(f: Path) -> Path:
    return _w(f, "P9.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnna: hi\n\n"
              "00:61:00.000 --> 00:61:02.000\nAnna: later\n")


def vtt_end_before_start(f: Path) -> Path:
    return _w(f, "P9.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nAnna: hi\n")


def srt_impossible_time(f: Path) -> Path:
    return _w(f, "P9.srt", "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:99,000 --> "
              "00:01:00,000\nthere\n")


def vtt_binary(f: Path) -> Path:
    return _w(f, "P9.vtt", b"WEBVTT\n\n" + os.urandom(5000))


def csv_binary(f: Path) -> Path:
    return _w(f, "people.csv", os.urandom(5000))


def plain_reads_outside(f: Path) -> Path:
    return _plain(f, file="../../../../../../etc/passwd")


def plain_absolute_file(f: Path) -> Path:
    return _plain(f, file="/etc/hostname")


def plain_link_outside(f: Path) -> Path:
    folder = _plain(f, file="transcripts/P9.txt")
    target = folder / "transcripts" / "P9.txt"
    target.unlink()
    target.symlink_to("/etc/passwd")
    return folder


def plain_marker_alias_bomb(f: Path) -> Path:
    folder = _plain(f, file="transcripts/P9.txt")
    (folder / "ipa-project.yaml").write_text(yaml_alias_bomb(f).read_text() + "format: x\n")
    return folder


def folder_link_outside(f: Path) -> Path:
    _w(f, "secret.txt", "P9: words from outside the folder\n")
    folder = f / "transcripts"
    _w(folder, "P8.txt", "P8: a transcript\n")
    (folder / "P9.txt").symlink_to(f / "secret.txt")
    return folder


def _plain(f: Path, file: str) -> Path:
    folder = f / "export"
    _w(folder, "ipa-project.yaml", "format: ipa-toolkit plain files 1\nsettings: {}\n")
    _w(folder, "transcripts/P9.txt", "P9: hello\n")
    _w(folder, "transcripts.csv", "transcript,participant,file,source,format,width,sha256,"
       f"ingested,guid\nP9,P9,{file},P9.txt,txt,80,0,2000-01-01T00:00:00Z,\n")
    return folder


# name -> (maker, project kind, command before the file, command after the file)
Case = tuple[Callable[[Path], Path], str, tuple[str, ...], tuple[str, ...]]
CASES: dict[str, Case] = {
    "docx zip bomb, one member": (docx_member_bomb, "filled", ("ingest",), ()),
    "docx zip bomb, ratio": (docx_ratio_bomb, "filled", ("ingest",), ()),
    "docx zip bomb, total": (docx_total_bomb, "filled", ("ingest",), ()),
    "docx zip bomb, lying header": (docx_lying_bomb, "filled", ("ingest",), ()),
    "docx billion laughs": (docx_laughs, "filled", ("ingest",), ()),
    "docx of 250,000 paragraphs": (docx_many_paragraphs, "filled", ("ingest",), ()),
    "txt of two million lines": (txt_two_million_lines, "filled", ("ingest",), ()),
    "qdpx source of two million lines": (qdpx_two_million_lines, "empty", ("import",), ()),
    "csv of 200,000 rows": (csv_many_rows, "filled", ("participants", "import"), ()),
    "csv with a 5 MB field": (csv_long_field, "filled", ("participants", "import"), ()),
    "xlsx declared 16,384 columns wide": (xlsx_wide, "filled", ("participants", "import"), ()),
    "docx of 24 Mi characters": (docx_long_transcript, "filled", ("ingest",), ()),
    "qdpx source of 12 Mi characters": (qdpx_long_source, "empty", ("import",), ()),
    "txt of 15 Mi characters": (txt_long_transcript, "filled", ("ingest",), ()),
    "docx external entity": (docx_xxe, "filled", ("ingest",), ()),
    "docx text after an entity": (docx_text_after_entity, "filled", ("ingest",), ()),
    "docx DOCTYPE in styles": (docx_doctype_in_styles, "filled", ("ingest",), ()),
    "docx UTF-7 XML": (docx_utf7_xml, "filled", ("ingest",), ()),
    "docx bad CRC": (docx_bad_crc, "filled", ("ingest",), ()),
    "docx truncated": (docx_truncated, "filled", ("ingest",), ()),
    "docx encrypted": (docx_encrypted, "filled", ("ingest",), ()),
    "docx old binary Word": (docx_old_binary, "filled", ("ingest",), ()),
    "docx member outside the archive": (docx_member_traversal, "filled", ("ingest",), ()),
    "docx nested 5000 deep": (docx_deep, "filled", ("ingest",), ()),
    "docx comments, billion laughs": (docx_laughs, "filled", ("import-comments", "--ingest"),
                                      ()),
    "docx comments, encrypted": (docx_encrypted, "filled", ("import-comments", "--ingest"), ()),
    "xlsx sharedStrings bomb": (xlsx_shared_strings_bomb, "filled",
                                ("participants", "import"), ()),
    "xlsx zip bomb, ratio": (xlsx_ratio_bomb, "filled", ("participants", "import"), ()),
    "xlsx zip bomb, total": (xlsx_total_bomb, "filled", ("participants", "import"), ()),
    "xlsx DOCTYPE": (xlsx_doctype, "filled", ("participants", "import"), ()),
    "xlsx billion laughs": (xlsx_laughs, "filled", ("participants", "import"), ()),
    "xlsx external entity": (xlsx_xxe, "filled", ("participants", "import"), ()),
    "xlsx bad CRC": (xlsx_bad_crc, "filled", ("participants", "import"), ()),
    "xlsx truncated": (xlsx_truncated, "filled", ("participants", "import"), ()),
    "xlsx encrypted": (xlsx_encrypted, "filled", ("participants", "import"), ()),
    "xlsx without a workbook": (xlsx_not_a_workbook, "filled", ("participants", "import"), ()),
    "coding sheet xlsx billion laughs": (codings_xlsx_laughs, "filled", ("import-codings",),
                                         ()),
    "qdpx source bomb": (qdpx_source_bomb, "empty", ("import",), ()),
    "qdpx zip bomb, ratio": (qdpx_ratio_bomb, "empty", ("import",), ()),
    "qdpx zip bomb, total": (qdpx_total_bomb, "empty", ("import",), ()),
    "qdpx zip bomb, lying header": (qdpx_lying_bomb, "empty", ("import",), ()),
    "qdpx billion laughs": (qdpx_laughs, "empty", ("import",), ()),
    "qdpx external entity": (qdpx_xxe, "empty", ("import",), ()),
    "qdpx DOCTYPE in UTF-16": (qdpx_utf16_doctype, "empty", ("import",), ()),
    "qdpx member ../../../": (qdpx_member_traversal, "empty", ("import",), ()),
    "qdpx member /absolute": (qdpx_absolute_member, "empty", ("import",), ()),
    "qdpx bad CRC": (qdpx_bad_crc, "empty", ("import",), ()),
    "qdpx truncated": (qdpx_truncated, "empty", ("import",), ()),
    "qdpx not a zip": (qdpx_not_zip, "empty", ("import",), ()),
    "qdpx nested 3000 deep": (qdpx_deep, "empty", ("import",), ()),
    "qdc billion laughs": (qdc_laughs, "filled", ("import",), ()),
    "qdc external entity": (qdc_xxe, "filled", ("import",), ()),
    "qdc not well-formed": (qdc_broken, "filled", ("import",), ()),
    "yaml alias bomb": (yaml_alias_bomb, "filled", ("codebook", "import"), ()),
    "yaml merge key alias": (yaml_merge_key_bomb, "filled", ("codebook", "import"), ()),
    "yaml nested 50000 deep": (yaml_deep, "filled", ("codebook", "import"), ()),
    "yaml python tag": (yaml_python_tag, "filled", ("codebook", "import"), ()),
    "txt binary junk": (txt_binary_junk, "filled", ("ingest",), ()),
    "txt binary with NULs": (txt_binary_with_nuls, "filled", ("ingest",), ()),
    "txt of 65 MiB": (txt_too_large, "filled", ("ingest",), ()),
    "vtt impossible time": (vtt_impossible_time, "filled", ("ingest",), ()),
    "vtt cue ends before it starts": (vtt_end_before_start, "filled", ("ingest",), ()),
    "srt impossible time": (srt_impossible_time, "filled", ("ingest",), ()),
    "vtt binary junk": (vtt_binary, "filled", ("ingest",), ()),
    "csv binary junk": (csv_binary, "filled", ("participants", "import"), ()),
    "plain folder file ../../etc/passwd": (plain_reads_outside, "empty", ("import",), ()),
    "plain folder file /etc/hostname": (plain_absolute_file, "empty", ("import",), ()),
    "plain folder transcript links outside": (plain_link_outside, "empty", ("import",), ()),
    "ingest folder with a link out of it": (folder_link_outside, "filled", ("ingest",), ()),
    "plain folder marker alias bomb": (plain_marker_alias_bomb, "empty", ("import",), ()),
}

"""The hostile-input guards (ipa_toolkit/safety.py) on their own: names, paths, archives,
XML and YAML."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipa_toolkit import safety
from ipa_toolkit.codebook.file import parse_codebook
from ipa_toolkit.errors import CodebookError, InputError
from ipa_toolkit.ingest.text import decode

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
            *(f"LPT{i}" for i in range(10))}


@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=8))
def test_safe_names_stay_in_their_folder_and_unique(names):
    taken: set[str] = set()
    made = [safe_name for safe_name in (safety.safe_name(n, taken) for n in names)]
    assert len({m.casefold() for m in made}) == len(made)
    for m in made:
        assert m and len(m) <= safety.MAX_NAME
        assert not set(m) & set('/\\:*?"<>|') and ".." not in m
        assert not m.startswith((".", " ")) and not m.endswith((".", " "))
        assert all(ch.isprintable() for ch in m)
        assert m.split(".")[0].strip().upper() not in RESERVED


@pytest.mark.parametrize("name,expected", [
    ("../../../x", "_._._x"), ("/etc/passwd", "_etc_passwd"), ("C:\\evil", "C__evil"),
    ("CON", "_CON"), ("lpt1.txt", "_lpt1.txt"), ("..", "untitled"), ("", "untitled"),
    ("a\x00b\x1bc\u202ed", "abcd"), ("Interview P3", "Interview P3"), ("Zoë 中文", "Zoë 中文"),
])
def test_safe_name_examples(name, expected):
    assert safety.safe_name(name) == expected


def test_inside_refuses_escapes_and_links(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    assert safety.inside(root, "a/b.txt") == (root / "a" / "b.txt").resolve()
    for bad in ("../x", "a/../../x", "/etc/passwd"):
        with pytest.raises(InputError, match="outside"):
            safety.inside(root, bad)
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(InputError, match="refusing to read outside"):
        safety.inside(root, "link/x", reading=True)


def _zip(tmp_path, files, method=zipfile.ZIP_DEFLATED):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def test_zip_limits_are_checked_before_inflating(tmp_path):
    ok = safety.open_zip(_zip(tmp_path, {"a.txt": b"x" * 1000}))
    assert safety.read_member(ok, "a.txt", "x") == b"x" * 1000
    ok.close()
    with pytest.raises(InputError, match="more than 100x"):
        safety.open_zip(_zip(tmp_path, {"a.bin": b"\0" * (2 * 2**20)}))
    with pytest.raises(InputError, match="outside the archive"):
        safety.open_zip(_zip(tmp_path, {"../a": b"x"}))
    z = safety.open_zip(_zip(tmp_path, {"a.txt": b"y" * 5000}))
    with pytest.raises(InputError, match="inflates past"):
        safety.read_member(z, "a.txt", "x", limit=4096)
    z.close()


def test_xml_with_a_doctype_is_refused_in_any_encoding():
    for doc in ('<?xml version="1.0"?><!DOCTYPE a><a/>',
                '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
                '<?xml version="1.0"?>\n<!doctype a><a/>'):
        for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-32"):
            with pytest.raises(InputError, match="DOCTYPE"):
                safety.check_xml(doc.encode(enc), "x.xml")
    with pytest.raises(InputError, match="UTF-7"):
        safety.check_xml(b'<?xml version="1.0" encoding="UTF-7"?><a/>', "x.xml")
    assert safety.parse_xml(b'<a b="&amp;">t</a>', "x").get("b") == "&"


def test_yaml_aliases_are_refused_plain_yaml_is_not():
    assert safety.load_yaml("a: [1, 2]\nb: x\n", "f") == {"a": [1, 2], "b": "x"}
    with pytest.raises(InputError, match="anchors"):
        safety.load_yaml("a: &x [1]\nb: *x\n", "f")
    with pytest.raises(CodebookError, match="anchors") as info:
        parse_codebook("a: &x {number: '1', label: x}\nthemes: [*x]\n", "cb.yaml")
    assert info.value.line == 1


@pytest.mark.parametrize("text", ["Интервьюер: Как это было?\nP3: Тяжело.\n",
                                  "采访者：那是什么感觉？\nP3：很难。\n",
                                  "Συνεντευκτής: Πώς ήταν;\nP3: Δύσκολο.\n",
                                  "المحاور: كيف كان ذلك؟\nP3: صعب.\n"])
@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_in_any_script_is_text(text, enc):
    got, warnings = decode(text.encode(enc), "P3.txt")
    assert got == text and "UTF-16" in warnings[0]


def test_encrypted_office_files_say_so(tmp_path):
    from tests.hostile.make import encrypted_office

    f = tmp_path / "P1.docx"
    f.write_bytes(encrypted_office(".docx"))
    with pytest.raises(InputError, match="password-protected.*remove the password in Word"):
        safety.check_office(f, ".docx")


def test_bad_crc_is_one_clear_error(tmp_path):
    from tests.hostile.make import bad_crc

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("a.xml", b"<a>" + b"x" * 100 + b"</a>")
    f = tmp_path / "x.xlsx"
    f.write_bytes(bad_crc(data.getvalue(), "a.xml"))
    with pytest.raises(InputError, match="CRC") as info:
        safety.check_office(f, ".xlsx")
    assert "\n" not in info.value.format()

"""Guards against hostile input, in one place so every reader and writer applies the same rules.

- Names taken from data (transcript, source, participant, theme names) become file names only
  through :func:`safe_name`: no separators, ``..``, drive letters, control characters or
  Windows reserved names, bounded length, unique within their folder.
- Writers put files through :func:`inside` (the resolved path must stay under the target);
  readers that follow names found in a file do the same for the folder they were given.
- Zip archives (.docx, .xlsx, .qdpx) are opened through :func:`open_zip`: every member's
  uncompressed size, the total and the compression ratio are checked before anything is
  inflated, and :func:`read_member` enforces the limit again while streaming.
- XML is never allowed a DOCTYPE (no entities, internal or external): :func:`check_xml`
  looks at the bytes before any parser does, including the parts python-docx and openpyxl
  parse themselves (:func:`check_office`).
- YAML is read with :func:`yaml_loader`, which refuses anchors and aliases.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import zipfile  # imported where archives are opened: every command's start-up pays it

# Limits: each is far above any real interview study (a three-hour interview is about
# 200,000 characters) and low enough that the largest accepted input stays well inside 1 GiB.
MAX_MEMBER = 64 * 2**20  # one zip member, uncompressed (images in a .docx, say)
MAX_XML = 16 * 2**20  # one XML part that gets parsed (document.xml, a sheet)
MAX_QDE = 32 * 2**20  # a REFI-QDA project.qde (or .qdc), which may hold many codings
MAX_TOTAL = 256 * 2**20  # a whole archive, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for members bigger than RATIO_FLOOR
RATIO_FLOOR = 2**20
MAX_TRANSCRIPT = 4 * 2**20  # characters of one transcript (about 700,000 words)
MAX_PARAGRAPHS = 100_000  # paragraphs (turns) of one transcript; an interview has ~1,000
MAX_ROWS = 100_000  # rows of a participant table or coding sheet
MAX_TEXT_FILE = 16 * 2**20  # bytes of a transcript or caption file
MAX_SHEET = 16 * 2**20  # bytes of a CSV table
MAX_CODEBOOK = 2 * 2**20  # bytes of a codebook (YAML or .qdc) or an export's settings
MAX_NAME = 80  # characters of a file name made from data (before its suffix)
_XML_PARTS = (".xml", ".rels", ".vml", ".qde")


def check_rows(count: int, where: str) -> None:
    """Refuse a table with more than ``MAX_ROWS`` rows (read as they stream)."""
    if count > MAX_ROWS:
        raise InputError(f"refusing a table of more than {MAX_ROWS:,} rows", path=where,
                         hint="is it the right file?")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
             "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
_UNSAFE = re.compile(r'[/\\:*?"<>|]')


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n // 1024} KiB"


# -- names and paths ---------------------------------------------------------------------------
def safe_name(name: str, taken: set[str] | None = None, *, default: str = "untitled",
              max_len: int = MAX_NAME) -> str:
    """A file-name stem made from ``name`` that cannot leave its folder or clash.

    Separators, ``:`` and the other characters Windows refuses become ``_``; control and
    format characters go; leading dots and spaces go (no ``..``, no hidden files); reserved
    device names (``CON``, ``LPT1``...) get a ``_`` prefix; the result is at most
    ``max_len`` characters. With ``taken`` (case-folded names already used in the folder)
    a clash gets ``_2``, ``_3``... and the chosen name is added to ``taken``.
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(name)))
    text = "".join(ch for ch in text if ch.isprintable())  # control, format, unassigned
    text = _UNSAFE.sub("_", text).strip(" .")
    text = re.sub(r"\.{2,}", ".", text)
    if not text:
        text = default
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = "_" + text
    text = text[:max_len].rstrip(" .") or default
    if taken is None:
        return text
    stem, k = text, 1
    while text.casefold() in taken:
        k += 1
        text = f"{stem[:max_len - len(str(k)) - 1]}_{k}"
    taken.add(text.casefold())
    return text


def inside(root: str | Path, path: str | Path, *, reading: bool = False) -> Path:
    """``root / path`` resolved (links followed); refused unless it lies under ``root``.
    ``path`` is relative to ``root`` (an absolute one is taken as it is, and refused unless
    it happens to lie under ``root``)."""
    base = Path(root).resolve()
    full = (base / path).resolve() if not Path(path).is_absolute() else Path(path).resolve()
    if full != base and base not in full.parents:
        verb = "read" if reading else "write"
        raise InputError(f"refusing to {verb} outside {root}: {path}",
                         hint="a name or link in the data points elsewhere")
    return full


def csv_fields_up_to(size: int) -> None:
    """Let the csv module read a field as long as the file (``size`` characters, already
    bounded by ``read_limited``): its own 128 KiB default refused a coding of a long passage
    in a file we wrote ourselves."""
    import csv

    if csv.field_size_limit() < size + 1:
        csv.field_size_limit(size + 1)


def check_length(text_length: int, where: str, paragraphs: int = 0) -> None:
    """Refuse a transcript longer than ``MAX_TRANSCRIPT`` characters or ``MAX_PARAGRAPHS``
    paragraphs (each line costs memory: two million one-letter lines would not fit in 1 GiB)."""
    if paragraphs > MAX_PARAGRAPHS:
        raise InputError(f"refusing a transcript of {paragraphs:,} paragraphs (the limit is "
                         f"{MAX_PARAGRAPHS:,})", path=where,
                         hint="split it into parts, or check it is the right file")
    if text_length > MAX_TRANSCRIPT:
        raise InputError(f"refusing a transcript of {text_length:,} characters (the limit is "
                         f"{MAX_TRANSCRIPT:,}, about 700,000 words)", path=where,
                         hint="split it into parts, or check it is the right file")


def read_limited(path: Path, limit: int = MAX_TEXT_FILE, what: str = "file") -> bytes:
    """A whole file's bytes, refused past ``limit`` (a transcript is never that long)."""
    path = Path(path)
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"refusing a {mib(size)} {what} (the limit is {mib(limit)})",
                         path=str(path), hint="split it, or check it is the right file")
    return path.read_bytes()


# -- zip archives --------------------------------------------------------------------------
def _ole_message(path: Path, kind: str) -> InputError:
    data = path.read_bytes()[:1 << 20]
    app = "Excel" if kind == ".xlsx" else "Word"
    if "EncryptedPackage".encode("utf-16-le") in data:
        return InputError(f"the {kind} file is password-protected (encrypted)", path=str(path),
                          hint=f"remove the password in {app}, then try again")
    return InputError(f"this is an old binary Office file, not a {kind}", path=str(path),
                      hint=f"open it in {app} and save it as {kind}")


def open_zip(path: str | Path, kind: str = "zip") -> zipfile.ZipFile:
    """Open an archive whose members are all safe to inflate; one clear error otherwise."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise InputError(f"cannot open ({exc.strerror or exc})", path=str(path)) from exc
    if magic == _OLE_MAGIC:
        raise _ole_message(path, kind)
    import zipfile

    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError,
            NotImplementedError) as exc:  # a damaged header can claim "zip version 6.4"
        raise InputError(f"not a valid {kind} (corrupt or not a zip file)",
                         path=str(path), hint="open and re-save it in the program that "
                         "made it") from exc
    try:
        check_members(z, path, kind)
    except InputError:
        z.close()
        raise
    return z


def member_limit(name: str) -> int:
    """How far a member may inflate: XML that gets parsed less than other parts."""
    name = name.lower()
    if name.endswith(".qde"):
        return MAX_QDE
    return MAX_XML if name.endswith(_XML_PARTS) else MAX_MEMBER


def check_members(z: zipfile.ZipFile, path: Path, kind: str) -> None:
    """Sizes, ratios and names of every member, from the archive's directory."""
    total = 0
    for info in z.infolist():
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            raise InputError(f"refusing a {kind} with a member outside the archive: "
                             f"{info.filename!r}", path=str(path))
        if info.flag_bits & 0x1:
            raise InputError(f"the {kind} is password-protected (member {info.filename!r})",
                             path=str(path), hint="remove the password, then try again")
        size = info.file_size
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"refusing {info.filename!r}: it inflates {mib(info.compress_size)}"
                             f" to {mib(size)}, more than {MAX_RATIO}x (a zip bomb?)",
                             path=str(path))
        limit = member_limit(name)
        if size > limit:
            raise InputError(f"refusing {info.filename!r}: it inflates to {mib(size)} "
                             f"(the limit is {mib(limit)} for such a part)", path=str(path))
        total += size
        if total > MAX_TOTAL:
            raise InputError(f"refusing a {kind} that inflates to more than {mib(MAX_TOTAL)}",
                             path=str(path))


def read_member(z: zipfile.ZipFile, name: str | zipfile.ZipInfo, where: str,
                limit: int = MAX_MEMBER) -> bytes:
    """A member's bytes, streamed with the size limit enforced as it inflates; bad CRCs,
    truncation and unknown compression become one clear error."""
    import zipfile

    info = name if isinstance(name, zipfile.ZipInfo) else z.getinfo(name)
    chunks, size = [], 0
    try:
        with z.open(info) as fh:
            while chunk := fh.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise InputError(f"refusing {info.filename!r}: it inflates past "
                                     f"{mib(limit)}", path=where)
                chunks.append(chunk)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise InputError(f"damaged archive member {info.filename!r} ({exc})", path=where,
                         hint="the file is corrupt or truncated; export it again") from exc
    except (NotImplementedError, RuntimeError) as exc:
        raise InputError(f"cannot unpack {info.filename!r} ({exc})", path=where,
                         hint="re-save it with standard (deflate) compression, no password") \
            from exc
    return b"".join(chunks)


def check_office(path: str | Path, kind: str, required: str | None = None,
                 what: str | None = None, keep: Callable[[str], bool] | None = None
                 ) -> dict[str, bytes]:
    """Everything python-docx / openpyxl will touch, checked first: sizes and ratios, every
    member's CRC (each is read once, streaming), and no DOCTYPE in any XML part.

    Returns the checked bytes of the members ``keep`` accepts, so a caller that parses
    them itself does not inflate them twice."""
    path = Path(path)
    kept: dict[str, bytes] = {}
    with open_zip(path, kind) as z:
        names = {i.filename for i in z.infolist()}
        if required and required not in names:
            raise InputError(f"not {what or 'a ' + kind + ' file'} (no {required} inside)",
                             path=str(path),
                             hint="is it the right file?")
        for info in z.infolist():
            data = read_member(z, info, str(path), member_limit(info.filename))
            if info.filename.lower().endswith(_XML_PARTS):
                check_xml(data, f"{path}:{info.filename}")
            if keep is not None and keep(info.filename):
                kept[info.filename] = data
    return kept


# -- XML ---------------------------------------------------------------------------------------
_DECL_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
_OK_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"}


def check_xml(data: bytes, where: str) -> None:
    """Refuse a DOCTYPE (and so every entity, internal or external) before any parser runs."""
    plain = data.replace(b"\x00", b"")  # UTF-16/32 parts: the markup is ASCII between NULs
    plain = plain.lstrip(b"\xef\xbb\xbf\xff\xfe").lstrip()
    low = plain.lower()
    if b"<!doctype" in low or b"<!entity" in low:
        raise InputError("refusing XML with a DOCTYPE or entity declarations", path=where,
                         hint="no office or REFI-QDA program writes them; the file may be "
                              "hostile")
    m = _DECL_ENCODING.match(plain)
    if m and m.group(1).decode("ascii").lower() not in _OK_ENCODINGS:
        raise InputError(f"refusing XML in the {m.group(1).decode('ascii')} encoding",
                         path=where, hint="save it as UTF-8")


def parse_xml(data: bytes, where: str):
    """lxml tree of ``data``: checked first, parsed without entities, network or DTD."""
    from lxml import etree

    check_xml(data, where)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data.lstrip(b"\xef\xbb\xbf").lstrip(), parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML ({' '.join(str(exc).split())})", path=where) \
            from exc


# -- YAML --------------------------------------------------------------------------------------
def refuse_aliases(loader_class):
    """``loader_class`` made to refuse anchors and aliases: a few bytes of nested aliases can
    expand to billions of nodes (a "billion laughs"), and no codebook needs them."""
    import yaml

    class NoAliases(loader_class):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.constructor.ConstructorError(
                    None, None, "aliases (*name) are not allowed here; write the value out",
                    event.start_mark)
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise yaml.constructor.ConstructorError(
                    None, None, "anchors (&name) are not allowed here; write the value out",
                    event.start_mark)
            return super().compose_node(parent, index)

    return NoAliases


def load_yaml(text: str, where: str):
    """Plain YAML (no anchors or aliases); a syntax error is one line naming the file."""
    import yaml

    try:
        return yaml.load(text, Loader=refuse_aliases(yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                         path=where, line=mark.line + 1 if mark else None) from exc

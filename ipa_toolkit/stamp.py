"""Dates inside the files we write (reports, sheets, coded transcripts, exchanges), so the
same project always gives byte-identical files.

Word and Excel files are zip archives whose entries carry a modification time and whose
document properties carry created/modified dates; left alone, both come from the clock. Here
they come from ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds), else from the
project's last change (the newest coding, note or memo), else a fixed date.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .protocols import ProjectLike

FALLBACK = dt.datetime(2000, 1, 1)
_PROJECT_TIME: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "ipa_project_time", default=None)


def last_change(project: ProjectLike) -> dt.datetime | None:
    """The newest timestamp the project holds (codings, notes, memos), naive UTC."""
    store = project.store
    stamps = set(store.coding_times())
    stamps |= {n.created for n in store.notes()} | {m.created for m in store.memos()}
    parsed = [t for t in map(_parse, stamps) if t is not None]
    return max(parsed, default=None)


def _parse(text: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC).replace(tzinfo=None)
    return t


@contextlib.contextmanager
def dated(project: ProjectLike) -> Iterator[None]:
    """Within this block, files written take their dates from ``project``."""
    token = _PROJECT_TIME.set(last_change(project))
    try:
        yield
    finally:
        _PROJECT_TIME.reset(token)


def document_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the project's last change, else 2000-01-01 (naive UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return _PROJECT_TIME.get() or FALLBACK


def write_zip(path: Path, entries: list[tuple[str, bytes, int]]) -> None:
    """A zip of (name, data, external attributes), every entry dated ``document_time()``,
    written next to ``path`` and moved over it."""
    import io

    when = _zip_time().timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data, attr in entries:
            fixed = zipfile.ZipInfo(name, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = attr
            out.writestr(fixed, data)
    _put(path, buffer.getvalue())


def _put(path: Path, data: bytes) -> None:
    """``data`` written next to ``path`` and moved over it (never a half-written file)."""
    path = Path(path)
    if not path.parent.is_dir():  # say so of the folder, not of our temporary file
        raise FileNotFoundError(2, "No such folder", str(path.parent))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _zip_time() -> dt.datetime:
    return max(document_time(), dt.datetime(1980, 1, 1))  # zip times start in 1980


def redated_zip(data: bytes) -> bytes:
    """A zip written in memory with every entry dated ``document_time()``: the date fields
    of its headers set in place, its compressed data left as it is (``write_zip`` would
    deflate every part again, a third of the cost of a small workbook)."""
    import io
    import struct

    when = _zip_time()
    stamp = struct.pack("<HH", when.hour << 11 | when.minute << 5 | when.second // 2,
                        (when.year - 1980) << 9 | when.month << 5 | when.day)
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos, at = z.infolist(), z.start_dir
    for info in infos:  # the local header: signature, versions, flags, method, time, date
        if out[info.header_offset:info.header_offset + 4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"no local header for {info.filename}")
        out[info.header_offset + 10:info.header_offset + 14] = stamp
    for info in infos:  # the central directory's record of each, in the same order
        if out[at:at + 4] != b"PK\x01\x02":
            raise zipfile.BadZipFile(f"no central directory record for {info.filename}")
        out[at + 12:at + 16] = stamp
        name, extra, comment = struct.unpack("<HHH", out[at + 28:at + 34])
        at += 46 + name + extra + comment
    return bytes(out)


def save_docx(document, path: Path) -> None:
    """A python-docx document saved with every zip entry dated ``document_time()`` (its
    own save dates them by the clock; the rest of what it writes does not change)."""
    import io

    buffer = io.BytesIO()
    document.save(buffer)
    write_redated(path, buffer.getvalue())


def write_redated(path: Path, data: bytes) -> None:
    """``data``, a zip written in memory, put at ``path`` with its entries dated
    ``document_time()`` (``redated_zip``), through a temporary file moved over it."""
    _put(path, redated_zip(data))

"""A small PostgreSQL connection straight over libpq (ctypes), for short commands.

``import psycopg`` costs several times a whole ``ipa tag`` (it loads asyncio, ssl, every
type adapter...), so a PostgreSQL store starts on this connection: connect, run a
statement with ``?``-free ``$n`` parameters, read a few rows, one transaction at a time.
It reads row by row through ctypes, slowly for big results, so the store moves to psycopg
(``PostgresStore.bulk``) before it reads or copies whole tables.

The library is the system's libpq (``libpq.so.5``), else the copy bundled in the
psycopg-binary wheel; with neither, the store uses psycopg from the start.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_I = ctypes.c_int
_SIGNATURES = {
    "PQconnectdb": ([_S], _P), "PQstatus": ([_P], _I), "PQerrorMessage": ([_P], _S),
    "PQfinish": ([_P], None), "PQdb": ([_P], _S), "PQtransactionStatus": ([_P], _I),
    "PQexec": ([_P, _S], _P),
    "PQexecParams": ([_P, _S, _I, ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(_S),
                      ctypes.POINTER(_I), ctypes.POINTER(_I), _I], _P),
    "PQresultStatus": ([_P], _I), "PQresultErrorField": ([_P, _I], _S),
    "PQresultErrorMessage": ([_P], _S), "PQntuples": ([_P], _I), "PQnfields": ([_P], _I),
    "PQfname": ([_P, _I], _S), "PQftype": ([_P, _I], ctypes.c_uint),
    "PQgetvalue": ([_P, _I, _I], _S), "PQgetisnull": ([_P, _I, _I], _I),
    "PQcmdTuples": ([_P], _S), "PQclear": ([_P], None),
    "PQconninfoParse": ([_S, ctypes.POINTER(_P)], _P), "PQconninfoFree": ([_P], None),
    "PQfreemem": ([_P], None), "PQsetNoticeProcessor": ([_P, _P, _P], _P),
}
# libpq prints the server's notices ("... already exists, skipping") to stderr unless told
# otherwise; psycopg drops them too.
_QUIET = ctypes.CFUNCTYPE(None, _P, _S)(lambda arg, message: None)
_OK, _TUPLES, _COPY_IN, _FATAL = 1, 2, 4, 7
_SQLSTATE = ord("C")
_lib: ctypes.CDLL | None = None


class Error(Exception):
    """A refusal or failure reported by the server or libpq; ``sqlstate`` says which."""

    def __init__(self, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.sqlstate = sqlstate


class _Option(ctypes.Structure):
    _fields_ = [("keyword", _S), ("envvar", _S), ("compiled", _S), ("val", _S),
                ("label", _S), ("dispchar", _S), ("dispsize", _I)]


def _candidates() -> Iterator[str]:
    if sys.platform == "darwin":
        yield "libpq.5.dylib"
    elif sys.platform == "win32":
        yield "libpq.dll"
    else:
        yield "libpq.so.5"
    import importlib.util  # the wheel's copy, found without importing psycopg

    spec = importlib.util.find_spec("psycopg_binary")
    if spec and spec.submodule_search_locations:
        here = Path(next(iter(spec.submodule_search_locations)))
        for folder in (here.parent / "psycopg_binary.libs", here / ".dylibs"):
            yield from sorted(str(p) for p in folder.glob("libpq*"))


def library() -> ctypes.CDLL | None:
    """libpq, loaded once; None when there is none to load."""
    global _lib
    if _lib is None:
        for name in _candidates():
            try:
                lib = ctypes.CDLL(name)
            except OSError:
                continue
            for fn, (args, res) in _SIGNATURES.items():
                getattr(lib, fn).argtypes = args
                getattr(lib, fn).restype = res
            _lib = lib
            break
    return _lib


def parse_conninfo(conninfo: str) -> dict[str, str]:
    """``postgresql://...`` or ``key=value ...`` as a dict, in libpq's own keyword order."""
    lib = library()
    err = _P()
    opts = lib.PQconninfoParse(conninfo.encode(), ctypes.byref(err))
    if not opts:
        message = ctypes.cast(err, _S).value or b"invalid connection string"
        if err:
            lib.PQfreemem(err)
        raise Error(message.decode(errors="replace").strip())
    out: dict[str, str] = {}
    try:
        array = ctypes.cast(opts, ctypes.POINTER(_Option))
        i = 0
        while array[i].keyword:
            if array[i].val is not None:
                out[array[i].keyword.decode()] = array[i].val.decode()
            i += 1
    finally:
        lib.PQconninfoFree(opts)
    return out


def make_conninfo(**parts: str) -> str:
    """``key=value`` pairs, quoted where libpq needs it."""
    def quote(v: str) -> str:
        if v and not any(c.isspace() or c in "\\'" for c in v):
            return v
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={quote(str(v))}" for k, v in parts.items() if v is not None)


def _int(v: bytes) -> int:
    return int(v)


def _bool(v: bytes) -> bool:
    return v == b"t"


def _bytes(v: bytes) -> bytes:
    return bytes.fromhex(v[2:].decode())


def _numeric(v: bytes) -> Any:
    from decimal import Decimal

    return Decimal(v.decode())


def _text(v: bytes) -> str:
    return v.decode()


_FROM = {16: _bool, 17: _bytes, 20: _int, 21: _int, 23: _int, 26: _int, 700: float,
         701: float, 1700: _numeric}


def _param(value: Any) -> tuple[int, bytes | None]:
    """A Python value as (type oid, text); strings go untyped, as psycopg sends them."""
    if value is None:
        return 0, None
    if isinstance(value, bool):
        return 16, b"t" if value else b"f"
    if isinstance(value, int):  # the smallest type that holds it, as psycopg picks
        oid = 21 if -2**15 <= value < 2**15 else 23 if -2**31 <= value < 2**31 else \
            20 if -2**63 <= value < 2**63 else 1700
        return oid, str(value).encode()
    if isinstance(value, float):
        return 701, repr(value).encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return 17, b"\\x" + bytes(value).hex().encode()
    text = str(value)
    if "\x00" in text:  # a C string would end there: refuse, as psycopg does, never cut
        raise Error("PostgreSQL text fields cannot contain NUL (0x00) bytes", "22021")
    return 0, text.encode()


class Cursor:
    """The rows of one statement (read at once) with psycopg's cursor surface."""

    def __init__(self, rows: list[tuple], names: list[str], rowcount: int):
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.description = [(n,) for n in names] if names else None

    def fetchone(self) -> tuple | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[tuple]:
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())

    def nextset(self) -> None:
        """A statement list gives only its last result here: already the one to read."""


class Connection:
    """One libpq connection in autocommit mode (transactions by BEGIN/COMMIT)."""

    def __init__(self, conninfo: str):
        self._lib = lib = library()
        self._lock = threading.Lock()
        self._pg = lib.PQconnectdb(conninfo.encode())
        if not self._pg or lib.PQstatus(self._pg) != 0:
            message = lib.PQerrorMessage(self._pg) if self._pg else b"out of memory"
            self.close()
            raise Error((message or b"cannot connect").decode(errors="replace").strip(),
                        "08000")
        lib.PQsetNoticeProcessor(self._pg, ctypes.cast(_QUIET, _P), None)
        self.dbname = lib.PQdb(self._pg).decode()

    @property
    def in_transaction(self) -> bool:
        return self._pg is not None and self._lib.PQtransactionStatus(self._pg) != 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        lib = self._lib
        with self._lock:
            if self._pg is None:
                raise Error("the connection is closed", "08003")
            if params:
                n = len(params)
                typed = [_param(v) for v in params]
                types = (ctypes.c_uint * n)(*(t for t, _ in typed))
                values = (_S * n)(*(v for _, v in typed))
                res = lib.PQexecParams(self._pg, sql.encode(), n, types, values, None, None, 0)
            else:
                res = lib.PQexec(self._pg, sql.encode())
            try:
                return self._result(res)
            finally:
                lib.PQclear(res)

    def _result(self, res: int | None) -> Cursor:
        lib = self._lib
        status = lib.PQresultStatus(res) if res else _FATAL
        if status == _TUPLES:
            nrows, ncols = lib.PQntuples(res), lib.PQnfields(res)
            names = [lib.PQfname(res, j).decode() for j in range(ncols)]
            convs = [_FROM.get(lib.PQftype(res, j), _text) for j in range(ncols)]
            get, isnull = lib.PQgetvalue, lib.PQgetisnull
            rows = [tuple(conv(v) if (v := get(res, i, j)) or not isnull(res, i, j) else None
                          for j, conv in enumerate(convs)) for i in range(nrows)]
            return Cursor(rows, names, nrows)
        if status == _OK:
            count = lib.PQcmdTuples(res)
            return Cursor([], [], int(count) if count else -1)
        if status == _COPY_IN:
            raise Error("COPY is not supported on this connection", "0A000")
        message = (lib.PQresultErrorMessage(res) if res else None) or \
            lib.PQerrorMessage(self._pg)
        state = lib.PQresultErrorField(res, _SQLSTATE) if res else None
        if lib.PQstatus(self._pg) != 0:  # the server went away (or ended this session)
            state = b"08006"
        raise Error((message or b"the query failed").decode(errors="replace").strip(),
                    state.decode() if state else None)

    def close(self) -> None:
        if getattr(self, "_pg", None):
            self._lib.PQfinish(self._pg)
        self._pg = None

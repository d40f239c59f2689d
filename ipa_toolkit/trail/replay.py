"""Replaying the audit log: the check that the log alone is the whole history.

An auditor (or the researcher) rebuilds a project from nothing but its log, in a new folder,
and compares the plain export of the rebuilt project with the original's, file by file. A
log that does not replay, or replays to a different state, is one clear line and leaves no
folder behind.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, IpaError
from ..model import LogEntry

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from ..protocols import ProjectLike


def _entries(rows: list[list[Any]], where: str | None) -> list[LogEntry]:
    """Raw log rows (id first, snapshots as JSON text) as entries; a damaged row of an
    exported log.csv is named by its line."""
    from ..store.log import log_id

    out = []
    for i, r in enumerate(rows, 2):
        try:
            if log_id(r[0]) is None:
                raise ValueError("no id")
            out.append(LogEntry(log_id(r[0]), r[1], r[2], r[3], r[4], r[5],
                                log_id(r[6]), r[7], r[8],
                                None if not r[9] else json.loads(r[9]),
                                None if not r[10] else json.loads(r[10])))
        except (ValueError, TypeError, RecursionError) as exc:  # JSON nested past Python's
            raise InputError(f"log row is damaged ({type(exc).__name__})", path=where,
                             line=i if where else None,
                             hint="export the project again; the log must not be edited") \
                from None
    return out


def _exported_log(folder: Path) -> list[list[Any]]:
    """The log rows of a plain export (log.csv), as the store keeps them."""
    from ..interop.plain import LOG_HEADER, MARKER, _read_csv

    if not (folder / MARKER).exists():
        raise InputError(f"not an ipa export (no {MARKER})", path=str(folder),
                         hint="give the folder 'ipa export DIR' wrote")
    rows = _read_csv(folder / "log.csv", 64 * 1024 * 1024)
    if rows and list(rows[0]) != list(LOG_HEADER):
        raise InputError("log.csv does not have the columns of an ipa log",
                         path=str(folder / "log.csv"), hint="export the project again")
    return [[r[k] for k in LOG_HEADER] for r in rows]


def _differences(a: Path, b: Path) -> list[str]:
    """Where two export folders differ: 'codings.csv line 12', 'missing notes.csv'."""
    names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    other = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"{n} only in the original" for n in sorted(names - other)]
    out += [f"{n} only in the replayed project" for n in sorted(other - names)]
    for n in sorted(names & other):
        x, y = (a / n).read_bytes(), (b / n).read_bytes()
        if x != y:
            xs, ys = x.split(b"\n"), y.split(b"\n")
            line = next((i for i, (p, q) in enumerate(zip(xs, ys, strict=False), 1) if p != q),
                        min(len(xs), len(ys)) + 1)
            out.append(f"{n} line {line}")
    return sorted(out, key=lambda d: d.startswith("log.csv"))  # the state first


def replay(project: ProjectLike | None, out: str | Path, *, source: str | Path | None = None,
           make: Callable[[Path], ProjectLike]) -> dict[str, Any]:
    """Rebuild a project in ``out`` (a new project that ``make(out)`` creates) from a log
    and check its plain export equals the original's: the project's own log, or
    (``source``) the log.csv of an export folder, compared with that folder. Returns
    {'entries': n, 'files': n, 'folder': out}."""
    from ..interop.plain import export_project

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("the replay needs a new or empty folder", path=str(out),
                         hint="choose a folder that does not exist yet")
    if source is not None:
        rows = _exported_log(Path(source))
    elif project is not None:
        rows = [list(r) for r in project.store.iter_log_rows()]
    else:
        raise InputError("nothing to replay", hint="open a project or pass an export folder")
    if not rows:
        raise InputError("the log is empty: there is nothing to replay",
                         path=str(source) if source else None)
    entries = _entries(rows, str(Path(source) / "log.csv") if source else None)
    made = not out.exists()
    rebuilt = make(out)
    try:
        _rebuild(rebuilt, entries, rows, source)
        with tempfile.TemporaryDirectory(prefix="ipa-replay-") as tmp:
            mine = Path(tmp) / "replayed"
            export_project(rebuilt, mine)
            if source is None:
                original = Path(tmp) / "original"
                export_project(project, original)
            else:
                original = Path(source)
            diff = _differences(original, mine)
            files = sum(1 for p in mine.rglob("*") if p.is_file())
        if diff:
            more = f" (and {len(diff) - 3} more)" if len(diff) > 3 else ""
            raise InputError("the log replays to a different state: "
                             f"{', '.join(diff[:3])}{more}",
                             path=str(source) if source else None,
                             hint="the log is incomplete or was edited; nothing was written")
    except BaseException:
        rebuilt.close()
        _remove(out, made)
        raise
    rebuilt.close()
    return {"entries": len(entries), "files": files, "folder": out}


def _rebuild(rebuilt: ProjectLike, entries: list[LogEntry], rows: list[list[Any]],
             source: str | Path | None) -> None:
    """Apply the entries one by one (a failing one is named), then keep the log itself."""
    store = rebuilt.store
    where = str(Path(source) / "log.csv") if source else None
    with store.transaction():
        for i, e in enumerate(entries):
            try:
                store.replay([e])
            except (IpaError, LookupError, TypeError, ValueError, AttributeError,
                    OverflowError) as exc:  # an id past 64 bits
                raise InputError(f"log entry {e.id} ({e.op} {e.entity} {e.entity_id or ''}) "
                                 f"does not replay: {_why(exc)}", path=where,
                                 line=i + 2 if where else None,
                                 hint="the log is incomplete or was edited; nothing was "
                                      "written") from None
            except Exception as exc:  # the database refused the row (sqlite3/psycopg)
                if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
                    raise
                raise InputError(f"log entry {e.id} ({e.op} {e.entity} {e.entity_id or ''}) "
                                 f"does not replay: {' '.join(str(exc).split())[:100]}",
                                 path=where, line=i + 2 if where else None,
                                 hint="the log is incomplete or was edited; nothing was "
                                      "written") from None
        store.logging = False
        try:
            store.restore_log([r[1:] for r in rows])
        finally:
            store.logging = True
    rebuilt.refresh()


def _why(exc: Exception) -> str:
    text = exc.message if isinstance(exc, IpaError) else f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())[:100]


def _remove(out: Path, made: bool) -> None:
    from ..store import remove

    remove(out)
    if made:
        shutil.rmtree(out, ignore_errors=True)

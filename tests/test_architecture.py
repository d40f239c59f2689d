"""The house keeps its shape (docs/architecture.md): no import circle, nothing below the
facade imports it, SQL only in the store, the web layer never reaches the store, a small
ground floor, a facade of short methods, and the old import paths still working."""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

import ipa_toolkit
from ipa_toolkit.project import Project
from ipa_toolkit.protocols import ProjectLike

PACKAGE = Path(ipa_toolkit.__file__).parent


def _name(path: Path) -> str:
    parts = ["ipa_toolkit", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """Every module of the package that ``name`` imports: at the top, inside a function, or
    for type hints only (a reader cannot tell those apart, and neither can a drawing)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = {f"{target}.{a.name}" for a in node.names} & set(MODULES)
            out |= subs or ({target} & set(MODULES))
            if subs and len(subs) < len(node.names) and target in MODULES:
                out.add(target)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names} & set(MODULES)
    out.discard(name)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_reader_of_imports_sees_them():
    # the facade imports the codebook's edits, the tags and the settings: if the reader
    # missed relative or lazy imports, the circle test below would pass on nothing
    assert {"ipa_toolkit.codebook.edit", "ipa_toolkit.coding.tag", "ipa_toolkit.store",
            "ipa_toolkit.project.settings"} <= GRAPH["ipa_toolkit.project.facade"]
    assert "ipa_toolkit.protocols" in GRAPH["ipa_toolkit.analysis.prevalence"]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_house_has_no_import_circle():
    assert _circles(GRAPH) == []


#: The floors of docs/architecture.md: a room imports only rooms on lower floors. A new
#: folder or loose module must be given its floor here and in the doc.
FLOORS = {"model": 1, "errors": 1, "registry": 1, "progress": 1,
          "safety": 2, "terms": 2, "store": 2, "codebook": 3, "protocols": 4,
          "ingest": 5, "stamp": 5, "participants": 6, "method": 6, "sheets": 7,
          "coding": 8, "nlp": 8, "analysis": 9, "report": 10, "interop": 11, "trail": 12,
          "project": 13, "ipa_toolkit": 14, "web": 14, "cli": 15, "__main__": 16}


def _room(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_every_import_runs_down_the_floors_the_doc_names():
    assert {_room(m) for m in MODULES} == set(FLOORS)
    upward = sorted(f"{m} -> {d}" for m, deps in GRAPH.items() for d in deps
                    if _room(m) != _room(d) and FLOORS[_room(m)] <= FLOORS[_room(d)])
    assert upward == []
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for room in set(FLOORS) - {"ipa_toolkit", "__main__"}:
        assert f"`{room}/`" in doc or f"`{room}.py`" in doc, room


def test_nothing_below_the_facade_imports_it():
    """Rooms below the facade type against ProjectLike; only the shells above import it."""
    above = ("ipa_toolkit.cli", "ipa_toolkit.web", "ipa_toolkit.project")
    users = {m for m, deps in GRAPH.items()
             if any(d == "ipa_toolkit.project" or d.startswith("ipa_toolkit.project.")
                    for d in deps)}
    assert {m for m in users if not m.startswith(above)} == {"ipa_toolkit"}  # lazy names


def test_sql_and_database_drivers_live_in_the_store():
    for name, path in MODULES.items():
        if name.startswith("ipa_toolkit.store"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "import sqlite3" not in text and "import psycopg" not in text, name
        for statement in ("SELECT ", "INSERT INTO", "DELETE FROM", "CREATE TABLE"):
            assert statement not in text, (name, statement)


def test_the_web_layer_calls_the_library_never_the_store():
    for name, deps in GRAPH.items():
        if name.startswith("ipa_toolkit.web"):
            assert not any(d.startswith("ipa_toolkit.store") for d in deps), name
            assert "ipa_toolkit.trail.replay" not in deps


def test_the_ground_floor_stays_small():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 12, loose


def test_the_facade_is_short_methods():
    path = PACKAGE / "project" / "facade.py"
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) < 700
    cls = next(n for n in ast.parse(source).body
               if isinstance(n, ast.ClassDef) and n.name == "Project")
    long = {}
    for f in cls.body:
        if isinstance(f, ast.FunctionDef):
            body = [s for s in f.body if not isinstance(s, ast.Import | ast.ImportFrom)
                    and not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            size = sum(s.end_lineno - s.lineno + 1 for s in body)
            if size > 5:
                long[f.name] = size
    assert long == {}


def test_a_project_is_what_the_rooms_below_ask_for(small):
    assert isinstance(small, ProjectLike)
    asked = [n for n in vars(ProjectLike) if not n.startswith("_")] + \
        list(ProjectLike.__annotations__)
    assert {"store", "codebook", "cite", "participant_list", "refresh"} <= set(asked)
    missing = [n for n in asked if not hasattr(small, n)]
    assert missing == []


@pytest.mark.parametrize("old,new", sorted(ipa_toolkit.MOVED.items()))
def test_old_import_paths_work_for_one_more_release(old, new):
    for name in (f"ipa_toolkit.{old}",):
        sys.modules.pop(name, None)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        module = importlib.import_module(f"ipa_toolkit.{old}")
    assert module is importlib.import_module(f"ipa_toolkit.{new}")
    assert any(issubclass(w.category, DeprecationWarning) and f"ipa_toolkit.{new}"
               in str(w.message) for w in seen)
    assert not (PACKAGE / f"{old.replace('.', '/')}.py").exists()  # no copy left behind


def test_the_old_names_of_packages_that_were_modules():
    from ipa_toolkit.codebook import Codebook
    from ipa_toolkit.codebook.tree import Codebook as tree_codebook
    from ipa_toolkit.ingest import anchor

    assert Codebook is tree_codebook
    with pytest.warns(DeprecationWarning, match="ingest.anchor.find_exact"):
        from ipa_toolkit.coding import find_exact
    assert find_exact is anchor.find_exact
    from ipa_toolkit.coding import table  # the package's own modules still import

    assert table.__name__ == "ipa_toolkit.coding.table"
    from ipa_toolkit.project import DEFAULTS

    assert DEFAULTS["terms"] == "2022"


def test_the_log_is_a_layer_and_still_a_call(small, tmp_path):
    small.tag("P7", "1.1", lines="2")
    frame = small.log(entity="coding")
    assert list(frame.entity) == ["coding"] and len(small.log.entries(entity="coding")) == 1
    done = small.log.replay(tmp_path / "rebuilt")  # from the Python API, as 'ipa replay'
    assert done["entries"] == len(small.log()) and done["files"] > 5
    small.export(tmp_path / "sent")
    again = Project.replay_export(tmp_path / "sent", tmp_path / "rebuilt2")
    assert again["entries"] == done["entries"]
    with Project.open(tmp_path / "rebuilt2") as rebuilt:
        assert rebuilt.codings().quote.tolist() == small.codings().quote.tolist()

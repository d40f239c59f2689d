"""Codebook files: YAML read with line numbers for error messages, validated all at once,
and written back (``Codebook.to_yaml``). Apart from ``codebook.tree`` so that commands that only
look themes up do not build the file format's classes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CodebookError, ValidationReport
from ..model import DEFAULT_LEVELS

THEME_KEYS = {"number", "label", "description", "inclusion", "exclusion", "colour", "color",
              "keywords", "retired", "parent", "themes", "guid", "memos"}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass
class ThemeSpec:
    """A theme as read from a file, before it has a store id."""

    number: str
    label: str
    parent: str | None
    line: int
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    colour: str = ""
    keywords: tuple[str, ...] = ()
    retired: bool = False
    guid: str = ""
    memos: list[dict[str, str]] = field(default_factory=list)


@dataclass
class CodebookSpec:
    name: str
    levels: tuple[str, ...]
    themes: list[ThemeSpec]  # parents before children, file order


def _loader():
    """Numbers kept as text, lines remembered, and no aliases (a few hundred bytes of nested
    aliases would otherwise expand to billions of nodes)."""
    import yaml

    from ..safety import refuse_aliases

    class Loader(yaml.SafeLoader):
        """Keeps numbers such as 1.10 as text and remembers each mapping's line."""

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v
            if tag not in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int")]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(loader, node, deep=False):
        mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return refuse_aliases(Loader)


def _dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def str_presenter(dumper, data):
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, str_presenter)
    return Dumper


def parse_codebook(text: str, source: str = "<codebook>") -> CodebookSpec:
    """Parse and validate codebook YAML; every problem is reported with its line."""
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise CodebookError("nested too deeply to be a codebook", path=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodebookError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=source,
                            line=mark.line + 1 if mark else None) from exc
    if isinstance(data, list):
        data = {"themes": data, "__line__": 1}
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise CodebookError("a codebook needs a 'themes:' list", path=source, line=1,
                            hint="see the codebook format in the README")
    levels = data.get("levels") or list(DEFAULT_LEVELS)
    if not isinstance(levels, list) or not all(isinstance(x, str) and x for x in levels):
        raise CodebookError("'levels' must be a list of names", path=source,
                            line=data.get("__line__"))
    problems: list[str] = []
    specs: list[ThemeSpec] = []

    def where(node: Any) -> str:
        return f"{source}, line {node.get('__line__', '?')}" if isinstance(node, dict) \
            else source

    def visit(nodes: Any, parent: str | None, parent_node: Any) -> None:
        if not isinstance(nodes, list):
            problems.append(f"{where(parent_node)}: 'themes' must be a list")
            return
        for i, node in enumerate(nodes, 1):
            if not isinstance(node, dict):
                problems.append(f"{where(parent_node)}: theme {i} under "
                                f"{parent or 'the top'} is not a mapping")
                continue
            line = node["__line__"]
            unknown = set(node) - THEME_KEYS - {"__line__"}
            if unknown:
                problems.append(f"{source}, line {line}: unknown key(s) "
                                f"{', '.join(sorted(unknown))}")
            label = node.get("label")
            number = node.get("number")
            if not isinstance(label, str) or not label.strip():
                problems.append(f"{source}, line {line}: theme without a label")
                label = ""
            if number is None or not str(number).strip():
                problems.append(f"{source}, line {line}: theme '{label}' has no number")
                number = ""
            number = str(number).strip().rstrip(".")
            node_parent = node.get("parent")
            if node_parent is not None:
                node_parent = str(node_parent).strip().rstrip(".")
                if parent is not None and node_parent != parent:
                    problems.append(f"{source}, line {line}: theme {number} is nested under "
                                    f"{parent} but says parent: {node_parent}")
            colour = str(node.get("colour") or node.get("color") or "")
            if colour and not _COLOUR.match(colour):
                problems.append(f"{source}, line {line}: colour '{colour}' is not #RRGGBB")
            keywords = node.get("keywords") or []
            if isinstance(keywords, str):
                keywords = [k.strip() for k in keywords.split(",") if k.strip()]
            memos = node.get("memos") or []
            specs.append(ThemeSpec(
                number=number, label=str(label).strip(), parent=parent or node_parent,
                line=line, description=_text(node.get("description")),
                inclusion=_text(node.get("inclusion")), exclusion=_text(node.get("exclusion")),
                colour=colour.upper(), keywords=tuple(str(k) for k in keywords),
                retired=str(node.get("retired", "false")).lower() in ("true", "yes", "1"),
                guid=str(node.get("guid") or ""),
                memos=[{k: str(v) for k, v in m.items() if k != "__line__"}
                       for m in memos if isinstance(m, dict)]))
            if "themes" in node:
                visit(node["themes"], number, node)

    visit(data["themes"], None, data)
    seen: dict[str, int] = {}
    for s in specs:
        if s.number and s.number in seen:
            problems.append(f"{source}, line {s.line}: duplicate theme number {s.number} "
                            f"(first at line {seen[s.number]})")
        seen.setdefault(s.number, s.line)
    for s in specs:
        if s.parent is not None and s.parent not in seen:
            problems.append(f"{source}, line {s.line}: theme {s.number} has unknown parent "
                            f"{s.parent}")
    if problems:
        raise ValidationReport(f"{source}: {len(problems)} problem(s) in the codebook",
                               problems)
    return CodebookSpec(str(data.get("codebook") or data.get("name") or ""), tuple(levels),
                        _parents_first(specs))


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split()) if "\n" not in str(value) \
        else str(value).strip()


def _parents_first(specs: list[ThemeSpec]) -> list[ThemeSpec]:
    """Order flat lists (``parent:`` references) so every parent precedes its children."""
    placed: set[str | None] = {None}
    out: list[ThemeSpec] = []
    pending = list(specs)
    while pending:
        rest = [s for s in pending if s.parent not in placed]
        now = [s for s in pending if s.parent in placed]
        if not now:
            s = rest[0]
            raise CodebookError(f"theme {s.number} is its own ancestor (a parent loop)",
                                line=s.line)
        for s in now:
            out.append(s)
            placed.add(s.number)
        pending = rest
    return out


def read_codebook_file(path: Path) -> CodebookSpec:
    path = Path(path)
    if not path.exists():
        raise CodebookError("file not found", path=str(path))
    from ..safety import MAX_CODEBOOK, read_limited

    try:
        text = read_limited(path, MAX_CODEBOOK, "codebook").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError("codebook is not UTF-8 text", path=str(path)) from exc
    if not text.strip():
        raise CodebookError("codebook file is empty", path=str(path))
    return parse_codebook(text, str(path))

"""The hierarchical codebook: a tree of themes of any depth, with named levels.

Holds the YAML format (read with line numbers for error messages), tree queries
(children, subtree, path, level names) and theme references ("1.2", "#7", a unique label
prefix, "1.2 Mourning your life").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CodebookError, ThemeNotFound, ValidationReport
from .model import Theme, natural_key
from .terms import DEFAULT_LEVELS  # one default for the codebook and the presets

_NUMBER_TOKEN = re.compile(r"^\s*#?([A-Za-z]?\d+(?:\.\d+)*|[A-Z])\.?(?:\s+|$)")
THEME_KEYS = {"number", "label", "description", "inclusion", "exclusion", "colour", "color",
              "keywords", "retired", "parent", "themes", "guid", "memos"}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass
class Codebook:
    """An in-memory codebook: themes plus the names of its levels."""

    themes: list[Theme]
    levels: tuple[str, ...] = DEFAULT_LEVELS
    name: str = ""
    _by_id: dict[int, Theme] = field(init=False, repr=False)
    _children: dict[int | None, list[Theme]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {t.id: t for t in self.themes}
        self._children = {}
        for t in self.themes:
            self._children.setdefault(t.parent_id, []).append(t)
        for kids in self._children.values():
            kids.sort(key=lambda t: (t.position, natural_key(t.number)))

    def __repr__(self) -> str:
        """One line: a notebook shows the tree through ``_repr_html_`` instead."""
        name = f" {self.name!r}" if self.name else ""
        return (f"<Codebook{name}: {len(self.themes)} themes, "
                f"levels {', '.join(self.levels)}>")

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(f"<tr><td>{escape(t.number)}</td><td style='padding-left:"
                       f"{self.depth(t) * 1.2:.1f}em'>{escape(t.label)}</td>"
                       f"<td>{escape(self.level_name(t))}</td></tr>" for t in self.walk())
        return (f"<p>{escape(repr(self))}</p><table><thead><tr><th>Number</th><th>Theme"
                f"</th><th>Level</th></tr></thead><tbody>{rows}</tbody></table>")

    # -- tree queries ---------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.themes)

    def __iter__(self):
        return iter(self.walk())

    def get(self, theme_id: int) -> Theme:
        return self._by_id[theme_id]

    def roots(self) -> list[Theme]:
        return list(self._children.get(None, []))

    def children(self, theme: Theme | int) -> list[Theme]:
        tid = theme if isinstance(theme, int) else theme.id
        return list(self._children.get(tid, []))

    def walk(self, theme: Theme | None = None) -> list[Theme]:
        """Depth-first, in codebook order; from ``theme`` (inclusive) or from the roots."""
        out: list[Theme] = []
        stack = [theme] if theme is not None else list(reversed(self.roots()))
        while stack:
            t = stack.pop()
            out.append(t)
            stack.extend(reversed(self.children(t)))
        return out

    def subtree_ids(self, theme: Theme | int) -> set[int]:
        t = self.get(theme) if isinstance(theme, int) else theme
        return {x.id for x in self.walk(t)}

    def ancestors(self, theme: Theme) -> list[Theme]:
        """From the root down to the parent of ``theme``."""
        out = []
        t = theme
        while t.parent_id is not None:
            t = self._by_id[t.parent_id]
            out.append(t)
        return out[::-1]

    def depth(self, theme: Theme) -> int:
        return len(self.ancestors(theme))

    def level_name(self, theme: Theme) -> str:
        d = self.depth(theme)
        return self.levels[d] if d < len(self.levels) else f"level {d + 1}"

    def path(self, theme: Theme, sep: str = " > ") -> str:
        return sep.join(t.label for t in [*self.ancestors(theme), theme])

    def by_number(self, number: str) -> Theme | None:
        number = str(number).strip().rstrip(".")
        for t in self.themes:
            if t.number == number:
                return t
        return None

    def next_child_number(self, parent: Theme | None) -> str:
        """The next free number under ``parent``: 1.3 after 1.2, 5 after 4."""
        kids = self.children(parent) if parent else self.roots()
        prefix = f"{parent.number}." if parent else ""
        used = {t.number for t in self.themes}
        n = 1
        for k in kids:
            tail = k.number[len(prefix):] if k.number.startswith(prefix) else ""
            if tail.isdigit():
                n = max(n, int(tail) + 1)
        while f"{prefix}{n}" in used:
            n += 1
        return f"{prefix}{n}"

    # -- references -----------------------------------------------------------------------
    def resolve(self, ref: str | int, *, allow_retired: bool = True) -> Theme:
        """Find a theme by number, ``#id``, label, unique label prefix or "number label"."""
        if isinstance(ref, int):
            if ref in self._by_id:
                return self._by_id[ref]
            raise ThemeNotFound(f"no theme with id {ref}")
        text = str(ref).strip()
        if not text:
            raise ThemeNotFound("empty theme name")
        if text.startswith("#") and text[1:].isdigit():
            tid = int(text[1:])
            if tid in self._by_id:
                return self._by_id[tid]
            raise ThemeNotFound(f"no theme with id {text}")
        t = self.by_number(text)
        if t:
            return t
        m = _NUMBER_TOKEN.match(text)
        if m and self.by_number(m.group(1)):
            return self.by_number(m.group(1))  # "1.2 Mourning your life"
        folded = _fold(text)
        exact = [t for t in self.themes if _fold(t.label) == folded]
        if len(exact) == 1:
            return exact[0]
        prefix = [t for t in self.themes if _fold(t.label).startswith(folded)]
        if len(prefix) == 1:
            return prefix[0]
        if len(exact) > 1 or len(prefix) > 1:
            many = exact or prefix
            raise ThemeNotFound(
                f"theme '{text}' is ambiguous: "
                + "; ".join(f"{t.number} {t.label}" for t in many[:6]),
                hint="use the theme number")
        names = {t.label: t for t in self.themes}
        names.update({t.number: t for t in self.themes})
        import difflib

        close = difflib.get_close_matches(text, list(names), n=3, cutoff=0.6)
        if not close:
            close = [k for k in names if folded in _fold(k)][:3]
        if not close:  # a short typo of a prefix or a word: "mourm" -> "Mourning your life"
            close = [t.label for t in self.themes if _near_prefix(folded, _fold(t.label))][:3]
        hint = ("did you mean " + " or ".join(f"'{names[c].number} {names[c].label}'"
                                               for c in close) + "?") if close else \
            "'ipa codebook show' lists the themes"
        raise ThemeNotFound(f"unknown theme '{text}'", hint=hint)

    # -- YAML -----------------------------------------------------------------------------
    def to_dict(self, extra: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """A plain nested structure for YAML; ``extra`` adds keys per theme id (memos...)."""

        def node(t: Theme) -> dict[str, Any]:
            d: dict[str, Any] = {"number": t.number, "label": t.label}
            for key in ("description", "inclusion", "exclusion", "colour"):
                if getattr(t, key):
                    d[key] = getattr(t, key)
            if t.keywords:
                d["keywords"] = list(t.keywords)
            if t.retired:
                d["retired"] = True
            if extra and t.id in extra:
                d.update(extra[t.id])
            kids = self.children(t)
            if kids:
                d["themes"] = [node(k) for k in kids]
            return d

        out: dict[str, Any] = {}
        if self.name:
            out["codebook"] = self.name
        out["levels"] = list(self.levels)
        out["themes"] = [node(t) for t in self.roots()]
        return out

    def to_yaml(self, extra: dict[int, dict[str, Any]] | None = None) -> str:
        import yaml

        return yaml.dump(self.to_dict(extra), Dumper=_dumper(), sort_keys=False,
                         allow_unicode=True, width=88, default_flow_style=False)


def tree_text(cb: Codebook, tallies: dict[int, tuple[int, int]] | None,
              n_participants: int, extra: dict[int, str] | None = None) -> str:
    """The codebook as an indented tree; with ``tallies`` (theme id -> passages,
    participants), the counts beside each theme (``ipa codebook show``); ``extra`` adds
    text after a theme's counts (each coder's passages)."""
    out = [cb.name] if cb.name else []
    for t in cb.walk():
        line = f"{'  ' * cb.depth(t)}{t.number} {t.label}"
        if t.retired:
            line += " [retired]"
        if tallies is not None:
            passages, people = tallies[t.id]
            line = line.ljust(60) + f" {passages:>4} passages  {people:>2}/{n_participants} " \
                                    "participants"
        if extra and extra.get(t.id):
            line += "  " + extra[t.id]
        out.append(line.rstrip())
    if not cb.themes:
        out.append("(empty codebook: 'ipa codebook import FILE.yaml' or 'ipa theme add')")
    return "\n".join(out)


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


# -- reading codebook files ---------------------------------------------------------------

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

    from .safety import refuse_aliases

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
    from .safety import MAX_CODEBOOK, read_limited

    try:
        text = read_limited(path, MAX_CODEBOOK, "codebook").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError("codebook is not UTF-8 text", path=str(path)) from exc
    if not text.strip():
        raise CodebookError("codebook file is empty", path=str(path))
    return parse_codebook(text, str(path))


def _near_prefix(typed: str, label: str) -> bool:
    """True when ``typed`` is one slip away from the start of the label or of one of its
    words (a short typo that whole-label similarity cannot see)."""
    if len(typed) < 3:
        return False
    import difflib

    starts = [label] + label.split()
    return any(difflib.SequenceMatcher(None, typed, w[:len(typed)]).ratio() >= 0.75
               for w in starts)

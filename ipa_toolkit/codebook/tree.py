"""The hierarchical codebook: a tree of themes of any depth, with named levels.

Holds tree queries (children, subtree, path, level names) and theme references ("1.2",
"#7", a unique label prefix, "1.2 Mourning your life"). Reading the YAML format lives in
``codebook.file``: coding a passage needs the tree, not the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ThemeNotFound
from ..model import DEFAULT_LEVELS, Theme, natural_key

_NUMBER_TOKEN = re.compile(r"^\s*#?([A-Za-z]?\d+(?:\.\d+)*|[A-Z])\.?(?:\s+|$)")


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

        from .file import _dumper

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


def _near_prefix(typed: str, label: str) -> bool:
    """True when ``typed`` is one slip away from the start of the label or of one of its
    words (a short typo that whole-label similarity cannot see)."""
    if len(typed) < 3:
        return False
    import difflib

    starts = [label] + label.split()
    return any(difflib.SequenceMatcher(None, typed, w[:len(typed)]).ratio() >= 0.75
               for w in starts)

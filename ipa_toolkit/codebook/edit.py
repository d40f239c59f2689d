"""Changing the codebook: loading a codebook file into the store, and adding, renaming,
moving, merging and deleting themes.

Each change is checked against the tree first and then written in one store transaction,
so a refused change leaves the codebook as it was. The functions take the store and the
codebook they read; the facade forgets its cached codebook after each.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import CodebookError
from ..model import Memo, Theme, now

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store
    from .file import CodebookSpec
    from .tree import Codebook

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def apply_spec(store: Store, levels: list[str], spec: CodebookSpec) -> dict[str, int]:
    """Write a codebook file's themes: matched by number, updated or added (inside the
    caller's transaction). Themes missing from the file are kept (they may hold codings)
    and counted; ``levels`` are the project's level names before this file."""
    if list(spec.levels) != list(levels):
        store.set_setting("levels", list(spec.levels))
    if spec.name:
        store.set_setting("codebook_name", spec.name)
    by_number = {t.number: t for t in store.themes()}
    ids = {n: t.id for n, t in by_number.items()}
    added = updated = 0
    positions: dict[str | None, int] = {}
    for s in spec.themes:
        pos = positions.get(s.parent, 0)
        positions[s.parent] = pos + 1
        fields = dict(label=s.label, parent_id=ids[s.parent] if s.parent else None,
                      description=s.description, inclusion=s.inclusion,
                      exclusion=s.exclusion, colour=s.colour, position=pos,
                      retired=s.retired, keywords=s.keywords)
        if s.number in by_number:
            store.update_theme(ids[s.number], **fields)
            updated += 1
            tid = ids[s.number]
        else:
            tid = store.add_theme(Theme(0, s.number, guid=s.guid, **fields))
            ids[s.number] = tid
            added += 1
        for m in s.memos:
            store.add_memo(Memo(0, tid, m.get("text", ""), m.get("author", ""),
                                m.get("created", now()), m.get("guid", "")))
    kept = len(set(by_number) - {s.number for s in spec.themes})
    return {"added": added, "updated": updated, "kept": kept}


def add_theme(store: Store, cb: Codebook, label: str, parent: str | None, *,
              number: str | None, description: str, colour: str) -> str:
    """A new theme under ``parent`` (next free number unless given); its number."""
    if not label.strip():
        raise CodebookError("a theme needs a label")
    par = cb.resolve(parent) if parent else None
    number = (number or cb.next_child_number(par)).strip().rstrip(".")
    if cb.by_number(number):
        raise CodebookError(f"theme number {number} is taken by "
                            f"'{cb.by_number(number).label}'")
    if colour and not _COLOUR.fullmatch(colour):
        raise CodebookError(f"colour '{colour}' is not #RRGGBB")
    pos = len(cb.children(par) if par else cb.roots())
    with store.transaction():
        store.add_theme(Theme(0, number, label.strip(), par.id if par else None,
                              description, colour=colour.upper(), position=pos))
    return number


def rename_theme(store: Store, cb: Codebook, ref: str, label: str) -> int:
    """A theme's new label; its id."""
    t = cb.resolve(ref)
    if not label.strip():
        raise CodebookError("a theme needs a label")
    with store.transaction():
        store.update_theme(t.id, label=label.strip())
    return t.id


def update_theme(store: Store, cb: Codebook, ref: str, fields: dict[str, Any]) -> int:
    """Change description, inclusion, exclusion, colour, keywords or retired; the id."""
    t = cb.resolve(ref)
    allowed = {"description", "inclusion", "exclusion", "colour", "keywords", "retired"}
    bad = set(fields) - allowed
    if bad:
        raise CodebookError(f"cannot set {', '.join(sorted(bad))} this way")
    if fields.get("colour") and not _COLOUR.fullmatch(fields["colour"]):
        raise CodebookError(f"colour '{fields['colour']}' is not #RRGGBB")
    with store.transaction():
        store.update_theme(t.id, **fields)
    return t.id


def move_theme(store: Store, cb: Codebook, ref: str, parent: str | None, *,
               number: str | None) -> int:
    """Move a theme (and its sub-themes) under a new parent, renumbering the subtree."""
    t = cb.resolve(ref)
    new_parent = cb.resolve(parent) if parent else None
    if new_parent and new_parent.id in cb.subtree_ids(t):
        raise CodebookError(f"cannot move {t.number} under itself or its own sub-theme")
    number = (number or cb.next_child_number(new_parent)).strip().rstrip(".")
    clash = cb.by_number(number)
    subtree = cb.walk(t)
    renumber = {x.id: number + x.number[len(t.number):] if x.number.startswith(t.number)
                else x.number for x in subtree}
    taken = {x.number for x in cb.themes} - {x.number for x in subtree}
    if (clash and clash.id != t.id) or set(renumber.values()) & taken:
        raise CodebookError(f"theme number {number} (or one below it) is taken",
                            hint="give a free number with --number")
    pos = len(cb.children(new_parent) if new_parent else cb.roots())
    with store.transaction():
        for x in subtree:  # two passes so UNIQUE(number) never trips mid-way
            store.update_theme(x.id, number=f"__moving__{x.id}")
        for x in subtree:
            store.update_theme(x.id, number=renumber[x.id])
        store.update_theme(t.id, parent_id=new_parent.id if new_parent else None,
                           position=pos)
    return t.id


def merge_themes(store: Store, cb: Codebook, source: str, into: str) -> dict[str, int]:
    """Fold ``source`` into ``into``: codings, memos and sub-themes move, source goes."""
    src, dst = cb.resolve(source), cb.resolve(into)
    if src.id == dst.id:
        raise CodebookError("cannot merge a theme into itself")
    if dst.id in cb.subtree_ids(src):
        raise CodebookError(f"cannot merge {src.number} into its own sub-theme")
    kids = cb.children(src)
    with store.transaction():
        before = len(store.codings(theme_ids=[src.id]))
        moved = store.move_codings(src.id, dst.id)
        store.move_memos(src.id, dst.id)
        store.move_pet_themes(src.id, dst.id)
        base = len(cb.children(dst))
        for i, k in enumerate(kids):
            store.update_theme(k.id, parent_id=dst.id, position=base + i)
        store.delete_theme(src.id)
    return {"codings": before, "moved": moved, "merged_duplicates": before - moved,
            "subthemes": len(kids)}


def delete_theme(store: Store, cb: Codebook, ref: str, *, move_codings_to: str | None
                 ) -> dict[str, int]:
    """Delete a leaf theme; refused while it holds codings or memos unless moved."""
    t = cb.resolve(ref)
    if cb.children(t):
        raise CodebookError(f"theme {t.number} has sub-themes",
                            hint="move or delete them first, or merge the theme")
    n = len(store.codings(theme_ids=[t.id]))
    m = len(store.memos(t.id)) + sum(x == t.id for _, x in store.pet_themes())
    target = cb.resolve(move_codings_to) if move_codings_to else None
    if target and target.id == t.id:
        raise CodebookError("cannot move codings to the theme being deleted")
    if (n or m) and target is None:
        raise CodebookError(f"theme {t.number} '{t.label}' holds {n} coding(s) and {m} "
                            "memo(s) or PET mapping(s)",
                            hint="pass --move-codings-to THEME, or merge it")
    with store.transaction():
        if target:
            store.move_codings(t.id, target.id)
            store.move_memos(t.id, target.id)
            store.move_pet_themes(t.id, target.id)
        store.delete_theme(t.id)
    return {"codings_moved": n, "memos_moved": m}

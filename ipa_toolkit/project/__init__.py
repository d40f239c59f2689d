"""The ``Project`` facade: what a notebook user opens and what every CLI command calls.

Writes run inside one store transaction each, so a failure (or Ctrl-C) leaves the project
as it was. Tables come back as pandas DataFrames; pandas is imported only when one is asked
for, so the CLI stays quick.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import store as stores
from ..codebook.tree import Codebook, tree_text
from ..errors import CodebookError, CodingError, InputError, ProjectError
from ..ingest import anchor as anchoring
from ..ingest.lines import DEFAULT_INTERVIEWER_LABELS, DEFAULT_SPEAKER_PATTERN, DEFAULT_WIDTH
from ..model import NOTE_KINDS, Coding, Line, Participant, Theme, Transcript, natural_key, now
from ..participants import attributes
from ..store import Store, is_project, open_as, open_store
from . import identity
from .display import coverage, margin_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..codebook.file import CodebookSpec
    from ..ingest.pipeline import IngestResult
    from ..method.idiographic import Idiographic
    from ..model import Memo, Note, Statement

DEFAULTS: dict[str, Any] = {
    "wrap_width": DEFAULT_WIDTH,
    "speaker_pattern": DEFAULT_SPEAKER_PATTERN,
    "interviewer_labels": list(DEFAULT_INTERVIEWER_LABELS),
    "fuzzy_threshold": anchoring.DEFAULT_FUZZY_THRESHOLD,
    "coder": None,
    "citation": "({participant}, {lines})",
    "codebook_name": "",
    "levels": ["superordinate", "subordinate"],
    "recurrence_rule": "half",
    "quotes_per_theme": 3,
    "attribute_types": {},
    "quote_max_words": 150,
    "min_participants": None,
    "spacy_model": "auto",
    "terms": "2022",
}




class Project:
    """An IPA project: participants, transcripts, a codebook and codings, in one folder."""

    def __init__(self, folder: Path, store: Store):
        self.folder = Path(folder)
        self.store = store
        self._codebook: Codebook | None = None
        self._cache: dict = {}  # derived results keyed by store version (see prevalence)
        # who the audit log names for this session's changes
        store.actor = self._named_coder() or identity.login_name()

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def init(cls, folder: str | Path = ".", *, replace_existing: bool = False,
             database: str | None = None, schema: str | None = None) -> Project:
        """Create a new project in ``folder`` (created if missing); its data goes to the
        PostgreSQL ``database`` (or IPA_DATABASE_URL) when one is named."""
        folder = Path(folder)
        if is_project(folder):
            if not replace_existing:
                raise ProjectError(f"{folder} is already a project",
                                   hint="open it, or pass --replace to start it afresh")
            stores.remove(folder)
        if folder.exists() and not folder.is_dir():
            raise ProjectError(f"{folder} exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder, open_store(folder, create=True, database=database, schema=schema))

    @classmethod
    def create(cls, folder: str | Path = ".", *, replace_existing: bool = False,
               codebook: str | Path | None = None, participants: str | Path | None = None,
               transcripts: Sequence[str | Path] = (), codings: str | Path | None = None,
               comments: Sequence[str | Path] = (), database: str | None = None,
               schema: str | None = None) -> Project:
        """Create a project and fill it in one go: codebook, participants, transcripts,
        a coding sheet and Word comments.

        All or nothing: on failure a project it was replacing is put back (see opening.py).
        """
        from .opening import create

        return create(cls, Path(folder), replace_existing=replace_existing, codebook=codebook,
                      participants=participants, transcripts=transcripts, codings=codings,
                      comments=comments, database=database, schema=schema)

    @classmethod
    def open(cls, folder: str | Path | None = None) -> Project:
        """Open the project in ``folder``, or the nearest one above the current folder."""
        if folder is not None:
            folder = Path(folder)
            if not is_project(folder):
                raise ProjectError(f"{folder} is not an ipa project",
                                   hint=f"run 'ipa init {folder}' first")
            return cls(folder, open_store(folder))
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if is_project(candidate):
                return cls(candidate, open_store(candidate))
        raise ProjectError("no ipa project here or in any folder above",
                           hint="run 'ipa init' or pass -p/--project DIR")

    @classmethod
    def sign_in(cls, folder: str | Path, login: str, password: str) -> Project:
        """Open a PostgreSQL project as one person, with their database login."""
        return cls(Path(folder), open_as(Path(folder), login, password))

    def close(self) -> None:
        _, settings = self._cache.get("settings", (None, None))
        if settings:  # a team project's folder keeps its terms for --help (no connection)
            stores.remember_setting(self.folder, "terms", settings.get("terms"))
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in self.summary().items())
        return f"<Project {self.folder.name}: {counts}>"

    # -- settings ---------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """Defaults overlaid with the project's settings, read again only after a change."""
        version, cached = self._cache.get("settings", (None, None))
        now = self.store.version()  # on a server, each call is a round trip
        if version != now:
            cached = {**DEFAULTS, **self.store.settings()}
            self._cache["settings"] = (now, cached)
        return dict(cached)

    def setting(self, key: str) -> Any:
        return self.settings().get(key)

    def config(self, key: str | None = None, value: str | None = None) -> dict[str, Any]:
        """Read all settings, one, or set one (values are parsed as YAML scalars/lists)."""
        if key is None:
            return self.settings()
        if key not in DEFAULTS:
            raise InputError(f"unknown setting '{key}'",
                             hint="known: " + ", ".join(sorted(DEFAULTS)))
        if value is None:
            return {key: self.settings()[key]}
        from ..safety import load_yaml  # no anchors or aliases: a value must not explode

        if isinstance(DEFAULTS[key], str) or key in ("coder", "min_participants"):
            parsed = value if value.strip() else None  # text settings are taken as written
        else:
            parsed = load_yaml(value, f"value for {key} (lists are written [a, b])") \
                if value.strip() else None
        if key == "citation":
            try:
                str(parsed).format(participant="P1", lines="1-2", start=1, end=2)
            except (KeyError, IndexError, ValueError) as exc:
                raise InputError(f"citation template '{parsed}' is not valid ({exc})",
                                 hint="use {participant}, {lines}, {start}, {end}") from None
        if key in ("quotes_per_theme", "quote_max_words") and (
                not isinstance(parsed, int) or parsed < 1):
            raise InputError(f"{key} must be a whole number of at least 1")
        if key == "recurrence_rule":
            from ..analysis.prevalence import recurrence_threshold

            recurrence_threshold(parsed, 10)
        if key == "terms":
            from ..terms import preset

            parsed = str(parsed).strip().lower() if preset(parsed) else parsed
        if key == "wrap_width" and (not isinstance(parsed, int) or parsed < 10):
            raise InputError("wrap_width must be a whole number of at least 10")
        if key == "speaker_pattern":
            try:
                if "speaker" not in re.compile(str(parsed)).groupindex:
                    raise InputError("speaker_pattern needs a (?P<speaker>...) group")
            except re.error as exc:
                raise InputError(f"speaker_pattern is not a valid regex: {exc}") from None
        with self.store.transaction():
            self.store.set_setting(key, parsed)
        return {key: self.settings()[key]}

    def coder(self, coder: str | None = None) -> str:
        """Who new work is stored under: given, else the database login on a shared store,
        setting, $IPA_CODER, else the login name (said once, when first stored under)."""
        return coder or self._named_coder() or identity.login_coder(self)

    def _named_coder(self) -> str | None:
        return self.store.login() or self.setting("coder") or os.environ.get("IPA_CODER")

    # -- participants -----------------------------------------------------------------------
    def participant_list(self) -> list[Participant]:
        return sorted(self.store.participants(), key=lambda p: natural_key(p.code))

    def participant(self, code: str) -> Participant:
        from ..participants.lookup import find_participant

        return find_participant(self.store, code)

    def participants(self) -> pd.DataFrame:
        """One row per participant (natural order), attribute columns in import order."""
        import pandas as pd

        names = self.store.attribute_names()
        rows = [{"participant": p.code, **{n: p.attributes.get(n, "") for n in names}}
                for p in self.participant_list()]
        return pd.DataFrame(rows, columns=["participant", *names])

    def import_participants(self, path: str | Path, id_column: str | None = None
                            ) -> dict[str, int]:
        """Add or update participants from a CSV/XLSX table: a named ID column (ID,
        Participant, ... or ``id_column``) plus attributes; P1 and p1 are one participant."""
        from ..sheets.participants import import_participants

        return import_participants(self.store, path, id_column)

    def add_participant(self, code: str, **attributes: str) -> Participant:
        if not re.fullmatch(r"[\w.\-]+", code):
            raise InputError(f"participant ID '{code}' has spaces or symbols")
        if any(p.code.casefold() == code.casefold() for p in self.store.participants()):
            raise InputError(f"participant {code} already exists")
        with self.store.transaction():
            self.store.upsert_participant(code, attributes)
        return self.participant(code)

    def set_attribute(self, code: str, name: str, value: str | None) -> Participant:
        """Set (or, with None, clear) one attribute of one participant."""
        p = self.participant(code)
        if not name.strip():
            raise InputError("attribute name is empty")
        attributes.check(self, name.strip(), value)
        with self.store.transaction():
            self.store.upsert_participant(p.code, {name.strip(): value})
        return self.participant(p.code)

    def type_attribute(self, name: str, kind: str) -> dict[str, str]:
        """Declare an attribute number, category or text (refused while a value misfits)."""
        with self.store.transaction():
            return attributes.set_type(self, name, kind)

    # -- transcripts ------------------------------------------------------------------------
    def transcript_list(self) -> list[Transcript]:
        return sorted(self.store.transcripts(),
                      key=lambda t: (natural_key(t.participant), natural_key(t.name)))

    def transcripts(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{"transcript": t.name, "participant": t.participant, "lines": t.n_lines,
                 "words": len(self.store.transcript_text(t.id).split()), "format": t.format,
                 "source": t.source, "sha256": t.sha256, "ingested": t.ingested}
                for t in self.transcript_list()]
        return pd.DataFrame(rows, columns=["transcript", "participant", "lines", "words",
                                           "format", "source", "sha256", "ingested"])

    def transcript(self, ref: str, name: str | None = None) -> Transcript:
        """Find a transcript by its name or by its participant's ID (when that is unique)."""
        from ..participants.lookup import find_transcript

        return find_transcript(self.store, ref, name)

    def lines(self, ref: str, first: int | None = None, last: int | None = None,
              *, transcript: str | None = None) -> list[Line]:
        t = self.transcript(ref, transcript)
        if first is not None and (first < 1 or first > t.n_lines):
            raise InputError(f"line {first} is outside {t.name} (lines 1-{t.n_lines})")
        return self.store.lines(t.id, first, last)

    def text(self, ref: str, *, transcript: str | None = None) -> str:
        return self.store.transcript_text(self.transcript(ref, transcript).id)

    def ingest(self, paths: Sequence[str | Path] | str | Path, *,
               participant: str | None = None, width: int | None = None,
               interviewers: Sequence[str] = ()) -> list[IngestResult]:
        """Read transcript files (or folders of them) and freeze their line numbers.

        Re-ingesting a changed file re-anchors its codings and notes by quote; a coding
        that cannot be found again is kept and flagged ``orphaned``, never dropped.
        In caption files (.vtt, .srt, "Name  00:03:12" text) the speakers named in
        ``interviewers`` (or the interviewer_labels setting) become "Interviewer" and the
        one other speaker becomes the participant's ID.
        """
        from ..ingest.pipeline import ingest

        return ingest(self, paths, participant=participant, width=width,
                      interviewers=interviewers)

    def show(self, ref: str, lines: tuple[int, int] | str | None = None, *,
             transcript: str | None = None, speaker: str | None = None,
             margin: bool = True) -> str:
        """The line-numbered transcript with a margin of the themes covering each line."""
        t = self.transcript(ref, transcript)
        if isinstance(lines, str):
            lines = anchoring.parse_line_range(lines)
        first, last = lines if lines else (1, t.n_lines)
        if first < 1 or last > t.n_lines or first > last:
            raise InputError(f"lines {first}-{last} are outside {t.name} "
                             f"(lines 1-{t.n_lines})")
        cover = {} if not margin else coverage(
            self.codebook, self.store.codings(transcript_id=t.id), first, last)
        return margin_text(t, self.store.lines(t.id, first, last), cover, first, last,
                           speaker=speaker, margin=margin)

    # -- codebook ---------------------------------------------------------------------------
    @property
    def codebook(self) -> Codebook:
        if self._codebook is None:
            s = self.settings()
            self._codebook = Codebook(self.store.themes(), tuple(s["levels"]),
                                      s["codebook_name"])
        return self._codebook

    def _changed(self) -> None:
        self._codebook = None

    def version(self) -> tuple:
        """Changes whenever this or another process writes: what a view polls to refresh."""
        return self.store.version()

    def refresh(self) -> None:
        """Forget the cached codebook, which another process or connection may have changed
        (a long-lived server calls this before each request)."""
        self._changed()

    def theme(self, ref: str | int) -> Theme:
        return self.codebook.resolve(ref)

    def import_codebook(self, path: str | Path) -> dict[str, int]:
        """Load a codebook YAML: themes are matched by number, updated or added.

        Themes missing from the file are kept (they may hold codings) and counted.
        """
        from ..codebook.file import read_codebook_file

        spec = read_codebook_file(Path(path))
        with self.store.transaction():
            counts = self._apply_codebook(spec)
        return counts

    def _apply_codebook(self, spec: CodebookSpec) -> dict[str, int]:
        from ..model import Memo

        if list(spec.levels) != list(self.settings()["levels"]):
            self.store.set_setting("levels", list(spec.levels))
        if spec.name:
            self.store.set_setting("codebook_name", spec.name)
        by_number = {t.number: t for t in self.store.themes()}
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
                self.store.update_theme(ids[s.number], **fields)
                updated += 1
                tid = ids[s.number]
            else:
                tid = self.store.add_theme(Theme(0, s.number, guid=s.guid, **fields))
                ids[s.number] = tid
                added += 1
            for m in s.memos:
                self.store.add_memo(Memo(0, tid, m.get("text", ""), m.get("author", ""),
                                         m.get("created", now()), m.get("guid", "")))
        self._changed()
        kept = len(set(by_number) - {s.number for s in spec.themes})
        return {"added": added, "updated": updated, "kept": kept}

    def export_codebook(self, path: str | Path | None = None) -> str:
        """The codebook as YAML (the import format); written to ``path`` when given."""
        text = self.codebook.to_yaml()
        if path:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def theme_counts(self) -> dict[str, tuple[int, int]]:
        """theme number -> (passages, participants) over the theme's whole subtree;
        participants are counted once however many sub-themes they contribute to."""
        return {self.codebook.get(i).number: n for i, n in self._counts_by_id().items()}

    def _counts_by_id(self) -> dict[int, tuple[int, int]]:
        from ..analysis.prevalence import subtree_counts

        return subtree_counts(self)

    def recurrence(self, rule: str | int | None = None, *, counts: bool = False
                   ) -> pd.DataFrame:
        """Themes x participants as booleans (or passage counts), totals as own columns."""
        from ..analysis.recurrence import recurrence_frame

        return recurrence_frame(self, rule, counts=counts)

    def codebook_tree(self, counts: bool = True, *, by_coder: bool = False) -> str:
        """The codebook as an indented tree, with passages and participants per theme
        (``by_coder``: each coder's own passages too)."""
        from ..analysis.prevalence import coder_tallies

        return tree_text(self.codebook, self._counts_by_id() if counts else None,
                         len(self.store.participants()),
                         coder_tallies(self) if counts and by_coder else None)

    def add_theme(self, label: str, parent: str | None = None, *, number: str | None = None,
                  description: str = "", colour: str = "") -> Theme:
        cb = self.codebook
        if not label.strip():
            raise CodebookError("a theme needs a label")
        par = cb.resolve(parent) if parent else None
        number = (number or cb.next_child_number(par)).strip().rstrip(".")
        if cb.by_number(number):
            raise CodebookError(f"theme number {number} is taken by "
                                f"'{cb.by_number(number).label}'")
        if colour and not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
            raise CodebookError(f"colour '{colour}' is not #RRGGBB")
        pos = len(cb.children(par) if par else cb.roots())
        with self.store.transaction():
            self.store.add_theme(Theme(0, number, label.strip(), par.id if par else None,
                                       description, colour=colour.upper(), position=pos))
        self._changed()
        return self.codebook.by_number(number)

    def rename_theme(self, ref: str, label: str) -> Theme:
        t = self.theme(ref)
        if not label.strip():
            raise CodebookError("a theme needs a label")
        with self.store.transaction():
            self.store.update_theme(t.id, label=label.strip())
        self._changed()
        return self.codebook.get(t.id)

    def update_theme(self, ref: str, **fields: Any) -> Theme:
        """Change description, inclusion, exclusion, colour, keywords or retired."""
        t = self.theme(ref)
        allowed = {"description", "inclusion", "exclusion", "colour", "keywords", "retired"}
        bad = set(fields) - allowed
        if bad:
            raise CodebookError(f"cannot set {', '.join(sorted(bad))} this way")
        if fields.get("colour") and not re.fullmatch(r"#[0-9A-Fa-f]{6}", fields["colour"]):
            raise CodebookError(f"colour '{fields['colour']}' is not #RRGGBB")
        with self.store.transaction():
            self.store.update_theme(t.id, **fields)
        self._changed()
        return self.codebook.get(t.id)

    def move_theme(self, ref: str, parent: str | None, *, number: str | None = None) -> Theme:
        """Move a theme (and its sub-themes) under a new parent, renumbering the subtree."""
        cb = self.codebook
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
        with self.store.transaction():
            for x in subtree:  # two passes so UNIQUE(number) never trips mid-way
                self.store.update_theme(x.id, number=f"__moving__{x.id}")
            for x in subtree:
                self.store.update_theme(x.id, number=renumber[x.id])
            self.store.update_theme(t.id, parent_id=new_parent.id if new_parent else None,
                                    position=pos)
        self._changed()
        return self.codebook.get(t.id)

    def merge_themes(self, source: str, into: str) -> dict[str, int]:
        """Fold ``source`` into ``into``: codings, memos and sub-themes move, source goes."""
        cb = self.codebook
        src, dst = cb.resolve(source), cb.resolve(into)
        if src.id == dst.id:
            raise CodebookError("cannot merge a theme into itself")
        if dst.id in cb.subtree_ids(src):
            raise CodebookError(f"cannot merge {src.number} into its own sub-theme")
        kids = cb.children(src)
        with self.store.transaction():
            before = len(self.store.codings(theme_ids=[src.id]))
            moved = self.store.move_codings(src.id, dst.id)
            self.store.move_memos(src.id, dst.id)
            self.store.move_pet_themes(src.id, dst.id)
            base = len(cb.children(dst))
            for i, k in enumerate(kids):
                self.store.update_theme(k.id, parent_id=dst.id, position=base + i)
            self.store.delete_theme(src.id)
        self._changed()
        return {"codings": before, "moved": moved, "merged_duplicates": before - moved,
                "subthemes": len(kids)}

    def delete_theme(self, ref: str, *, move_codings_to: str | None = None) -> dict[str, int]:
        """Delete a leaf theme; refused while it holds codings or memos unless moved."""
        cb = self.codebook
        t = cb.resolve(ref)
        if cb.children(t):
            raise CodebookError(f"theme {t.number} has sub-themes",
                                hint="move or delete them first, or merge the theme")
        n = len(self.store.codings(theme_ids=[t.id]))
        m = len(self.store.memos(t.id)) + sum(x == t.id for _, x in self.store.pet_themes())
        target = cb.resolve(move_codings_to) if move_codings_to else None
        if target and target.id == t.id:
            raise CodebookError("cannot move codings to the theme being deleted")
        if (n or m) and target is None:
            raise CodebookError(f"theme {t.number} '{t.label}' holds {n} coding(s) and {m} "
                                "memo(s) or PET mapping(s)",
                                hint="pass --move-codings-to THEME, or merge it")
        with self.store.transaction():
            if target:
                self.store.move_codings(t.id, target.id)
                self.store.move_memos(t.id, target.id)
                self.store.move_pet_themes(t.id, target.id)
            self.store.delete_theme(t.id)
        self._changed()
        return {"codings_moved": n, "memos_moved": m}

    # -- tagging ----------------------------------------------------------------------------
    def _span(self, t: Transcript, lines: tuple[int, int] | str | None, quote: str | None,
              occurrence: int | None = None, chars: tuple[int, int] | None = None
              ) -> anchoring.Span:
        if sum(x is not None for x in (lines, quote, chars)) != 1:
            raise CodingError("give either --lines or --quote")
        if lines is not None:  # read just those lines, not the thousands of a long interview
            first, last = anchoring.parse_line_range(lines) if isinstance(lines, str) else lines
            return anchoring.span_for_lines(self.store.lines(t.id, first, last), first, last,
                                            t.name, total=t.n_lines)
        all_lines = self.store.lines(t.id)
        if chars is not None:  # a selection in the browser: offsets into the stored text
            return anchoring.span_for_selection(self.store.transcript_text(t.id), all_lines,
                                                *chars, source=t.name)
        return anchoring.anchor_quote(self.store.transcript_text(t.id), all_lines, quote,
                                      source=t.name, occurrence=occurrence)

    def tag(self, ref: str, theme: str, *, lines: tuple[int, int] | str | None = None,
            quote: str | None = None, note: str = "", coder: str | None = None,
            transcript: str | None = None, occurrence: int | None = None,
            exemplar: bool = False, chars: tuple[int, int] | None = None) -> Coding | None:
        """Code a passage (by line range, quote or character offsets, snapped to whole
        words) to a theme; None if it was already coded."""
        t = self.transcript(ref, transcript)
        th = self.theme(theme)
        span = self._span(t, lines, quote, occurrence, chars)
        text = self.store.transcript_text(t.id)
        c = Coding(0, t.id, th.id, span.start_line, span.end_line, span.start, span.end,
                   text[span.start:span.end], self.coder(coder), note or "", now(),
                   exemplar=exemplar)
        with self.store.transaction():
            cid = self.store.add_coding(c)
        return replace(c, id=cid) if cid else None

    def untag(self, coding_id: int | None = None, *, ref: str | None = None,
              theme: str | None = None, lines: tuple[int, int] | str | None = None,
              coder: str | None = None, transcript: str | None = None) -> int:
        """Remove a coding by id, or every coding of a theme overlapping some lines."""
        with self.store.transaction():
            if coding_id is not None:
                if self.store.coding(coding_id) is None:
                    raise CodingError(f"no coding with id {coding_id}",
                                      hint="'ipa codings' lists the ids")
                self.store.delete_coding(coding_id)
                return 1
            if ref is None or theme is None:
                raise CodingError("give a coding id, or a participant with --theme")
            t = self.transcript(ref, transcript)
            th = self.theme(theme)
            if isinstance(lines, str):
                lines = anchoring.parse_line_range(lines)
            gone = 0
            for c in self.store.codings(transcript_id=t.id, theme_ids=[th.id], coder=coder):
                if lines is None or (c.start_line <= lines[1] and c.end_line >= lines[0]):
                    self.store.delete_coding(c.id)
                    gone += 1
            if not gone:
                raise CodingError(f"no coding of {th.number} in {t.name} matches")
            return gone

    def reanchor(self, coding_id: int, *, lines: tuple[int, int] | str | None = None,
                 quote: str | None = None, occurrence: int | None = None) -> Coding:
        """Point an (orphaned or misplaced) coding at a new passage."""
        c = self.store.coding(coding_id)
        if c is None:
            raise CodingError(f"no coding with id {coding_id}", hint="'ipa codings' lists ids")
        t = next(t for t in self.store.transcripts() if t.id == c.transcript_id)
        span = self._span(t, lines, quote, occurrence)
        text = self.store.transcript_text(t.id)
        with self.store.transaction():
            self.store.update_coding(c.id, start_char=span.start, end_char=span.end,
                                     start_line=span.start_line, end_line=span.end_line,
                                     quote=text[span.start:span.end], status="ok")
        return self.store.coding(coding_id)

    def retheme(self, coding_id: int, theme: str) -> Coding:
        """Move one coding to another theme (the browser's re-theme)."""
        c, th = self.store.coding(coding_id), self.theme(theme)
        if c is None:
            raise CodingError(f"no coding with id {coding_id}")
        same = self.store.codings(transcript_id=c.transcript_id, theme_ids=[th.id], coder=c.coder)
        if any((x.start, x.end) == (c.start, c.end) and x.id != c.id for x in same):
            raise CodingError(f"this passage is already coded to {th.number} by {c.coder}")
        with self.store.transaction():
            self.store.update_coding(coding_id, theme_id=th.id)
        return self.store.coding(coding_id)

    def set_exemplar(self, coding_id: int, exemplar: bool = True) -> None:
        if self.store.coding(coding_id) is None:
            raise CodingError(f"no coding with id {coding_id}")
        with self.store.transaction():
            self.store.update_coding(coding_id, exemplar=exemplar)

    def coding_list(self, *, theme: str | None = None, participant: str | None = None,
                    coder: str | None = None, status: str | None = None) -> list[Coding]:
        theme_ids = self.codebook.subtree_ids(self.theme(theme)) if theme else None
        if participant:  # the store reads that participant's transcripts, not every coding
            code = self.participant(participant).code
            out = sorted((c for t in self.store.transcripts() if t.participant == code
                          for c in self.store.codings(transcript_id=t.id, theme_ids=theme_ids,
                                                      coder=coder)), key=lambda c: c.id)
        else:
            out = self.store.codings(theme_ids=theme_ids, coder=coder)
        if status:
            out = [c for c in out if c.status == status]
        return out

    def codings(self, *, theme: str | None = None, participant: str | None = None,
                coder: str | None = None, status: str | None = None,
                speaker: str | None = None) -> pd.DataFrame:
        """All codings as a DataFrame; ``theme`` includes the theme's sub-themes."""
        import pandas as pd

        from ..coding import table

        return pd.DataFrame.from_records(table.rows(
            self, theme=theme, participant=participant, coder=coder, status=status,
            speaker=speaker), columns=list(table.COLUMNS))

    def cite(self, participant: str, start_line: int, end_line: int) -> str:
        lines = str(start_line) if start_line == end_line else f"{start_line}-{end_line}"
        return self.setting("citation").format(participant=participant, lines=lines,
                                               start=start_line, end=end_line)

    # -- coding sheets ------------------------------------------------------------------------
    def import_codings(self, path: str | Path, *, coder: str | None = None) -> dict[str, int]:
        """Bulk-code from a CSV/XLSX sheet; every bad row is reported and nothing is added."""
        from ..sheets.codings import import_codings

        return import_codings(self, path, coder=coder)

    # -- Word comments ------------------------------------------------------------------------
    def import_comments(self, paths: Sequence[str | Path] | str | Path, *,
                        skip_unknown: bool = False, ingest: bool = False,
                        coder: str | None = None) -> dict[str, int]:
        """Code from Word comments (see ``interop.word_comments`` for the convention).

        Comments naming no known theme are listed and nothing is imported, unless
        ``skip_unknown``. ``ingest`` ingests the documents first, in the same transaction.
        """
        from ..ingest.pipeline import expand
        from ..interop.word_comments import import_comments

        return import_comments(self, expand(paths, [".docx"], "Word documents"),
                               skip_unknown=skip_unknown, ingest=ingest, coder=coder)

    def export_transcript(self, ref: str, path: str | Path, *, three_column: bool = False,
                          transcript: str | None = None) -> Path:
        """A coded transcript as .docx with every coding and note as a Word comment."""
        from ..interop.word_comments import export_transcript

        path = Path(path)
        if path.suffix.lower() != ".docx":
            raise InputError("a coded transcript is written as .docx", path=str(path))
        return export_transcript(self, ref, path, three_column=three_column,
                                 transcript=transcript)

    # -- co-coders ----------------------------------------------------------------------------
    def merge(self, other: str | Path, *, as_coder: str | None = None) -> dict[str, int]:
        """Bring in a co-coder's codings from another project on the same transcripts
        (matched by content hash; see ``interop.merge``). All or nothing."""
        from ..interop.merge import merge

        return merge(self, other, as_coder=as_coder)

    def agreement(self, coder_a: str, coder_b: str, **options: Any):
        """Percent agreement, kappa and alpha per theme, pooled and per transcript (see
        ``analysis.agreement.agreement`` for theme, unit, overlap, all_transcripts)."""
        from ..analysis.agreement import agreement

        return agreement(self, coder_a, coder_b, **options)

    # -- language processing ----------------------------------------------------------------
    def search(self, term: str, *, lemma: bool = False, theme: str | None = None,
               participant: str | None = None, speaker: str | None = None) -> pd.DataFrame:
        """Keyword in context with line citations (``lemma``: any inflection of the term)."""
        from ..nlp.search import search

        return search(self, term, lemma=lemma, theme=theme, participant=participant,
                      speaker=speaker)

    def anonymise_check(self, key: str | Path | None = None) -> pd.DataFrame:
        """Suspected identifiers left in the transcripts (names, places, e-mail, phone...)."""
        from ..nlp.anonymise import check

        return check(self, key)

    def anonymise_apply(self, key: str | Path, *, log: str | Path | None = None
                        ) -> dict[str, int]:
        """Replace the key's names with [pseudonyms] in every text the project holds."""
        from ..nlp.anonymise import apply

        done = apply(self, key, log)
        self._changed()  # the cached codebook still holds the names
        return done

    def suggest(self, theme: str | None = None, *, accept: Sequence[int] | str | None = None,
                coder: str | None = None) -> pd.DataFrame:
        """Uncoded passages that use a theme's keywords; ``accept`` tags the chosen ones."""
        from ..nlp.suggest import suggest

        return suggest(self, theme, accept=accept, coder=coder)

    # -- notes and memos ----------------------------------------------------------------------
    def note(self, ref: str, text: str, *, lines: tuple[int, int] | str | None = None,
             quote: str | None = None, kind: str = "descriptive", author: str | None = None,
             transcript: str | None = None) -> Note:
        """An exploratory note (descriptive, linguistic or conceptual) on a passage."""
        kind = kind.lower()
        full = {k[0]: k for k in NOTE_KINDS}
        kind = full.get(kind, kind) if len(kind) == 1 else kind
        if kind not in NOTE_KINDS:
            raise InputError(f"unknown note kind '{kind}'", hint="descriptive, linguistic or "
                                                                 "conceptual")
        if not text.strip():
            raise InputError("the note is empty")
        t = self.transcript(ref, transcript)
        span = self._span(t, lines, quote)
        from ..model import Note

        n = Note(0, t.id, span.start_line, span.end_line, span.start, span.end, kind,
                 text.strip(), self.coder(author), now())
        with self.store.transaction():
            nid = self.store.add_note(n)
        return replace(n, id=nid)

    def notes(self, participant: str | None = None) -> pd.DataFrame:
        import pandas as pd

        tinfo = {t.id: t for t in self.store.transcripts()}
        rows = []
        for n in self.store.notes():
            t = tinfo[n.transcript_id]
            if participant and t.participant.casefold() != participant.casefold():
                continue
            rows.append({"id": n.id, "participant": t.participant, "transcript": t.name,
                         "start_line": n.start_line, "end_line": n.end_line, "kind": n.kind,
                         "note": n.text, "author": n.author, "created": n.created,
                         "status": n.status})
        return pd.DataFrame(rows, columns=["id", "participant", "transcript", "start_line",
                                           "end_line", "kind", "note", "author", "created",
                                           "status"])

    def memo(self, theme: str, text: str, *, author: str | None = None) -> Memo:
        if not text.strip():
            raise InputError("the memo is empty")
        th = self.theme(theme)
        from ..model import Memo

        m = Memo(0, th.id, text.strip(), self.coder(author), now())
        with self.store.transaction():
            mid = self.store.add_memo(m)
        return replace(m, id=mid)

    def memos(self, theme: str | None = None) -> pd.DataFrame:
        import pandas as pd

        cb = self.codebook
        th = self.theme(theme) if theme else None
        rows = [{"id": m.id, "theme_number": cb.get(m.theme_id).number,
                 "theme_label": cb.get(m.theme_id).label, "memo": m.text, "author": m.author,
                 "created": m.created}
                for m in self.store.memos(th.id if th else None)]
        return pd.DataFrame(rows, columns=["id", "theme_number", "theme_label", "memo",
                                           "author", "created"])

    # -- the idiographic path and the audit log (idiographic.py, audit.py) -------------------
    @property
    def idio(self) -> Idiographic:
        """Statements, PETs and their mapping to GETs: ``project.idio.add_pet(...)``."""
        from ..method.idiographic import Idiographic

        return Idiographic(self)

    def add_statement(self, participant: str, text: str, *,
                      lines: tuple[int, int] | str | None = None, quote: str | None = None,
                      **options: Any) -> Statement:
        """An experiential statement anchored to a passage (note, coder, transcript...)."""
        return self.idio.add_statement(participant, text, lines=lines, quote=quote, **options)

    def statements(self, participant: str | None = None) -> pd.DataFrame:
        return self.idio.statements(participant)

    def pets(self, participant: str | None = None) -> pd.DataFrame:
        return self.idio.pets(participant)

    def log(self, **filters: Any) -> pd.DataFrame:
        """The audit log (theme, participant, coder, since, until, entity filters)."""
        from ..trail.read import log_frame

        return log_frame(self, **filters)

    def audit(self, out: str | Path) -> list[Path]:
        """A bundle an auditor follows from each GET down to statements and lines."""
        from ..report.bundle import write_audit

        return write_audit(self, Path(out))

    def draft(self, out: str | Path) -> Path:
        """The skeleton of a results section (.docx or .md), in codebook order."""
        from ..report.draft import write_draft

        return write_draft(self, Path(out))

    # -- whole-project exchange -------------------------------------------------------------
    def summary(self) -> dict[str, int]:
        """How much the project holds: participants, transcripts, themes, codings."""
        return {"participants": len(self.store.participants()),
                "transcripts": len(self.store.transcripts()),
                "themes": len(self.store.themes()), "codings": self.store.count_codings()}

    def is_empty(self) -> bool:
        return not (self.store.participants() or self.store.themes()
                    or self.store.transcripts())

    def export(self, path: str | Path) -> Path:
        """Write the whole project out; the format follows the path (a folder: plain files)."""
        from ..interop import writer_for

        return writer_for(Path(path))(self, Path(path))

    def import_from(self, path: str | Path, *, participants: dict | None = None) -> dict:
        """Read a whole exported project into this (empty) one (``participants``: .qdpx
        source name -> participant ID, for sources no case links to)."""
        from ..interop import reader_for

        return reader_for(Path(path))(self, Path(path), participants=participants)

    # -- team projects on PostgreSQL ---------------------------------------------------------
    def push(self, database: str, schema: str | None = None) -> dict[str, int]:
        """Copy this project, row for row, into a new schema (default: the folder's name)."""
        return stores.push(self.store, database, schema or self.folder.resolve().name)

    @classmethod
    def pull(cls, database: str, folder: str | Path, schema: str | None = None) -> Project:
        """Copy a PostgreSQL project into a new SQLite project in ``folder``."""
        return cls(Path(folder), stores.pull(database, schema, Path(folder)))

    def members(self) -> dict[str, str]:
        """login -> role (owner, coder or viewer), as the database grants them."""
        return self.store.members()

    def grant(self, login: str, role: str) -> None:
        self.store.grant(login, role)

    def revoke(self, login: str) -> None:
        self.store.revoke(login)

    # -- reports ------------------------------------------------------------------------------
    def table(self, name: str, **options: Any) -> pd.DataFrame:
        """A report table by name (see ``ipa_toolkit.tables``) as a DataFrame."""
        from ..report.tables import table

        return table(self, name, **options)

    def write_table(self, name: str, path: str | Path | None = None, *, fmt: str = "csv",
                    number: int | None = 1, raw: bool = False, **options: Any
                    ) -> str | Path:
        """Write a table to ``path`` (format from its suffix), or return csv/md/tex/html text;
        ``raw`` keeps CSV cells that look like formulas as they are."""
        from ..report.writers import write_table, writer
        from ..stamp import dated

        df = self.table(name, **options)
        df.attrs["raw"] = raw
        if path is not None:
            with dated(self):
                return write_table(df, Path(path), number)
        module = writer(fmt)
        if not hasattr(module, "render"):
            raise InputError(f"{fmt} is a file format: give --out FILE.{fmt}")
        return module.render(df, number)

    def chart(self, name: str, path: str | Path | None = None, **options: Any):
        """A chart by name as a matplotlib Figure; saved (PNG/SVG/PDF) when ``path`` is given."""
        from ..report.charts import chart, save

        fig = chart(self, name, **options)
        if path is not None:
            save(fig, Path(path))
        return fig

    def check(self, **options: Any):
        """The IPA quality lint (see ``ipa check``); ``.ok`` is False when a check fails."""
        from ..analysis.check import check

        return check(self, **options)

    def report(self, out: str | Path, *, raw: bool = False, figures: Any = None) -> list[Path]:
        """Write the Word report, every table, chart (PNG; figures="all" adds SVG, PDF)."""
        from ..report import write_report

        return write_report(self, Path(out), raw=raw, figures=figures)

    def _repr_html_(self) -> str:
        """A project in Jupyter: what it holds and its codebook with counts."""
        from html import escape

        from ..report.tables import codebook
        from ..report.writers.html import render

        s = self.summary()
        head = (f"<p><b>ipa project</b> {escape(str(self.folder))}: "
                + ", ".join(f"{v} {k}" for k, v in s.items()) + "</p>")
        if not s["themes"]:
            return head
        return head + render(codebook(self), 1, standalone=False)

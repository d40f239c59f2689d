"""The ``Project`` facade: what a notebook user opens and what the CLI and the browser call.

Each method is a few lines that hand the work to the module named by its concern
(``codebook.edit``, ``coding.tag``, ``method.notes``, ``participants.roster``...), which
types against ``protocols.ProjectLike`` and never imports this class. Writes run inside
one store transaction each, so a failure (or Ctrl-C) leaves the project as it was. Tables
come back as pandas DataFrames; pandas is imported only when one is asked for, so the CLI
stays quick. The layers have objects of their own: ``project.idio`` (statements, PETs and
their mapping) and ``project.log`` (the audit log).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from .. import store as stores
from ..codebook.tree import Codebook
from ..coding import tag as tagging
from ..errors import InputError
from ..participants import lookup
from . import identity, opening
from . import settings as configured

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..ingest.pipeline import IngestResult
    from ..method.idiographic import Idiographic
    from ..model import Coding, Line, Memo, Note, Participant, Statement, Theme, Transcript
    from ..store.base import Store
    from ..trail.read import Log

DEFAULTS = configured.DEFAULTS  # where code written before 0.2 found the defaults


class Project:
    """An IPA project: participants, transcripts, a codebook and codings, in one folder."""

    def __init__(self, folder: Path, store: Store):
        self.folder = Path(folder)
        self.store = store
        self._codebook: Codebook | None = None
        self.cache: dict[Any, Any] = {}  # derived results keyed by store version (prevalence)
        # who the audit log names for this session's changes
        store.actor = self._named_coder() or identity.login_name()

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def init(cls, folder: str | Path = ".", *, replace_existing: bool = False,
             database: str | None = None, schema: str | None = None) -> Project:
        """Create a new project in ``folder`` (created if missing); its data goes to the
        PostgreSQL ``database`` (or IPA_DATABASE_URL) when one is named."""
        return cls(Path(folder), opening.new_store(Path(folder), database=database,
                                                   schema=schema,
                                                   replace_existing=replace_existing))

    @classmethod
    def create(cls, folder: str | Path = ".", *, replace_existing: bool = False,
               codebook: str | Path | None = None, participants: str | Path | None = None,
               transcripts: Sequence[str | Path] = (), codings: str | Path | None = None,
               comments: Sequence[str | Path] = (), database: str | None = None,
               schema: str | None = None) -> Project:
        """Create a project and fill it in one go: codebook, participants, transcripts,
        a coding sheet and Word comments.

        All or nothing: on failure a project it was replacing is put back (see opening).
        """
        return opening.create(cls.init, Path(folder), replace_existing=replace_existing,
                              codebook=codebook, participants=participants,
                              transcripts=transcripts, codings=codings, comments=comments,
                              database=database, schema=schema)

    @classmethod
    def open(cls, folder: str | Path | None = None) -> Project:
        """Open the project in ``folder``, or the nearest one above the current folder."""
        return cls(*opening.find(None if folder is None else Path(folder)))

    @classmethod
    def sign_in(cls, folder: str | Path, login: str, password: str) -> Project:
        """Open a PostgreSQL project as one person, with their database login."""
        return cls(Path(folder), stores.open_as(Path(folder), login, password))

    def close(self) -> None:
        _, settings = self.cache.get("settings", (None, None))
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
        return configured.current(self.store, self.cache)

    def setting(self, key: str) -> Any:
        return self.settings().get(key)

    def config(self, key: str | None = None, value: str | None = None) -> dict[str, Any]:
        """Read all settings, one, or set one (values are parsed as YAML scalars/lists)."""
        if key is None:
            return self.settings()
        if value is not None:
            configured.save(self.store, key, value)
        return {configured.known(key): self.settings()[key]}

    def coder(self, coder: str | None = None) -> str:
        """Who new work is stored under: given, else the database login on a shared store,
        setting, $IPA_CODER, else the login name (said once, when first stored under)."""
        return coder or self._named_coder() or identity.login_coder(self.store)

    def _named_coder(self) -> str | None:
        return self.store.login() or self.setting("coder") or os.environ.get("IPA_CODER")

    # -- participants -----------------------------------------------------------------------
    def participant_list(self) -> list[Participant]:
        return lookup.participant_list(self.store)

    def participant(self, code: str) -> Participant:
        return lookup.find_participant(self.store, code)

    def participants(self) -> pd.DataFrame:
        """One row per participant (natural order), attribute columns in import order."""
        from ..participants.roster import participants_frame

        return participants_frame(self.store)

    def import_participants(self, path: str | Path, id_column: str | None = None
                            ) -> dict[str, int]:
        """Add or update participants from a CSV/XLSX table: a named ID column (ID,
        Participant, ... or ``id_column``) plus attributes; P1 and p1 are one participant."""
        from ..sheets.participants import import_participants

        return import_participants(self.store, path, id_column)

    def add_participant(self, code: str, **attributes: str) -> Participant:
        from ..participants.roster import add_participant

        return add_participant(self.store, code, attributes)

    def set_attribute(self, code: str, name: str, value: str | None) -> Participant:
        """Set (or, with None, clear) one attribute of one participant."""
        from ..participants.roster import set_attribute

        return set_attribute(self, code, name, value)

    def type_attribute(self, name: str, kind: str) -> dict[str, str]:
        """Declare an attribute number, category or text (refused while a value misfits)."""
        from ..participants.attributes import set_type

        with self.store.transaction():
            return set_type(self, name, kind)

    # -- transcripts ------------------------------------------------------------------------
    def transcript_list(self) -> list[Transcript]:
        return lookup.transcript_list(self.store)

    def transcripts(self) -> pd.DataFrame:
        from ..participants.roster import transcripts_frame

        return transcripts_frame(self.store)

    def transcript(self, ref: str, name: str | None = None) -> Transcript:
        """Find a transcript by its name or by its participant's ID (when that is unique)."""
        return lookup.find_transcript(self.store, ref, name)

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
        from .display import show

        return show(self, ref, lines, transcript=transcript, speaker=speaker, margin=margin)

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
        from ..codebook.edit import apply_spec
        from ..codebook.file import read_codebook_file

        spec = read_codebook_file(Path(path))
        with self.store.transaction():
            counts = apply_spec(self.store, self.settings()["levels"], spec)
            self._changed()
        return counts

    def export_codebook(self, path: str | Path | None = None) -> str:
        """The codebook as YAML (the import format); written to ``path`` when given."""
        text = self.codebook.to_yaml()
        if path:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def theme_counts(self) -> dict[str, tuple[int, int]]:
        """theme number -> (passages, participants) over the theme's whole subtree;
        participants are counted once however many sub-themes they contribute to."""
        from ..analysis.prevalence import subtree_counts

        return {self.codebook.get(i).number: n for i, n in subtree_counts(self).items()}

    def recurrence(self, rule: str | int | None = None, *, counts: bool = False
                   ) -> pd.DataFrame:
        """Themes x participants as booleans (or passage counts), totals as own columns."""
        from ..analysis.recurrence import recurrence_frame

        return recurrence_frame(self, rule, counts=counts)

    def codebook_tree(self, counts: bool = True, *, by_coder: bool = False) -> str:
        """The codebook as an indented tree, with passages and participants per theme
        (``by_coder``: each coder's own passages too)."""
        from ..analysis.prevalence import codebook_tree

        return codebook_tree(self, counts, by_coder=by_coder)

    def add_theme(self, label: str, parent: str | None = None, *, number: str | None = None,
                  description: str = "", colour: str = "") -> Theme:
        from ..codebook import edit

        number = edit.add_theme(self.store, self.codebook, label, parent, number=number,
                                description=description, colour=colour)
        self._changed()
        return self.codebook.by_number(number)

    def rename_theme(self, ref: str, label: str) -> Theme:
        from ..codebook import edit

        theme_id = edit.rename_theme(self.store, self.codebook, ref, label)
        self._changed()
        return self.codebook.get(theme_id)

    def update_theme(self, ref: str, **fields: Any) -> Theme:
        """Change description, inclusion, exclusion, colour, keywords or retired."""
        from ..codebook import edit

        theme_id = edit.update_theme(self.store, self.codebook, ref, fields)
        self._changed()
        return self.codebook.get(theme_id)

    def move_theme(self, ref: str, parent: str | None, *, number: str | None = None) -> Theme:
        """Move a theme (and its sub-themes) under a new parent, renumbering the subtree."""
        from ..codebook import edit

        theme_id = edit.move_theme(self.store, self.codebook, ref, parent, number=number)
        self._changed()
        return self.codebook.get(theme_id)

    def merge_themes(self, source: str, into: str) -> dict[str, int]:
        """Fold ``source`` into ``into``: codings, memos and sub-themes move, source goes."""
        from ..codebook import edit

        done = edit.merge_themes(self.store, self.codebook, source, into)
        self._changed()
        return done

    def delete_theme(self, ref: str, *, move_codings_to: str | None = None) -> dict[str, int]:
        """Delete a leaf theme; refused while it holds codings or memos unless moved."""
        from ..codebook import edit

        done = edit.delete_theme(self.store, self.codebook, ref,
                                 move_codings_to=move_codings_to)
        self._changed()
        return done

    # -- tagging ----------------------------------------------------------------------------
    def tag(self, ref: str, theme: str, *, lines: tuple[int, int] | str | None = None,
            quote: str | None = None, note: str = "", coder: str | None = None,
            transcript: str | None = None, occurrence: int | None = None,
            exemplar: bool = False, chars: tuple[int, int] | None = None) -> Coding | None:
        """Code a passage (by line range, quote or character offsets, snapped to whole
        words) to a theme; None if it was already coded."""
        return tagging.tag(self, ref, theme, lines=lines, quote=quote, note=note,
                           coder=coder, transcript=transcript, occurrence=occurrence,
                           exemplar=exemplar, chars=chars)

    def untag(self, coding_id: int | None = None, *, ref: str | None = None,
              theme: str | None = None, lines: tuple[int, int] | str | None = None,
              coder: str | None = None, transcript: str | None = None) -> int:
        """Remove a coding by id, or every coding of a theme overlapping some lines."""
        return tagging.untag(self, coding_id, ref=ref, theme=theme, lines=lines,
                             coder=coder, transcript=transcript)

    def reanchor(self, coding_id: int, *, lines: tuple[int, int] | str | None = None,
                 quote: str | None = None, occurrence: int | None = None) -> Coding:
        """Point an (orphaned or misplaced) coding at a new passage."""
        return tagging.reanchor(self, coding_id, lines=lines, quote=quote,
                                occurrence=occurrence)

    def retheme(self, coding_id: int, theme: str) -> Coding:
        """Move one coding to another theme (the browser's re-theme)."""
        return tagging.retheme(self, coding_id, theme)

    def set_exemplar(self, coding_id: int, exemplar: bool = True) -> None:
        tagging.set_exemplar(self, coding_id, exemplar)

    def coding_list(self, *, theme: str | None = None, participant: str | None = None,
                    coder: str | None = None, status: str | None = None) -> list[Coding]:
        from ..coding.table import coding_list

        return coding_list(self, theme=theme, participant=participant, coder=coder,
                           status=status)

    def codings(self, *, theme: str | None = None, participant: str | None = None,
                coder: str | None = None, status: str | None = None,
                speaker: str | None = None) -> pd.DataFrame:
        """All codings as a DataFrame; ``theme`` includes the theme's sub-themes."""
        from ..coding.table import frame

        return frame(self, theme=theme, participant=participant, coder=coder, status=status,
                     speaker=speaker)

    def cite(self, participant: str, start_line: int, end_line: int) -> str:
        return model.cite(self.setting("citation"), participant, start_line, end_line)

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

        return export_transcript(self, ref, Path(path), three_column=three_column,
                                 transcript=transcript)

    # -- co-coders ----------------------------------------------------------------------------
    def merge(self, other: str | Path, *, as_coder: str | None = None) -> dict[str, int]:
        """Bring in a co-coder's codings from another project on the same transcripts
        (matched by content hash; see ``interop.merge``). All or nothing."""
        from ..interop.merge import merge

        return merge(self, other, as_coder=as_coder, opener=type(self).open)

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

    # -- notes and memos (method.notes) -------------------------------------------------------
    def note(self, ref: str, text: str, *, lines: tuple[int, int] | str | None = None,
             quote: str | None = None, kind: str = "descriptive", author: str | None = None,
             transcript: str | None = None) -> Note:
        """An exploratory note (descriptive, linguistic or conceptual) on a passage."""
        from ..method.notes import add_note

        return add_note(self, ref, text, lines=lines, quote=quote, kind=kind, author=author,
                        transcript=transcript)

    def notes(self, participant: str | None = None) -> pd.DataFrame:
        from ..method.notes import notes_frame

        return notes_frame(self, participant)

    def memo(self, theme: str, text: str, *, author: str | None = None) -> Memo:
        from ..method.notes import add_memo

        return add_memo(self, theme, text, author=author)

    def memos(self, theme: str | None = None) -> pd.DataFrame:
        from ..method.notes import memos_frame

        return memos_frame(self, theme)

    # -- the idiographic path (method.idiographic) and the audit log (trail) --------------------
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

    @property
    def log(self) -> Log:
        """The audit log: ``project.log(participant="P3")`` is a DataFrame (filters: theme,
        participant, coder, since, until, entity); ``project.log.replay(folder)``."""
        from ..trail.read import Log

        return Log(self, type(self).init)

    @classmethod
    def replay_export(cls, source: str | Path, out: str | Path) -> dict[str, Any]:
        """Rebuild a project in ``out`` from the log.csv of a plain export and check that
        its export equals that folder (an auditor's check of files they were sent)."""
        from ..trail.replay import replay

        return replay(None, out, source=source, make=cls.init)

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
        return self.store.summary()

    def is_empty(self) -> bool:
        return self.store.is_empty()

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
        """A report table by name (see ``ipa.tables``, i.e. ``report.tables``) as a DataFrame."""
        from ..report.tables import table

        return table(self, name, **options)

    def write_table(self, name: str, path: str | Path | None = None, *, fmt: str = "csv",
                    number: int | None = 1, raw: bool = False, **options: Any
                    ) -> str | Path:
        """Write a table to ``path`` (format from its suffix), or return csv/md/tex/html text;
        ``raw`` keeps CSV cells that look like formulas as they are."""
        from ..report.tables import write

        return write(self, name, None if path is None else Path(path), fmt=fmt, number=number,
                     raw=raw, **options)

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
        from .display import repr_html

        return repr_html(self)

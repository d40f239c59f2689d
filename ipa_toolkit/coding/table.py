"""The codings as a table: one row per coding, in reading order (participant, transcript,
line, theme), with the participant, transcript and theme written out.

``frame`` (``Project.codings()``) makes a DataFrame of these rows; ``write_csv`` writes the
same table as CSV without one (a report's ``codings.csv`` at 100,000 codings spent most of
its time building and converting the frame).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import natural_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Coding
    from ..protocols import ProjectLike

SHARED = "coding rows"  # the project cache's key for rows read once (see ``sharing``)

COLUMNS = ("id", "participant", "transcript", "start_line", "end_line", "quote",
           "theme_number", "theme_label", "theme_path", "coder", "note", "created",
           "status", "exemplar", "start_char", "end_char")
TEXT = {"participant", "transcript", "quote", "theme_number", "theme_label", "theme_path",
        "coder", "note", "created", "status"}  # the columns that hold text


def raw_rows(project: ProjectLike) -> Iterable[tuple]:
    """Every coding as the store gives it (``iter_coding_rows``): the rows read once inside
    ``sharing`` while the data are unchanged, else read now."""
    cached = project.cache.get(SHARED)
    if cached is not None and cached[0] == project.store.version():
        return cached[1]
    return project.store.iter_coding_rows()


@contextmanager
def sharing(project: ProjectLike) -> Iterator[None]:
    """Within this block the codings are read from the store once, for every reader of
    them all (a report counts passages, picks extracts and writes codings.csv from them,
    each a full read at 100,000 codings); forked children take them along (``carry``)."""
    project.cache[SHARED] = (project.store.version(), list(project.store.iter_coding_rows()))
    try:
        yield
    finally:
        project.cache.pop(SHARED, None)


def coding_list(project: ProjectLike, *, theme: str | None = None,
                participant: str | None = None, coder: str | None = None,
                status: str | None = None) -> list[Coding]:
    """The codings as records, by id; ``theme`` includes the theme's sub-themes."""
    store = project.store
    theme_ids = project.codebook.subtree_ids(project.theme(theme)) if theme else None
    if participant:  # the store reads that participant's transcripts, not every coding
        code = project.participant(participant).code
        out = sorted((c for t in store.transcripts() if t.participant == code
                      for c in store.codings(transcript_id=t.id, theme_ids=theme_ids,
                                             coder=coder)), key=lambda c: c.id)
    else:
        out = store.codings(theme_ids=theme_ids, coder=coder)
    if status:
        out = [c for c in out if c.status == status]
    return out


def frame(project: ProjectLike, **filters: str | None) -> pd.DataFrame:
    """The table as a DataFrame (``rows``' filters: theme, participant, coder, status,
    speaker)."""
    import pandas as pd

    return pd.DataFrame.from_records(rows(project, **filters), columns=list(COLUMNS))


def rows(project: ProjectLike, *, theme: str | None = None, participant: str | None = None,
         coder: str | None = None, status: str | None = None,
         speaker: str | None = None) -> list[tuple]:
    """The table's rows in ``COLUMNS`` order; ``theme`` includes the theme's sub-themes."""
    tinfo, theme_info, ordered = _ordered(project, theme=theme, participant=participant,
                                          coder=coder, status=status, speaker=speaker)
    out = []
    for r in ordered:
        t = tinfo[r[1]]
        num, label, path = theme_info[r[2]]
        out.append((r[0], t.participant, t.name, r[3], r[4], r[7], num, label, path, r[8],
                    r[9], r[10], r[11], bool(r[12]), r[5], r[6]))
    return out


def _ordered(project: ProjectLike, *, theme: str | None = None, participant: str | None = None,
             coder: str | None = None, status: str | None = None, speaker: str | None = None
             ) -> tuple[dict, dict[int, tuple[str, str, str]], list[tuple]]:
    """The transcripts by id, (number, label, path) by theme id, and the codings' raw rows
    (``iter_coding_rows``) in reading order."""
    from operator import itemgetter

    cb = project.codebook
    store = project.store
    tinfo = {t.id: t for t in store.transcripts()}
    theme_info = {t.id: (t.number, t.label, cb.path(t)) for t in cb.themes}
    if theme is None and participant is None and status is None:
        raw = raw_rows(project)
        if coder is not None:
            raw = (r for r in raw if r[8] == coder)
    else:
        raw = ((c.id, c.transcript_id, c.theme_id, c.start_line, c.end_line, c.start,
                c.end, c.quote, c.coder, c.note, c.created, c.status, c.exemplar, c.guid)
               for c in coding_list(project, theme=theme, participant=participant,
                                    coder=coder, status=status))
    roles = _roles(project) if speaker else None
    # rank transcripts (participant, name) and themes once, then sort on small integers
    t_rank = {tid: i for i, tid in enumerate(sorted(
        tinfo, key=lambda k: (natural_key(tinfo[k].participant), natural_key(tinfo[k].name))))}
    th_rank = {t.id: i for i, t in enumerate(sorted(cb.themes,
                                                    key=lambda t: natural_key(t.number)))}
    keyed = []
    for r in raw:
        if roles is not None and speaker not in roles[r[1]][r[3] - 1:r[4]]:
            continue
        keyed.append(((t_rank[r[1]], r[3], th_rank[r[2]], r[5], r[6], r[8], r[0]), r))
    keyed.sort(key=itemgetter(0))
    return tinfo, theme_info, [r for _, r in keyed]


def _roles(project: ProjectLike) -> dict[int, list[str | None]]:
    return {t.id: [ln.role for ln in project.store.lines(t.id)]
            for t in project.store.transcripts()}


def write_csv(project: ProjectLike, path: Path, *, raw: bool = False,
              leave_out: tuple[str, ...] = ("created",)) -> Path:
    """Every coding as CSV, as ``project.codings().to_csv(index=False)`` writes it (same
    bytes, without building the DataFrame): UTF-8, \\n line ends, empty cells for missing
    values; formula-like text gets a leading quote unless ``raw``.

    Written column by column (``csv_column``): the csv module's writer, a call per cell,
    took a second at 100,000 codings; a column holds few distinct values but the quotes."""
    from ..sheets.cells import neutralise

    keep = [i for i, c in enumerate(COLUMNS) if c not in leave_out]
    text = set() if raw else {i for i in keep if COLUMNS[i] in TEXT}
    tinfo, theme_info, ordered = _ordered(project)
    count = len(ordered)
    columns = list(zip(*ordered, strict=True)) if ordered else [()] * 14
    del ordered
    header = ",".join(csv_field(COLUMNS[i] if raw else neutralise(COLUMNS[i])) for i in keep)
    cells = []
    for i in keep:
        change = neutralise if i in text else None
        name = COLUMNS[i]
        if name in _RAW:
            cells.append(csv_column(columns[_RAW[name]], change, repeats=name != "quote"))
        elif name == "exemplar":
            cells.append(csv_column(tuple(map(bool, columns[12]))))
        else:  # written out from the transcript (participant, name) or the theme, once each
            key, value = _LOOKUP[name]
            done = {k: csv_field(change(v) if change else v)
                    for k in set(columns[key]) for v in [value(tinfo, theme_info, k)]}
            cells.append(list(map(done.__getitem__, columns[key])))
    del columns
    if len(keep) == 1:  # the csv module quotes a row's only cell when it is empty
        cells = [['""' if c == "" else c for c in cells[0]]]
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n")
        for at in range(0, count, 10_000):  # a chunk at a time: bounded memory
            chunk = zip(*(c[at:at + 10_000] for c in cells), strict=True)
            fh.write("".join([",".join(line) + "\n" for line in chunk]))
    return Path(path)


# the CSV's columns read from the raw row (its index there) or looked up by one of its ids
_RAW = {"id": 0, "start_line": 3, "end_line": 4, "quote": 7, "coder": 8, "note": 9,
        "created": 10, "status": 11, "start_char": 5, "end_char": 6}
_LOOKUP = {"participant": (1, lambda tinfo, themes, k: tinfo[k].participant),
           "transcript": (1, lambda tinfo, themes, k: tinfo[k].name),
           "theme_number": (2, lambda tinfo, themes, k: themes[k][0]),
           "theme_label": (2, lambda tinfo, themes, k: themes[k][1]),
           "theme_path": (2, lambda tinfo, themes, k: themes[k][2])}


def csv_column(values: tuple, change=None, *, repeats: bool = True) -> list[str]:
    """A column's cells as the csv module writes them (``csv_field``), each value passed
    through ``change`` first (``sheets.cells.neutralise`` or None); each distinct value is written
    once, unless the column ``repeats`` few (the quotes: each written as it comes)."""
    from ..sheets.cells import neutralise

    kinds = set(map(type, values))
    if kinds <= {int} or kinds <= {bool}:  # never quoted (bool and 1 are equal keys)
        return list(map(str, values))
    if kinds <= {str, type(None)} and repeats:
        done = {v: csv_field(change(v) if change else v) for v in set(values)}
        return list(map(done.__getitem__, values))
    if kinds <= {str, type(None)} and change in (None, neutralise):
        return _text_cells(values, change is not None)
    return [csv_field(change(v) if change else v) for v in values]


def _text_cells(values: tuple, neutral: bool) -> list[str]:
    """``csv_field`` (after ``neutralise`` when ``neutral``) of text or None, inline: two
    calls per quote were most of codings.csv's time for its longest column."""
    from ..sheets.cells import LEADS, neutralise

    out = []
    for v in values:
        if v is None:
            out.append("")
            continue
        if neutral and v[:1] in LEADS:
            v = neutralise(v)
        if "\r" in v:
            out.append(csv_field(v))
        elif "," in v or '"' in v or "\n" in v:
            out.append('"' + v.replace('"', '""') + '"')
        else:
            out.append(v)
    return out


def csv_field(value: object) -> str:
    """One value as ``csv.writer(lineterminator="\\n")`` writes it in a row of several:
    None empty, text with a comma, quote or line end between quotes (quotes doubled); text
    with a carriage return is left to the csv module (its rule for it varies by version)."""
    if value is None:
        return ""
    text = repr(value) if isinstance(value, float) else str(value)
    if "\r" in text:
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([text, ""])
        return buffer.getvalue()[:-2]  # less the empty last cell's comma and the line end
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text

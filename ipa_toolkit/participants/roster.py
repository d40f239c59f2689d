"""Who the study holds: the participants and transcripts as tables, adding a participant
and setting one attribute. Imports of whole participant tables are in
``sheets.participants``; typed attributes in ``attributes``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import InputError
from . import attributes
from .lookup import find_participant, participant_list, transcript_list

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Participant
    from ..protocols import ProjectLike
    from ..store.base import Store


def participants_frame(store: Store) -> pd.DataFrame:
    """One row per participant (natural order), attribute columns in import order."""
    import pandas as pd

    names = store.attribute_names()
    rows = [{"participant": p.code, **{n: p.attributes.get(n, "") for n in names}}
            for p in participant_list(store)]
    return pd.DataFrame(rows, columns=["participant", *names])


def transcripts_frame(store: Store) -> pd.DataFrame:
    """One row per transcript: its participant, lines, words, format, source and hash."""
    import pandas as pd

    rows = [{"transcript": t.name, "participant": t.participant, "lines": t.n_lines,
             "words": len(store.transcript_text(t.id).split()), "format": t.format,
             "source": t.source, "sha256": t.sha256, "ingested": t.ingested}
            for t in transcript_list(store)]
    return pd.DataFrame(rows, columns=["transcript", "participant", "lines", "words",
                                       "format", "source", "sha256", "ingested"])


def add_participant(store: Store, code: str, attrs: dict[str, str]) -> Participant:
    """A new participant; refused when the ID has spaces or symbols or is taken (in any case)."""
    if not re.fullmatch(r"[\w.\-]+", code):
        raise InputError(f"participant ID '{code}' has spaces or symbols")
    if any(p.code.casefold() == code.casefold() for p in store.participants()):
        raise InputError(f"participant {code} already exists")
    with store.transaction():
        store.upsert_participant(code, attrs)
    return find_participant(store, code)


def set_attribute(project: ProjectLike, code: str, name: str, value: str | None
                  ) -> Participant:
    """Set (or, with None, clear) one attribute of one participant, checked by its type."""
    p = project.participant(code)
    if not name.strip():
        raise InputError("attribute name is empty")
    attributes.check(project, name.strip(), value)
    with project.store.transaction():
        project.store.upsert_participant(p.code, {name.strip(): value})
    return project.participant(p.code)

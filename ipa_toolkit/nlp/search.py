"""``ipa search``: keyword in context, with line citations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError
from ..ingest.lines import line_span_for_chars

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

COLUMNS = ["participant", "transcript", "line", "left", "match", "right", "citation", "themes"]


def search(project: ProjectLike, term: str, *, lemma: bool = False, theme: str | None = None,
           participant: str | None = None, speaker: str | None = None, width: int = 40
           ) -> pd.DataFrame:
    """Every occurrence of ``term`` (a word or phrase; with ``lemma``, any inflection)."""
    import pandas as pd
    from spacy.matcher import PhraseMatcher

    from .pipeline import load

    if not term.strip():
        raise InputError("search for what? the term is empty")
    nlp = load(project.setting("spacy_model"))
    attr = "LEMMA" if lemma else "LOWER"
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    matcher.add("TERM", [nlp(term) if lemma else nlp.make_doc(term)])
    cb = project.codebook
    allowed = cb.subtree_ids(cb.resolve(theme)) if theme else None
    who = project.participant(participant).code if participant else None
    rows = []
    for t in project.transcript_list():
        if who and t.participant != who:
            continue
        text = project.store.transcript_text(t.id)
        lines = project.store.lines(t.id)
        starts = [ln.start for ln in lines]
        codings = [c for c in project.store.codings(transcript_id=t.id) if c.status != "orphaned"]
        doc = nlp(text) if lemma else nlp.make_doc(text)
        for _, s, e in matcher(doc):
            a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            first, last = line_span_for_chars(lines, a, b, starts)
            if speaker and lines[first - 1].role != speaker:
                continue
            over = [c for c in codings if c.start < b and c.end > a]
            if allowed is not None:
                over = [c for c in over if c.theme_id in allowed]
                if not over:
                    continue
            nums = sorted({cb.get(c.theme_id).number for c in over})
            rows.append([t.participant, t.name, first,
                         " ".join(text[max(0, a - width):a].split())[-width:],
                         text[a:b], " ".join(text[b:b + width].split())[:width],
                         project.cite(t.participant, first, last), ", ".join(nums)])
    return pd.DataFrame(rows, columns=COLUMNS)

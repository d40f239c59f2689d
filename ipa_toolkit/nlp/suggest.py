"""``ipa suggest``: uncoded sentences that use a theme's keywords (lemmatised phrases).

Nothing is tagged unless asked: ``accept`` names the suggestions to code (their numbers in
the listing, which is deterministic for an unchanged project).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ingest.lines import line_span_for_chars

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

COLUMNS = ["n", "theme_number", "theme_label", "participant", "start_line", "end_line",
           "keyword", "passage", "citation", "accepted"]


def suggest(project: ProjectLike, theme: str | None = None, *,
            accept: Sequence[int] | str | None = None, coder: str | None = None
            ) -> pd.DataFrame:
    import pandas as pd
    from spacy.matcher import PhraseMatcher

    from ..model import Coding, now
    from .pipeline import load

    cb = project.codebook
    scope = cb.walk(cb.resolve(theme)) if theme else cb.walk()
    themes = [t for t in scope if t.keywords and not t.retired]
    if not themes:
        raise InputError("no theme here has keywords to suggest from",
                         hint="add them in the codebook (keywords: [...]) or with "
                              "'ipa theme set 1.2 --keywords \"grief, loss\"'")
    nlp = load(project.setting("spacy_model"))
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for t in themes:
        matcher.add(str(t.id), [nlp(k) for k in t.keywords])
    rows, todo = [], []
    who, stamp = project.coder(coder), now()  # once per command, not per suggestion
    rank = {t.id: k for k, t in enumerate(themes)}
    for tr in project.transcript_list():
        text = project.store.transcript_text(tr.id)
        lines = project.store.lines(tr.id)
        starts = [ln.start for ln in lines]
        coded = {}
        for c in project.store.codings(transcript_id=tr.id):
            coded.setdefault(c.theme_id, []).append((c.start, c.end))
        doc = nlp(text)
        seen = set()
        for match_id, s, e in matcher(doc):
            tid = int(nlp.vocab.strings[match_id])
            sent = doc[s].sent
            m0, m1 = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            # a sentence never runs past its paragraph (speaker turn)
            a = max(sent.start_char, text.rfind("\n", 0, m0) + 1)
            nl = text.find("\n", m1)
            b = min(sent.end_char, nl if nl >= 0 else len(text))
            while b > a and text[b - 1].isspace():
                b -= 1
            if lines[line_span_for_chars(lines, m0, m1, starts)[0] - 1].role == "interviewer":
                continue
            if (tid, a) in seen or any(cs < b and ce > a for cs, ce in coded.get(tid, [])):
                continue
            seen.add((tid, a))
            first, last = line_span_for_chars(lines, a, b, starts)
            th = cb.get(tid)
            rows.append([th.number, th.label, tr.participant, first, last, doc[s:e].text,
                         " ".join(text[a:b].split()), project.cite(tr.participant, first,
                                                                   last)])
            todo.append(Coding(0, tr.id, tid, first, last, a, b, text[a:b],
                               who, f"suggested: {doc[s:e].text}", stamp))
    order = sorted(range(len(rows)), key=lambda i: (
        rank[todo[i].theme_id], todo[i].transcript_id, todo[i].start))
    rows = [[k + 1, *rows[i], False] for k, i in enumerate(order)]
    todo = [todo[i] for i in order]
    chosen = _chosen(accept, len(rows))
    if chosen:
        with project.store.transaction():
            for n in chosen:
                if project.store.add_coding(todo[n - 1]) is not None:
                    rows[n - 1][-1] = True
    return pd.DataFrame(rows, columns=COLUMNS)


def _chosen(accept: Sequence[int] | str | None, n: int) -> list[int]:
    if accept is None or accept == "":
        return []
    if isinstance(accept, str):
        if accept.strip().lower() == "all":
            return list(range(1, n + 1))
        try:
            picked = []
            for part in accept.split(","):
                if "-" in part:
                    a, b = part.split("-")
                    picked += range(int(a), int(b) + 1)
                elif part.strip():
                    picked.append(int(part))
        except ValueError:
            raise InputError(f"--accept '{accept}' is not a list of numbers",
                             hint="e.g. --accept 1,3,5-7 or --accept all") from None
    else:
        picked = list(accept)
    bad = [k for k in picked if not 1 <= k <= n]
    if bad:
        raise InputError(f"no suggestion number {bad[0]} (there are {n})")
    return sorted(set(picked))

"""``ipa anonymise``: find identifiers left in transcripts; replace names from a key file.

The key file (real name -> pseudonym) is read, never stored: not in the project, not in any
export. The replacement log names what was replaced where; it is written where the user
says (by default beside the key file), never into the project.

``apply`` leaves no key name behind: transcripts and coded quotes (offsets and line numbers
follow), every free-text field (transcript and source names, attribute values, speaker
labels, notes, memos, theme labels and descriptions, coders, settings), then the store is
vacuumed with secure delete and old backups are removed, so no free page keeps a name.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, ValidationReport
from ..ingest.lines import line_span_for_chars, number_lines
from ..store.log import map_strings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

PATTERNS = {
    "email": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    "phone": re.compile(r"(?<![\w])(?:\+44\s?7\d{3}|\(?07\d{3}\)?|\+44\s?\(?0?\)?\s?\d{2,4}|"
                        r"\(?0\d{2,4}\)?)[\s-]?\d{3}[\s-]?\d{3,4}\b"),
    "postcode": re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?"
                           r"\d[ABD-HJLNP-UW-Z]{2})\b"),
    "date": re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|\d{1,2}(?:st|nd|rd|th)? "
                       r"(?:of )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* "
                       r"(?:19|20)\d{2}|(?:born|birthday|date of birth|d\.o\.b\.?)"
                       r"(?: (?:on|in|is|was))? [^.;\n]{0,30}?\b(?:19|20)\d{2})\b", re.I),
    "address": re.compile(r"\b\d{1,4}[a-zA-Z]?,? (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Road|Rd|"
                          r"Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Place|Gardens|"
                          r"Terrace|Court|Grove|Hill|Park|Square|Row|Mews)\b"),
}
NER_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place"}
# Capitalised words that are not identifiers although no dictionary lists them.
ALLOWED = {w.lower() for w in (
    "I Mum Mam Dad Nan Nana Grandad Granddad Grandma Grandpa Christmas Easter English "
    "British Britain Irish Scottish Welsh God OK Facebook Google Instagram WhatsApp Zoom "
    "Teams NHS GP CPS Interviewer Participant Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October "
    "November December Mr Mrs Ms Miss Dr Yeah Yes Yep No Nope Oh Okay Um Erm Er Hmm Mm Uh "
    "Ah Aye").split()}


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str


def load_key(path: str | Path) -> list[tuple[str, str]]:
    """(real name, pseudonym) pairs from a CSV/XLSX key; pseudonyms get [brackets]."""
    from ..sheets.read import read_sheet

    sheet = read_sheet(Path(path))
    real = sheet.column("name", "real name", "real", "original", "identifier", "word")
    fake = sheet.column("pseudonym", "replacement", "replace with", "label", "code")
    if real is None or fake is None:
        raise InputError("a key file needs a 'name' and a 'pseudonym' column", path=str(path),
                         line=1, hint="columns found: " + ", ".join(sheet.header))
    pairs, problems, seen = [], [], {}
    for line, row in sheet.rows:
        name, pseudo = row[real].strip(), row[fake].strip()
        if not name or not pseudo:
            problems.append(f"{path}, line {line}: a name and its pseudonym are both needed")
            continue
        if name.casefold() in seen:
            problems.append(f"{path}, line {line}: '{name}' repeats line {seen[name.casefold()]}")
            continue
        seen[name.casefold()] = line
        if _UNSAFE.search(name + pseudo):
            problems.append(f"{path}, line {line}: names and pseudonyms cannot hold quotes, "
                            "backslashes or line breaks")
            continue
        if not (pseudo.startswith("[") and pseudo.endswith("]")):
            pseudo = f"[{pseudo}]"
        pairs.append((name, pseudo))
    names = key_pattern(pairs) if pairs else None
    for name, pseudo in pairs:  # "[Al 2]" for Al would be replaced again, and give Al away
        hit = names.search(pseudo) if names else None
        if hit:
            problems.append(f"{path}: the pseudonym {pseudo} for '{name}' holds the key name "
                            f"'{hit.group(0)}'")
    if problems:
        raise ValidationReport(f"{path}: {len(problems)} bad row(s) in the key", problems)
    if not pairs:
        raise InputError("the key file lists no names", path=str(path))
    return pairs


_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f]')
_LETTER = r"[^\W\d_]"


def key_pattern(pairs: list[tuple[str, str]]) -> re.Pattern:
    """Whole words, longest first, any case: 'Al' never matches inside 'Also' or 'Sal'.

    Only letters bind a name to its neighbours, so 'P2_Bartholomew' (a file name) and
    'Bartholomew2' still give the name up.
    """
    names = sorted((n for n, _ in pairs), key=len, reverse=True)
    body = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!{_LETTER})(?:{body})(?!{_LETTER})", re.IGNORECASE)


def find_identifiers(nlp, text: str, key: re.Pattern | None = None,
                     labels: set[str] | None = None) -> list[Hit]:
    """Suspected identifiers in one text (no duplicates; sorted by position)."""
    from .pipeline import has_ner, known_word

    hits: dict[tuple[int, int], str] = {}
    for kind, rx in PATTERNS.items():
        for m in rx.finditer(text):
            hits.setdefault((m.start(), m.end()), kind)
    if key is not None:
        for m in key.finditer(text):
            hits[(m.start(), m.end())] = "key"
    doc = nlp(text)
    labels = {x.casefold() for x in labels or ()}
    if has_ner(nlp):
        for ent in doc.ents:
            kind = NER_KINDS.get(ent.label_)
            if not kind or ent.text.lower() in ALLOWED or ent.text.casefold() in labels:
                continue
            if len(ent) == 1 and known_word(ent.text):  # "Broken" opening a sentence
                continue
            hits.setdefault((ent.start_char, ent.end_char), kind)
    else:
        line_starts = {0, *(m.end() for m in re.finditer("\n", text))}
        for tok in doc:
            word = tok.text
            if (not tok.is_title or tok.is_sent_start or tok.idx in line_starts
                    or len(word) < 2 or word.lower() in ALLOWED or word.casefold() in labels
                    or tok.is_stop or known_word(word)
                    or text[tok.idx + len(word):tok.idx + len(word) + 1] == ":"):
                continue
            if word.lower().rstrip("s") in ALLOWED:  # "Saturdays"
                continue
            start = tok.idx
            prev = tok.nbor(-1) if tok.i > 0 else None
            if (prev is not None and prev.is_title and prev.idx + len(prev.text) + 1 == start
                    and not prev.is_sent_start and prev.idx not in line_starts):
                start = prev.idx  # "New Zealand", "St Albans": one name
            hits.setdefault((start, tok.idx + len(word)), "name?")
    spans = sorted(hits.items())
    out: list[Hit] = []
    for (s, e), kind in spans:  # drop hits inside an earlier, longer hit
        if out and s < out[-1].end:
            continue
        out.append(Hit(s, e, kind))
    return out


def check(project: ProjectLike, key: str | Path | None = None) -> pd.DataFrame:
    """Suspected identifiers left in the transcripts, with line numbers."""
    import pandas as pd

    from .pipeline import load

    nlp = load(project.setting("spacy_model"))
    pattern = key_pattern(load_key(key)) if key else None
    labels = {p.code for p in project.participant_list()} | set(
        project.setting("interviewer_labels"))
    rows = []
    for t in project.transcript_list():
        text = project.store.transcript_text(t.id)
        lines = project.store.lines(t.id)
        for h in find_identifiers(nlp, text, pattern, labels):
            line, _ = line_span_for_chars(lines, h.start, h.end)
            rows.append([t.participant, t.name, line, h.kind, text[h.start:h.end],
                         " ".join(text[max(0, h.start - 30):h.end + 30].split())])
    return pd.DataFrame(rows, columns=["participant", "transcript", "line", "kind", "text",
                                       "context"])


def _shift(repls: list[tuple[int, int, int]]):
    """old offset -> new offset, given replacements (old start, old end, new length)."""
    starts = [s for s, _, _ in repls]
    deltas, total = [], 0
    for s, e, n in repls:
        total += n - (e - s)
        deltas.append(total)

    def move(pos: int, end: bool = False) -> int:
        i = bisect_right(starts, pos) - 1
        if i < 0:
            return pos
        s, e, n = repls[i]
        before = deltas[i - 1] if i else 0
        if pos < e:  # inside a replaced name: snap to its new edges
            return s + before + (n if end and pos > s else 0)
        return pos + deltas[i]
    return move


def _outside(project: ProjectLike, path: Path, what: str) -> None:
    folder = Path(project.folder).resolve()
    if folder == path.resolve() or folder in path.resolve().parents:
        raise InputError(f"the {what} names the real names and must stay outside the project",
                         path=str(path), hint="keep it in another folder")


def _turns(text: str, lines) -> list[tuple[str | None, str | None]]:
    """(speaker, role) of each paragraph, from the line that opens it."""
    by_start = {ln.start: ln for ln in lines}
    out, pos = [], 0
    for para in text.split("\n"):
        ln = by_start.get(pos)
        out.append((ln.speaker, ln.role) if ln else (None, None))
        pos += len(para) + 1
    return out


def apply(project: ProjectLike, key: str | Path, log: str | Path | None = None
          ) -> dict[str, int]:
    """Replace every key name with its pseudonym wherever the project holds text."""
    import csv
    from dataclasses import replace

    pairs = load_key(key)
    pattern = key_pattern(pairs)
    pseudo = {n.casefold(): p for n, p in pairs}

    def swap(m: re.Match) -> str:
        return pseudo[m.group(0).casefold()]

    def scrub(value: str) -> str:
        return pattern.sub(swap, value)

    log_path = Path(log) if log else Path(key).with_name(Path(key).stem + ".log.csv")
    _outside(project, Path(key), "key file")
    _outside(project, log_path, "replacement log")
    settings = project.settings()
    entries: list[list[str]] = []
    done = {"transcripts": 0, "replacements": 0, "codings": 0, "notes": 0, "renumbered": 0}
    store = project.store
    names = [scrub(t.name).casefold() for t in project.transcript_list()]
    if len(set(names)) < len(names):
        raise InputError("two transcripts would get the same name after anonymising",
                         path=str(key), hint="give their names distinct pseudonyms")
    store.secure_delete()
    if getattr(store, "command", ""):  # what the log files this run's own entries under
        store.command = scrub(store.command)
    with store.transaction():
        for t in project.transcript_list():
            text = store.transcript_text(t.id)
            repls, parts, last, found = [], [], 0, []
            for m in pattern.finditer(text):
                new = swap(m)
                repls.append((m.start(), m.end(), len(new)))
                parts += [text[last:m.start()], new]
                last = m.end()
                found.append((m.group(0), new, m.start()))
            if not repls:
                continue
            parts.append(text[last:])
            new_text = "".join(parts)
            move = _shift(repls)
            old_lines = store.lines(t.id)
            turns = _turns(text, old_lines)
            paragraphs = new_text.split("\n")
            starts = [0]
            for p in paragraphs[:-1]:
                starts.append(starts[-1] + len(p) + 1)
            cues: list[list[tuple[int, str]]] = [[] for _ in paragraphs]
            for ln in old_lines:  # keep each line's caption time where its text moved
                if ln.timestamp:
                    pos = move(ln.start)
                    k = bisect_right(starts, pos) - 1
                    cues[k].append((pos - starts[k], ln.timestamp))
            new_text, lines = number_lines(
                paragraphs, width=t.width, speaker_pattern=settings["speaker_pattern"],
                interviewer_labels=settings["interviewer_labels"],
                cues=cues if any(cues) else None)
            # each turn keeps its speaker and role: "[Jane]:" no longer reads as a label
            lines = [replace(ln, speaker=scrub(who) if who else who, role=role)
                     for ln in lines
                     for who, role in [turns[bisect_right(starts, ln.start) - 1]]]
            store.replace_transcript(t.id, source=t.source, format=t.format,
                                     sha256=hashlib.sha256(new_text.encode()).hexdigest(),
                                     width=t.width, text=new_text, lines=lines,
                                     ingested=t.ingested)
            for c in store.codings(transcript_id=t.id):
                if c.status == "orphaned":  # its offsets mean nothing; its quote is scrubbed
                    continue
                s, e = move(c.start), move(c.end, end=True)
                a, b = line_span_for_chars(lines, s, e)
                store.update_coding(c.id, start_char=s, end_char=e, start_line=a, end_line=b,
                                    quote=new_text[s:e])
                done["codings"] += 1
            for n in store.notes(t.id):
                s, e = move(n.start), move(n.end, end=True)
                a, b = line_span_for_chars(lines, s, e)
                store.update_note(n.id, start_char=s, end_char=e, start_line=a, end_line=b)
                done["notes"] += 1
            for st in store.statements([t.id]):
                if st.status == "orphaned":
                    continue
                s, e = move(st.start), move(st.end, end=True)
                a, b = line_span_for_chars(lines, s, e)
                store.update_statement(st.id, start_char=s, end_char=e, start_line=a,
                                       end_line=b, quote=new_text[s:e])
            for original, new, pos in found:
                line = line_span_for_chars(lines, move(pos), move(pos) + 1)[0]
                entries.append([t.name, original, new, str(line)])
            done["transcripts"] += 1
            done["replacements"] += len(repls)
            done["renumbered"] += len(lines) != len(old_lines)
        done["fields"] = store.rewrite_free_text(scrub)
        for name, value in store.settings().items():
            if name == "speaker_pattern":
                continue
            if (clean := map_strings(value, scrub)) != value:
                store.set_setting(name, clean)
                done["fields"] += 1
        # the audit log's earlier snapshots hold the names too: the one sanctioned rewrite
        done["log_rows_redacted"] = store.redact_log(scrub)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        from ..sheets.cells import neutralise  # a name like '=HYPERLINK(...)' stays text

        with open(log_path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["transcript", "original", "replacement", "line"])
            w.writerows([neutralise(c) for c in row] for row in entries)
    store.vacuum()  # no free page, journal or backup keeps an old value
    for old in Path(project.folder).glob("*.bak"):
        old.unlink()
    done["log"] = str(log_path)
    return done

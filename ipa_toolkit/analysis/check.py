"""``ipa check``: an IPA quality lint that can gate a build (non-zero exit on failure).

Support per theme follows Smith (2011) by sample size: with 1-3 participants every theme
should be supported by every participant; with 4-8, by at least 3; with more than 8, by at
least 4 (and report prevalence). The ``min_participants`` setting overrides this (a number
or a rule such as ``half``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .prevalence import group_depth, overlapping_codings, prevalence, recurrence_threshold

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str  # "fail" or "warn"
    message: str


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "fail" for f in self.findings)

    def text(self) -> str:
        out = [f"{f.severity.upper():4}  {f.check}: {f.message}" for f in self.findings]
        out += [f"ok    {name}" for name in self.passed]
        fails = sum(f.severity == "fail" for f in self.findings)
        out.append(f"{fails} check(s) failed, {len(self.findings) - fails} warning(s)"
                   if self.findings else "all checks passed")
        return "\n".join(out)


def smith_minimum(n: int) -> int:
    """Participants a theme needs, by sample size (Smith 2011)."""
    if n <= 3:
        return max(n, 1)
    if n <= 8:
        return 3
    return 4


def _overlaps(project: ProjectLike) -> list[Finding]:
    """Codings of one theme that overlap in one transcript: counted as one passage, listed
    so they can be tidied (ipa untag ID)."""
    by_id = {t.id: t for t in project.codebook.themes}
    transcripts = {t.id: t for t in project.store.transcripts()}
    out = []
    for group in overlapping_codings(project):
        t = transcripts[group[0][1]]
        first, last = min(r[3] for r in group), max(r[4] for r in group)
        who = ", ".join(f"#{r[0]} ({r[8]}, {r[3]}-{r[4]})" for r in group)
        out.append(Finding("overlapping codings", "warn",
                           f"theme {by_id[group[0][2]].number} in {t.participant} "
                           f"({t.name}, lines {first}-{last}): codings {who} overlap and "
                           "count as one passage"))
    return out


def check(project: ProjectLike, *, min_participants: str | int | None = None,
          max_words: int | None = None) -> CheckReport:
    cb = project.codebook
    prev = prevalence(project)
    n = len(prev.participants)
    rule = min_participants if min_participants is not None else \
        project.setting("min_participants")
    need = recurrence_threshold(rule, n) if rule not in (None, "") else smith_minimum(n)
    max_words = max_words or int(project.setting("quote_max_words"))
    report = CheckReport()

    def run(name: str, findings: list[Finding]) -> None:
        if findings:
            report.findings.extend(findings)
        else:
            report.passed.append(name)

    if not cb.themes:
        report.findings.append(Finding("codebook", "fail", "the codebook is empty "
                                       "(ipa codebook import FILE.yaml)"))
        return report
    gd = group_depth(cb)
    active = [t for t in cb.walk() if not t.retired]
    run("support", [Finding("support", "fail",
                            f"theme {t.number} '{t.label}' is supported by "
                            f"{len(prev.contributors(t))} of {n} participants (needs {need})")
                    for t in active if cb.depth(t) >= gd
                    and 0 < len(prev.contributors(t)) < need])
    run("empty themes", [Finding("empty themes", "fail",
                                 f"theme {t.number} '{t.label}' has no passages")
                         for t in active if not prev.total_passages(t)])
    contributing = {p for by in prev.passages.values() for p in by}
    run("silent participants", [Finding("silent participants", "warn",
                                        f"participant {p} contributes to no theme")
                                for p in prev.participants if p not in contributing])
    from ..coding.table import frame

    codings = frame(project)
    retired = {t.number for t in cb.themes if t.retired}
    bad = codings[codings.theme_number.isin(retired)] if len(codings) else codings
    run("retired themes", [Finding("retired themes", "fail",
                                   f"passage #{r.id} ({r.participant}, {r.start_line}-"
                                   f"{r.end_line}) is coded to retired theme {r.theme_number}")
                           for r in bad.itertuples()])
    orphans = codings[codings.status == "orphaned"] if len(codings) else codings
    run("orphaned codings", [Finding("orphaned codings", "fail",
                                     f"coding #{r.id} of {r.theme_number} in {r.transcript} "
                                     "lost its passage when the transcript changed "
                                     "(ipa reanchor)") for r in orphans.itertuples()])
    run("overlapping codings", _overlaps(project))
    run("long quotes", [Finding("long quotes", "warn",
                                f"passage #{r.id} ({r.participant}, {r.start_line}-"
                                f"{r.end_line}) has {len(r.quote.split())} words "
                                f"(limit {max_words})")
                        for r in codings.itertuples() if len(r.quote.split()) > max_words])
    _idiographic(project, run)
    return report


def _idiographic(project: ProjectLike, run) -> None:
    """With PETs or statements: every PET should feed a GET, every statement a PET."""
    store = project.store
    pets, stmts = store.pets(), store.statements()
    if not pets and not stmts:
        return
    codes = {p.id: p.code for p in store.participants()}
    mapped = {pid for pid, _ in store.pet_themes()}
    parents = {p.parent_id for p in pets}
    by_id = {p.id: p for p in pets}

    def fed(p) -> bool:  # mapped itself or through the PET it sits under
        while p is not None:
            if p.id in mapped:
                return True
            p = by_id.get(p.parent_id)
        return False

    from ..terms import for_project

    w = for_project(project).words()  # the names and details in the project's terms
    # 2022: 'unmapped PETs', 'unclustered statements'; 2009: '... case themes', '... emergent
    # themes'; generic: '... case themes', '... codes'
    unmapped = f"unmapped {w['pets']}"
    units = "statements" if w["unit"] == "experiential statement" else w["units"]
    unclustered = f"unclustered {units}"
    run(unmapped, [Finding(unmapped, "warn",
                           f"{w['Pet']} {codes[p.participant_id]}:{p.number} '{p.label}' "
                           f"feeds no {w['group']} (ipa pet map "
                           f"{codes[p.participant_id]}:{p.number} THEME)")
                   for p in pets if not fed(p) and p.id not in parents])
    clustered = {sid for _, sid in store.pet_statements()}
    owner = {t.id: t.participant for t in store.transcripts()}
    run(unclustered, [Finding(unclustered, "warn",
                              f"{w['unit']} #{s.id} '{s.text}' "
                              + project.cite(owner[s.transcript_id], s.start_line, s.end_line)
                              + f" is in no {w['pet']}")
                      for s in stmts if s.id not in clustered])

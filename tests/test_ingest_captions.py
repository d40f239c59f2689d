"""Caption and transcription-service formats: turns merged, times kept, speakers mapped."""

from __future__ import annotations

import pytest

from ipa_toolkit.errors import InputError
from ipa_toolkit.ingest import read_document

from .conftest import DATA

CAP = DATA / "captions"


def test_zoom_vtt_merges_turns_and_keeps_times_per_line(project):
    [r] = project.ingest(CAP / "P4_zoom.vtt", width=40, interviewers=["Dr Jones"])
    assert (r.participant, r.lines) == ("P4", 10)
    lines = project.lines("P4")
    assert [ln.text for ln in lines[:3]] == ["Interviewer: Thank you for joining. How",
                                             "did you find out?",
                                             "P4: It was very early in the morning,"]
    assert [ln.timestamp for ln in lines] == ["00:00:01", "00:00:01", "00:00:04", "00:00:04",
                                              "00:00:09", "00:00:09", "00:00:09", "00:00:09",
                                              "00:00:15", "00:01:02"]
    assert [ln.role for ln in lines][:4] == ["interviewer"] * 2 + ["participant"] * 2
    assert "Sam Lee" not in project.text("P4") and "Dr Jones" not in project.text("P4")
    assert "00:00:09  said my husband" in project.show("P4", (6, 6))


def test_teams_voice_tags_and_srt(project):
    project.ingest([CAP / "P5_teams.vtt", CAP / "P6.srt"])
    assert project.text("P5") == "Interviewer: How are things now?\nP5: Better, I think. Slowly."
    assert project.text("P6").splitlines()[1] == "P6: Thank you for having me."
    assert [ln.timestamp for ln in project.lines("P6")] == ["00:00:01", "00:00:05"]


def test_transcription_service_layout(project):
    project.ingest(CAP / "P7_otter.txt", interviewers=["Jane Doe"])
    assert project.text("P7").splitlines() == [
        "Interview with P7 (fictional)", "Interviewer: So tell me about the day.",
        "P7: It was a Tuesday. I remember the bins.", "Interviewer: And then?"]
    assert [ln.timestamp for ln in project.lines("P7")] == [None, "00:00:03", "00:00:10",
                                                            "00:01:02"]


def test_unknown_interviewer_keeps_names_with_a_warning(project):
    [r] = project.ingest(CAP / "P4_zoom.vtt")
    assert any("--interviewer" in w for w in r.warnings)
    assert project.text("P4").startswith("Dr Jones: Thank you")


def test_broken_caption_file_is_one_clear_error():
    with pytest.raises(InputError) as info:
        read_document(CAP / "broken.vtt")
    assert "broken.vtt" in info.value.format() and "VTT" in info.value.message

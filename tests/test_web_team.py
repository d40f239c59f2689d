"""``ipa serve`` team mode on a PostgreSQL project: each person signs in with their database
login and codes under it (the server comes from pgserver, as in test_postgres)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("psycopg")

from starlette.testclient import TestClient  # noqa: E402

from ipa_toolkit.project import Project  # noqa: E402
from ipa_toolkit.web import create_app  # noqa: E402

from .conftest import DATA, _leftovers, drop_new  # noqa: E402
from .web_support import csrf_of  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def team(pg_url, monkeypatch, tmp_path: Path):
    before = _leftovers(pg_url)
    monkeypatch.setenv("IPA_DATABASE_URL", pg_url)
    p = Project.create(tmp_path / "team", codebook=DATA / "codebook_small.yaml",
                       participants=DATA / "participants.csv",
                       transcripts=[DATA / "P2_cp1252.txt"])
    p.grant("ipatest_carol", "coder")
    monkeypatch.delenv("IPA_DATABASE_URL")
    yield p
    p.close()
    drop_new(pg_url, before)


def test_each_person_signs_in_with_their_database_login(team: Project):
    folder = team.folder
    app = create_app(folder, sign_in=lambda login, pw: Project.sign_in(folder, login, pw))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
        bad = c.post("/login", data={"login": "ipatest_nobody", "password": "x", "csrf": csrf})
        assert bad.status_code == 401 and "cannot connect" in bad.text
        ok = c.post("/login", data={"login": "ipatest_carol", "password": "", "csrf": csrf})
        assert ok.status_code == 200 and "Signed in as <b>ipatest_carol</b>" in ok.text
        r = c.post("/api/code", headers={"X-CSRF-Token": csrf_of(ok.text)},
                   json={"transcript": "P2", "theme": team.codebook.walk()[-1].number,
                         "lines": "3-4"})
        assert r.status_code == 200, r.text
    coded = [c for c in team.coding_list() if c.id == r.json()["id"]]
    assert [c.coder for c in coded] == ["ipatest_carol"]    # the login, not a setting

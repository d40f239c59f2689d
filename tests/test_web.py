"""``ipa serve`` at the request level: access, CSRF, escaping and every route.

Real projects, Starlette's TestClient in front of the real app; nothing is mocked.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx2")

from starlette.testclient import TestClient  # noqa: E402

from ipa_toolkit.project import Project  # noqa: E402
from ipa_toolkit.web import create_app  # noqa: E402

from .conftest import dump  # noqa: E402
from .web_support import TOKEN, csrf_of, live_server  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
HOSTILE = ("P9: I said <script>alert('x')</script> and <b>bold</b> & more, "
           "then <img src=x onerror=alert(1)>.")


@pytest.fixture
def client(sample: Project):
    with TestClient(create_app(sample.folder, TOKEN), base_url="http://127.0.0.1") as c:
        r = c.get(f"/?token={TOKEN}", follow_redirects=False)
        assert r.status_code == 303
        c.headers["X-CSRF-Token"] = csrf_of(c.get("/").text)
        yield c


def test_nothing_is_served_without_the_token_or_a_session(sample: Project):
    with TestClient(create_app(sample.folder, TOKEN), base_url="http://127.0.0.1") as c:
        for path in ["/", "/t/P3", "/codebook", "/tables", "/search?q=police", "/api/version",
                     "/api/t/P3", "/static/app.css", "/download/table/quotes.csv",
                     "/report.docx", "/nothing-here"]:
            r = c.get(path)
            assert r.status_code == 403, path
            assert "daughter" not in r.text and "Mourning" not in r.text
        assert c.get("/?token=wrong").status_code == 403
        c.cookies.set("ipa_session", "made-up")
        assert c.get("/").status_code == 403
        assert c.post("/api/code", json={}).status_code == 403


def test_the_token_becomes_an_httponly_strict_session_cookie(sample: Project):
    with TestClient(create_app(sample.folder, TOKEN), base_url="http://127.0.0.1") as c:
        r = c.get(f"/t/P3?token={TOKEN}&x=1", follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == "/t/P3?x=1"  # the token leaves the address bar
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        page = c.get("/t/P3")
        assert page.status_code == 200 and "P3" in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert page.headers["referrer-policy"] == "no-referrer"


def test_every_write_needs_the_csrf_token(client: TestClient, sample: Project):
    before = dump(sample.folder)
    body = {"transcript": "P3", "theme": "1.2", "lines": "12-13"}
    good = client.headers.pop("X-CSRF-Token")
    assert client.post("/api/code", json=body).status_code == 403
    assert client.post("/api/code", json=body, headers={"X-CSRF-Token": "nope"}).status_code == 403
    assert client.post("/api/theme/add", json={"label": "X"}).status_code == 403
    foreign = {"X-CSRF-Token": good, "Origin": "http://evil.example"}
    assert client.post("/api/code", json=body, headers=foreign).status_code == 403
    assert dump(sample.folder) == before
    r = client.post("/api/code", json=body, headers={"X-CSRF-Token": good})
    assert r.status_code == 200 and r.json()["citation"] == "(P3, 12-13)"


def test_a_transcript_holding_html_is_shown_as_text(client: TestClient, sample: Project,
                                                     tmp_path: Path):
    f = tmp_path / "P9b.txt"
    f.write_text("Interviewer: Tell me.\n" + HOSTILE + "\n", encoding="utf-8")
    sample.ingest(f, participant="P9")
    sample.add_theme("<img src=y onerror=alert(2)> label", "1")
    page = client.get("/t/P9b").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    # the picker's theme list travels as JSON inside the page: no tag can close it early
    assert "<img src=y" not in page and "</script><" not in page.split('id="state">')[1][:-40]
    codebook = client.get("/codebook").text
    assert "<img src=y" not in codebook and "&lt;img src=y onerror=alert(2)&gt;" in codebook
    found = client.get("/search", params={"q": "said"}).text
    assert "<b>bold" not in found and "&lt;b&gt;" in found
    q = client.get("/search", params={"q": "<script>"}).text
    assert 'value="&lt;script&gt;"' in q


def test_pages_and_reads(client: TestClient):
    home = client.get("/")
    assert home.status_code == 200 and 'href="/t/P10"' in home.text
    t = client.get("/t/P3")
    assert t.status_code == 200
    assert 'id="L112"' in t.text or 'id="L100"' in t.text
    assert client.get("/t/P99").status_code == 404
    cb = client.get("/codebook").text
    assert "Mourning your life" in cb and "passages" in cb
    tables = client.get("/tables").text
    assert "Meets recurrence" in tables and "Citation" in tables and "/download/table/" in tables
    hits = client.get("/search", params={"q": "police"}).text
    assert 'href="/t/P3#L' in hits and "<mark>police</mark>" in hits
    assert client.get("/api/version").json()["version"]
    state = client.get("/api/t/P3").json()
    assert state["codings"] and {"id", "theme", "colour", "citation"} <= set(state["codings"][0])
    assert client.get("/api/t/nobody").status_code == 404
    assert client.get("/api/codebook").json()["roots"][0]["number"] == "A"
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_notes_and_experiential_statements_come_with_the_transcript(client: TestClient,
                                                                    sample: Project):
    sample.note("P3", "speaks of <herself> in the past tense", lines="40-41", kind="linguistic")
    sample.add_statement("P3", "The family as already lost", lines="40-44", note="cf. 1.2")
    state = client.get("/api/t/P3").json()
    assert any(n["kind"] == "linguistic" and n["start_line"] == 40 for n in state["notes"])
    got = [(s["text"], s["start_line"], s["end_line"]) for s in state["statements"]]
    assert ("The family as already lost", 40, 44) in got  # beside the sample's own
    assert len(got) == len(sample.statements("P3"))
    assert client.get("/api/t/P2").json()["statements"] == []  # P2 has none
    page = client.get("/t/P3").text
    assert "The family as already lost" in page          # in the page's JSON, where
    assert "<herself>" not in page and "\\u003cherself\\u003e" in page  # no tag survives


def test_no_directory_listing_and_no_path_escape(client: TestClient):
    for path in ["/static/", "/static", "/static/..%2Fapp.py", "/static/../app.py",
                 "/templates/base.html", "/static/%2E%2E%2Fhost.py"]:
        r = client.get(path)
        assert r.status_code == 404, path
        assert "import" not in r.text
    assert client.get("/download/table/secrets.csv").status_code == 404
    assert client.get("/download/table/quotes.exe").status_code == 404


def test_downloads_are_the_files_ipa_writes(client: TestClient, sample: Project, tmp_path: Path):
    import docx
    import openpyxl

    r = client.get("/download/table/recurrence.docx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    table = docx.Document(io.BytesIO(r.content)).tables[0]
    assert table.rows[0].cells[0].text == "Theme"
    r = client.get("/download/table/quotes.xlsx")
    assert openpyxl.load_workbook(io.BytesIO(r.content)).active.max_row > 5
    r = client.get("/download/table/themes.csv")
    sample.write_table("themes", tmp_path / "themes.csv")
    assert r.content == (tmp_path / "themes.csv").read_bytes()
    png = client.get("/download/chart/prevalence.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(png.content) > 10_000
    report = client.get("/report.docx")
    assert "Table 3" in "\n".join(p.text for p in docx.Document(io.BytesIO(report.content))
                                  .paragraphs)


def test_code_a_selection_snaps_to_whole_words(client: TestClient, sample: Project):
    line = sample.lines("P3", 12, 12)[0]
    start = line.text.index("forty-five") + 3           # mid-word
    end = line.text.index("children") + 4               # mid-word
    r = client.post("/api/code", json={"transcript": "P3", "theme": "1.2",
                                       "start": line.start + start, "end": line.start + end})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["quote"].startswith("forty-five") and got["quote"].endswith("children")
    assert got["citation"] == "(P3, 12)"
    df = sample.codings(participant="P3")
    row = df[df["id"] == got["id"]].iloc[0]
    assert row["theme_number"] == "1.2" and row["quote"] == got["quote"]
    again = client.post("/api/code", json={"transcript": "P3", "theme": "1.2",
                                           "start": line.start + start,
                                           "end": line.start + end}).json()
    assert again["duplicate"] is True


def test_retheme_exemplar_and_remove(client: TestClient, sample: Project):
    cid = client.post("/api/code", json={"transcript": "P3", "theme": "1.2",
                                         "lines": "20-21"}).json()["id"]
    assert client.post("/api/retheme", json={"id": cid, "theme": "2.1"}).status_code == 200
    assert client.post("/api/exemplar", json={"id": cid, "exemplar": True}).status_code == 200
    c = next(c for c in sample.coding_list() if c.id == cid)
    assert sample.codebook.get(c.theme_id).number == "2.1" and c.exemplar
    assert client.post("/api/uncode", json={"id": cid}).status_code == 200
    assert all(c.id != cid for c in sample.coding_list())


def test_codebook_edits(client: TestClient, sample: Project):
    post = client.post
    new = post("/api/theme/add", json={"label": "Reluctant hope", "parent": "2"}).json()
    assert new["number"] == "2.4"
    assert post("/api/theme/rename", json={"theme": "2.4", "label": "Cautious hope"}).json()["ok"]
    assert post("/api/theme/update", json={"theme": "2.4", "description": "hope, held back",
                                           "inclusion": "i", "exclusion": "e",
                                           "colour": "#112233"}).json()["ok"]
    sample.refresh()
    t = sample.theme("2.4")
    assert (t.label, t.description, t.colour) == ("Cautious hope", "hope, held back", "#112233")
    moved = post("/api/theme/move", json={"theme": "2.4", "parent": "1"}).json()
    assert moved["number"] == "1.4"
    assert post("/api/theme/merge", json={"theme": "1.3", "into": "1.2"}).json()["ok"]
    sample.refresh()
    assert sample.codebook.by_number("1.3") is None
    assert post("/api/theme/delete", json={"theme": "1.4"}).json()["ok"]
    sample.refresh()
    assert sample.codebook.by_number("1.4") is None


def test_bad_requests_are_refused_and_change_nothing(client: TestClient, sample: Project):
    before = dump(sample.folder)
    cases = [("/api/code", {"transcript": "P3", "theme": "no such theme", "lines": "1-2"}),
             ("/api/code", {"transcript": "P3", "theme": "1.2", "start": 5, "end": 10**9}),
             ("/api/code", {"transcript": "P3", "theme": "1.2", "start": 3, "end": 3}),
             ("/api/code", {"transcript": "P99", "theme": "1.2", "lines": "1"}),
             ("/api/code", {"transcript": "P3"}),
             ("/api/theme/update", {"theme": "1.2", "colour": "red"}),
             ("/api/theme/rename", {"theme": "1.2", "label": "  "}),
             ("/api/retheme", {"id": 99999, "theme": "1.2"})]
    for path, body in cases:
        r = client.post(path, json=body)
        assert r.status_code == 400, (path, body, r.text)
        assert r.json()["error"]
    assert client.post("/api/code", content=b"not json",
                       headers={"content-type": "application/json"}).status_code == 400
    assert client.post("/api/code", json=[1, 2]).status_code == 400
    assert dump(sample.folder) == before


def test_each_page_carries_the_data_version_it_was_drawn_from(client: TestClient,
                                                              sample: Project):
    """The live refresh compares with the version the page was drawn from, not with the
    first poll's: a change made elsewhere between the two still reloads the page."""
    version = client.get("/api/version").json()["version"]
    for path in ("/", "/codebook", "/tables"):
        html = client.get(path).text
        assert f'<meta name="ipa-version" content="{version}">' in html, path
    with Project.open(sample.folder) as other:
        other.rename_theme("4", "Elsewhere")
    assert f'content="{version}"' not in client.get("/codebook").text


def test_changes_from_the_terminal_show_up(client: TestClient, sample: Project):
    v1 = client.get("/api/version").json()["version"]
    n1 = len(client.get("/api/t/P3").json()["codings"])
    with Project.open(sample.folder) as other:       # another process or coder
        other.tag("P3", "2.2", lines="40-41")
        other.rename_theme("2.2", "Renamed elsewhere")
    assert client.get("/api/version").json()["version"] != v1
    state = client.get("/api/t/P3").json()
    assert len(state["codings"]) == n1 + 1
    assert any(t["label"] == "Renamed elsewhere" for t in state["themes"])


def test_eight_sessions_coding_at_once_all_land(sample: Project):


    with live_server(sample.folder) as base:
        before = len(sample.coding_list())
        n_lines = sample.transcript("P5").n_lines
        errors: list[str] = []

        def coder(k: int) -> None:
            with httpx.Client(base_url=base, follow_redirects=True) as c:
                csrf = csrf_of(c.get(f"/?token={TOKEN}").text)
                for i in range(6):
                    line = 10 + k * 6 + i
                    r = c.post("/api/code", headers={"X-CSRF-Token": csrf},
                               json={"transcript": "P5", "theme": "1.1",
                                     "lines": f"{min(line, n_lines)}"})
                    if r.status_code != 200 or "id" not in r.json():
                        errors.append(r.text)

        threads = [threading.Thread(target=coder, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(sample.coding_list()) == before + 48


def test_serve_prints_the_url_first_and_warns_off_loopback(sample: Project):


    for host, warned in (("127.0.0.1", False), ("0.0.0.0", True)):
        proc = subprocess.Popen([sys.executable, "-m", "ipa_toolkit", "-p", str(sample.folder),
                                 "serve", "--no-browser", "--host", host],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()
            assert url.startswith(f"http://{host}:") and "/?token=" in url
            local = url.replace("0.0.0.0", "127.0.0.1")
            with httpx.Client(follow_redirects=True) as c:
                r = None
                for _ in range(100):
                    try:
                        r = c.get(local, timeout=2)
                        break
                    except httpx.TransportError:
                        import time

                        time.sleep(0.1)
                assert r is not None and r.status_code == 200 and "Transcripts" in r.text
                assert c.get(local.split("?")[0] + "codebook").status_code == 200
                assert httpx.get(local.split("?")[0]).status_code == 403
        finally:
            proc.terminate()
            err = proc.communicate(timeout=10)[1]
        assert ("warning: listening on" in err) == warned


def test_team_mode_signs_each_person_in(sample: Project):
    """Team mode's web side: only the sign-in page before signing in, a refused login
    changes nothing, and each person gets a session (and a connection) of their own.
    ``sign_in`` is the seam a server store plugs into; here it opens the sample for a right
    password, as a database would for a right login."""
    from ipa_toolkit.errors import ProjectError

    def sign_in(login: str, password: str) -> Project:
        if password != "right":
            raise ProjectError(f'password authentication failed for user "{login}"')
        return Project.open(sample.folder)

    with TestClient(create_app(sample.folder, sign_in=sign_in),
                    base_url="http://127.0.0.1") as c:
        r = c.get("/t/P3", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.get(f"/?token={TOKEN}", follow_redirects=False).headers["location"] == "/login"
        assert c.post("/api/code", json={}).status_code == 403
        form = c.get("/login")
        assert form.status_code == 200 and 'type="password"' in form.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        assert c.post("/login", data={"login": "ra", "password": "right"}).status_code == 403
        bad = c.post("/login", data={"login": "<ra>", "password": "wrong", "csrf": csrf})
        assert bad.status_code == 401 and "authentication failed" in bad.text
        assert "&lt;ra&gt;" in bad.text and "<ra>" not in bad.text
        assert c.get("/", follow_redirects=False).status_code == 303
        ok = c.post("/login", data={"login": "ra", "password": "right", "csrf": csrf},
                    follow_redirects=False)
        assert ok.status_code == 303 and "HttpOnly" in ok.headers["set-cookie"]
        home = c.get("/")
        assert home.status_code == 200 and "Signed in as <b>ra</b>" in home.text
        csrf = csrf_of(home.text)
        r = c.post("/api/code", headers={"X-CSRF-Token": csrf},
                   json={"transcript": "P3", "theme": "1.2", "lines": "12"})
        assert r.status_code == 200
        assert c.post("/logout", headers={"X-CSRF-Token": csrf}).status_code in (200, 303)
        assert c.get("/", follow_redirects=False).status_code == 303


def test_every_asset_ships_in_the_wheel():
    """pyproject's package-data must cover every template and static file (no CDN)."""
    import fnmatch
    import tomllib

    root = Path(__file__).parent.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["ipa_toolkit.web"]
    web = root / "ipa_toolkit" / "web"
    assets = [f.relative_to(web).as_posix() for d in ("templates", "static")
              for f in (web / d).iterdir()]
    assert len(assets) >= 10
    assert [a for a in assets if not any(fnmatch.fnmatch(a, g) for g in globs)] == []
    for f in (web / "templates").iterdir():
        text = f.read_text()
        assert "http://" not in text and "https://" not in text and "<style" not in text
        assert "<script>" not in text and " on" + "click=" not in text   # CSP: no inline code

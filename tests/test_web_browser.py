"""``ipa serve`` in a real browser: headless Chromium (the machine's Debian package) driven by
Playwright. Selecting and coding, keyboard-only coding, stripes, the coding panel, renaming a
theme, live refresh, HTML in a transcript shown as text, and screenshots for a person to look
at (``screenshots/``, git-ignored)."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from ipa_toolkit.project import Project  # noqa: E402

from .web_support import CHROMIUM, CHROMIUM_ARGS, TOKEN, live_server  # noqa: E402

SHOTS = Path(__file__).parent.parent / "screenshots"
pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason=f"{CHROMIUM} is missing: apt-get install chromium"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def served(sample: Project):
    with live_server(sample.folder) as base:
        yield base


@pytest.fixture
def page(browser, served):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.goto(f"{served}/?token={TOKEN}")
    pg.base = served
    yield pg
    ctx.close()


def open_transcript(page, name: str) -> None:
    page.goto(f"{page.base}/t/{name}")
    page.wait_for_selector("body[data-ready='1']")


def stripes(page, theme: str) -> int:
    return page.locator(f'.stripe[data-theme="{theme}"]').count()


def wait_js(page, fn: str, arg=None, timeout: float = 15) -> None:
    """Wait until a JS function is true. (Playwright's wait_for_function evaluates strings,
    which the page's Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(fn, arg):
                return
        except sync_api.Error:      # the page is navigating (a reload): ask again
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {fn}")
        time.sleep(0.05)


def more_stripes(page, theme: str, than: int) -> None:
    wait_js(page, "([t, n]) => document.querySelectorAll(`.stripe[data-theme='${t}']`).length > n",
            [theme, than])


def char_point(page, line: int, offset: int) -> tuple[float, float]:
    """Screen point of the left edge of a character of a line."""
    page.locator(f"#L{line}").scroll_into_view_if_needed()
    return tuple(page.evaluate("""([line, off]) => {
        const node = document.querySelector('#L' + line + ' .tx').firstChild;
        const r = document.createRange(); r.setStart(node, off); r.setEnd(node, off + 1);
        const b = r.getBoundingClientRect(); return [b.left + 1, b.top + b.height / 2];
    }""", [line, offset]))


def test_select_text_with_the_mouse_and_code_it(page, sample: Project):
    open_transcript(page, "P3")
    line = sample.lines("P3", 12, 12)[0]
    n0 = stripes(page, "1.2")
    x1, y1 = char_point(page, 12, line.text.index("forty-five") + 3)   # mid-word
    x2, y2 = char_point(page, 12, line.text.index("children") + 4)
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=6)
    page.mouse.up()
    page.locator("#picker").wait_for(state="visible")
    assert page.locator("#pk-lines").input_value() == "12"
    shown = page.evaluate("() => [...CSS.highlights.get('pending')][0].toString()")
    assert shown.startswith("forty-five") and shown.endswith("children")  # snapped on screen
    page.keyboard.type("mourn")                        # type-ahead
    assert page.locator("#pk-list li").first.inner_text().startswith("1.2")
    page.keyboard.press("Enter")
    more_stripes(page, "1.2", n0)
    assert "Coded (P3, 12) to 1.2" in page.locator("#status").inner_text()
    sample.refresh()
    coded = [c for c in sample.coding_list(theme="1.2", participant="P3") if c.start_line == 12]
    assert [c.quote for c in coded] == [line.text[line.text.index("forty-five"):
                                                  line.text.index("children") + 8]]
    assert page.errors == []


def test_keyboard_only_coding(page, sample: Project):
    open_transcript(page, "P3")
    n0 = stripes(page, "2.1")
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "pk-lines"
    page.keyboard.type("20-21")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "pk-q"
    page.keyboard.type("2.")
    page.keyboard.press("ArrowDown")                    # 2.1 is first, ArrowDown: 2.2 ...
    page.keyboard.press("ArrowUp")                      # ... and back to 2.1
    page.keyboard.press("Enter")
    more_stripes(page, "2.1", n0)
    sample.refresh()
    assert any((c.start_line, c.end_line) == (20, 21)
               for c in sample.coding_list(theme="2.1", participant="P3"))
    # the stripe is reachable by keyboard too, and opens the coding
    stripe = page.locator('.stripe[data-theme="2.1"]').last
    stripe.focus()
    page.keyboard.press("Enter")
    assert page.locator("#cp-cite").inner_text() == "(P3, 20-21)"
    assert page.errors == []


def test_stripe_panel_retheme_exemplar_remove(page, sample: Project):
    cid = sample.tag("P3", "1.1", lines="30-31").id
    open_transcript(page, "P3")
    stripe = page.locator(f'.stripe[data-id="{cid}"]')
    assert stripe.inner_text() == "1.1"                 # the theme number, not colour alone
    stripe.click()
    panel = page.locator("#coding-panel")
    assert panel.is_visible() and page.locator("#cp-cite").inner_text() == "(P3, 30-31)"
    assert page.locator("#L30").get_attribute("class").endswith("hl")
    page.locator("#cp-copy").click()  # the status line follows the clipboard's promise
    wait_js(page, "() => document.getElementById('status').textContent"
                  ".includes('(P3, 30-31)')")
    page.locator("#cp-exemplar").check()
    wait_js(page, "id => document.querySelector(`.stripe[data-id='${id}']`)"
                  ".textContent.includes('★')", cid)
    page.locator("#cp-retheme").click()
    page.keyboard.type("Reconciling")
    page.keyboard.press("Enter")
    wait_js(page, "id => document.querySelector(`.stripe[data-id='${id}']`)"
                  ".dataset.theme === '2.2'", cid)
    sample.refresh()
    c = next(c for c in sample.coding_list() if c.id == cid)
    assert sample.codebook.get(c.theme_id).number == "2.2" and c.exemplar
    page.locator("#cp-remove").click()
    wait_js(page, "id => !document.querySelector(`.stripe[data-id='${id}']`)", cid)
    assert all(c.id != cid for c in sample.coding_list())
    assert page.errors == []


def test_rename_a_theme_in_the_codebook(page, sample: Project):
    page.goto(f"{page.base}/codebook")
    node = page.locator('li.theme[data-number="1.2"]')
    node.locator(":scope > details > summary").click()
    node.locator("form.edit input[name=label]").fill("Mourning the life you had")
    node.locator("form.edit button[type=submit]").click()
    page.wait_for_selector('li.theme[data-number="1.2"] > details > summary >> '
                           'text=Mourning the life you had')
    sample.refresh()
    assert sample.theme("1.2").label == "Mourning the life you had"
    open_transcript(page, "P3")
    page.keyboard.press("c")
    page.keyboard.press("Tab")
    page.keyboard.type("the life you had")
    assert "1.2" in page.locator("#pk-list li").first.inner_text()
    assert page.errors == []


def test_drag_a_theme_onto_another_to_merge_it(page, sample: Project):
    n = len(sample.coding_list(theme="2.3"))
    page.goto(f"{page.base}/codebook")
    page.drag_and_drop('li.theme[data-number="2.3"] > details > summary',
                       'li.theme[data-number="2.1"] > details > summary')
    page.locator("#drop-dialog").wait_for(state="visible")
    page.locator("#dd-merge").click()
    page.wait_for_selector('li.theme[data-number="2.3"]', state="detached")
    sample.refresh()
    assert sample.codebook.by_number("2.3") is None
    assert len(sample.coding_list(theme="2.1")) >= n
    assert page.errors == []


def test_delete_a_theme_by_form_refused_while_it_holds_codings(page, sample: Project):
    page.goto(f"{page.base}/codebook")
    node = page.locator('li.theme[data-number="2.3"]')
    node.locator(":scope > details > summary").click()
    node.locator("form.move select").select_option("")
    node.locator('form.move button[value="delete"]').click()
    wait_js(page, "() => document.getElementById('status').textContent.includes('holds')")
    sample.refresh()
    assert sample.codebook.by_number("2.3") is not None          # refused: nothing changed
    node.locator("form.move select").select_option("2.2")
    node.locator('form.move button[value="delete"]').click()
    page.wait_for_selector('li.theme[data-number="2.3"]', state="detached")
    sample.refresh()
    assert sample.codebook.by_number("2.3") is None


def test_a_transcript_with_html_is_shown_as_text(page, sample: Project, tmp_path: Path):
    f = tmp_path / "P9b.txt"
    hostile = "P9: <script>window.pwned = 1</script> and <img src=x onerror=\"window.pwned=2\">"
    f.write_text("Interviewer: Tell me.\n" + hostile + "\n", encoding="utf-8")
    sample.ingest(f, participant="P9")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_transcript(page, "P9b")
    assert page.locator("#L2 .tx").inner_text() == hostile
    assert page.locator("#lines script, #lines img").count() == 0
    assert page.evaluate("window.pwned") is None and dialogs == []


def test_changes_elsewhere_appear_without_a_reload(page, sample: Project):
    open_transcript(page, "P3")
    page.evaluate("window.notReloaded = true")
    n0 = stripes(page, "3")
    with Project.open(sample.folder) as other:
        other.tag("P3", "3", lines="50-52", coder="RB")
    more_stripes(page, "3", n0)
    assert page.evaluate("window.notReloaded") is True


def test_search_jumps_to_the_line(page):
    page.goto(f"{page.base}/search?q=police")
    first = page.locator("table.kwic tbody tr").first
    cite = first.locator("a").inner_text()                      # e.g. (P1, 19)
    first.locator("a").click()
    page.wait_for_selector("body[data-ready='1']")
    line = int(page.url.rsplit("#L", 1)[1])
    assert f", {line}" in cite
    assert "hl" in page.locator(f"#L{line}").get_attribute("class")
    assert "police" in page.locator(f"#L{line} .tx").inner_text().lower()


def test_tables_follow_changes_made_elsewhere(page, sample: Project):
    page.goto(f"{page.base}/tables")
    page.evaluate("window.stale = true")
    with Project.open(sample.folder) as other:
        other.rename_theme("4", "Scrutinised from all sides")
    wait_js(page, "() => window.stale === undefined", timeout=15)   # the page reloaded itself
    assert "Scrutinised from all sides" in page.locator("table.heat").inner_text()


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_screenshots_of_the_transcript_view_and_codebook(page, sample: Project):
    SHOTS.mkdir(exist_ok=True)
    sample.add_statement("P1", "Life before was steady, solid, shared", lines="11-16")
    open_transcript(page, "P1")
    assert "Life before was steady" in page.locator("#statements").inner_text()
    page.locator('.stripe').first.click()
    page.locator("#L30").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "transcript.png"))
    page.goto(f"{page.base}/codebook")
    page.locator('li.theme[data-number="1.2"] > details > summary').click()
    page.screenshot(path=str(SHOTS / "codebook.png"))
    page.goto(f"{page.base}/tables")
    page.screenshot(path=str(SHOTS / "tables.png"), full_page=True)
    for name in ("transcript", "codebook"):
        assert png_size(SHOTS / f"{name}.png") == (1280, 800)
    assert page.errors == []


def test_eight_browser_sessions_coding_at_once_all_land(browser, served, sample: Project):
    before = len(sample.coding_list())
    pages = []
    for _ in range(8):
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(f"{served}/t/P6?token={TOKEN}")        # each its own session and CSRF token
        pg.wait_for_selector("body[data-ready='1']")
        pages.append(pg)
    start = int(time.time() * 1000) + 1500
    for k, pg in enumerate(pages):                      # all fire at the same moment
        pg.evaluate("""([k, at]) => { window.done = 0; setTimeout(async () => {
            for (let i = 0; i < 3; i++) {
              await ipa.post('/api/code', {transcript: 'P6', theme: '4',
                                           lines: String(12 + k * 3 + i)});
              window.done++;
            } }, at - Date.now()); }""", [k, start])
    for pg in pages:
        wait_js(pg, "() => window.done === 3", timeout=30)
    sample.refresh()
    assert len(sample.coding_list()) == before + 24
    for pg in pages:
        pg.context.close()

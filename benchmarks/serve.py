"""Print the speed of ``ipa serve`` (a script, not a timed test).

Usage: python benchmarks/serve.py [--words 10000] [--codings 300] [--repeat 20]

Builds a project with one transcript of ``--words`` words and ``--codings`` codings, serves it
on a loopback port and prints, as medians:

1. server response: GET of the transcript view (HTML) and of its codings (JSON);
2. first paint and first contentful paint of the transcript view in headless Chromium
   (the machine's /usr/bin/chromium, driven by Playwright), and the time until the stripes
   are drawn (the page's script has run);
3. coding round trip: a selection coded from the page (fetch POST to the answer), and the
   same from a plain HTTP client.

Quality bars (issue 13): response < 150 ms, first paint < 1 s, round trip < 100 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import turns  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def build(folder: Path, words: int, codings: int):
    from ipa_toolkit.project import Project

    rng = random.Random(7)
    src = folder.parent / "P1.txt"
    src.write_text("\n\n".join(turns(rng, "P1", words)) + "\n", encoding="utf-8")
    p = Project.create(folder, codebook=ROOT / "codebooks" / "nop_study.yaml",
                       transcripts=[src])
    leaves = [t.number for t in p.codebook.walk() if not p.codebook.children(t)]
    n = p.transcript("P1").n_lines
    with p.store.transaction():
        while len(p.coding_list()) < codings:
            a = rng.randint(1, n - 4)
            p.tag("P1", rng.choice(leaves), lines=(a, a + rng.randint(0, 3)), coder="RA")
    return p


def serve(folder: Path, token: str):
    import uvicorn

    from ipa_toolkit.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(folder, token), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:7.1f} ms (min {min(xs) * 1000:.1f}, max " \
           f"{max(xs) * 1000:.1f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--codings", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    import httpx2 as httpx
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        p = build(Path(tmp) / "proj", a.words, a.codings)
        t = p.transcript("P1")
        words = len(p.text("P1").split())
        print(f"transcript: {words} words, {t.n_lines} lines, {len(p.coding_list())} codings")
        server, base = serve(p.folder, "bench")
        with httpx.Client(base_url=base, follow_redirects=True) as c:
            csrf = re.search(r'name="csrf-token" content="([^"]+)"',
                             c.get("/?token=bench").text).group(1)
            c.get("/t/P1")  # warm: imports, caches
            html, api = [], []
            for _ in range(a.repeat):
                s = time.perf_counter()
                r = c.get("/t/P1")
                html.append(time.perf_counter() - s)
                s = time.perf_counter()
                c.get("/api/t/P1")
                api.append(time.perf_counter() - s)
            print(f"server response, transcript view ({len(r.content) // 1024} KiB HTML): "
                  f"{ms(html)}")
            print(f"server response, codings JSON:                     {ms(api)}")
            lines = p.lines("P1")
            http_rt = []
            for i in range(a.repeat):
                ln = lines[100 + 3 * i]
                s = time.perf_counter()
                r = c.post("/api/code", headers={"X-CSRF-Token": csrf},
                           json={"transcript": "P1", "theme": "1.1", "start": ln.start + 2,
                                 "end": ln.end - 2})
                http_rt.append(time.perf_counter() - s)
                assert r.status_code == 200, r.text
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            ctx = b.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto(f"{base}/?token=bench")
            fp, fcp, ready = [], [], []
            for _ in range(max(5, a.repeat // 4)):
                page.goto(f"{base}/t/P1", wait_until="load")
                while not page.evaluate("document.body.dataset.ready === '1'"):
                    time.sleep(0.01)
                paint = page.evaluate("""() => Object.fromEntries(
                    performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))""")
                nav = page.evaluate("() => performance.getEntriesByType('navigation')[0]"
                                    ".domContentLoadedEventEnd")
                fp.append(paint.get("first-paint", float("nan")) / 1000)
                fcp.append(paint.get("first-contentful-paint", float("nan")) / 1000)
                ready.append(nav / 1000)
            print(f"first paint in headless Chromium:                  {ms(fp)}")
            print(f"first contentful paint:                            {ms(fcp)}")
            print(f"page script done (DOMContentLoaded end):           {ms(ready)}")
            browser_rt = []
            for i in range(a.repeat):
                ln = lines[400 + 3 * i]
                browser_rt.append(page.evaluate("""async ([s, e]) => {
                    const t0 = performance.now();
                    await ipa.post('/api/code', {transcript: 'P1', theme: '2.1', start: s, end: e});
                    return performance.now() - t0; }""", [ln.start + 2, ln.end - 2]) / 1000)
            print(f"coding round trip from the page (fetch POST):      {ms(browser_rt)}")
            print(f"coding round trip from an HTTP client:             {ms(http_rt)}")
            b.close()
        server.should_exit = True
        p.close()
    print("bars: response < 150 ms, first paint < 1 s, coding round trip < 100 ms")


if __name__ == "__main__":
    main()

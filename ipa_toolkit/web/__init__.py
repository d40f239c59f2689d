"""``ipa serve``: read and code transcripts in the browser.

A small ASGI app (Starlette, Jinja2 templates, a little plain JavaScript; every asset ships in
this package) on the roof beside the CLI: routes call ``Project`` methods and templates
render; there is no SQL and no analysis here. Needs the ``serve`` extra.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

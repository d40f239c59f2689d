"""The ``ipa`` command: a thin shell over ``Project``; each command calls one method.

Errors the researcher can cause (``IpaError``) become one line and exit code 1, in one place
(``app.IpaGroup``). Commands live in one module per concern; importing a module registers its
commands on ``main``. Heavy libraries are imported only by the commands that need them.
"""

from . import (  # noqa: F401
    codebook,
    coding,
    database,
    exchange,
    idiographic,
    nlp,
    participants,
    report,
    serve,
    transcripts,
)
from .app import main, run

__all__ = ["main", "run"]

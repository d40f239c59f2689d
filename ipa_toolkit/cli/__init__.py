"""The ``ipa`` command: a thin shell over ``Project``; each command calls one method.

Errors the researcher can cause (``IpaError``) become one line and exit code 1, in one place
(``app.IpaGroup``). Commands live in one module per concern; importing a module registers its
commands on ``main``, and ``main`` imports a module only when one of its commands is called
(``app.COMMAND_MODULES``). Heavy libraries are imported only by the commands that need them.
"""

from .app import load_all, main, run

__all__ = ["load_all", "main", "run"]

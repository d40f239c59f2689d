"""Who new codings, notes and memos are stored under.

The name comes from ``--coder``, ``ipa config coder``, or ``$IPA_CODER``. Without any of
them the login name is used (often ``root`` or a laptop's user name), and the researcher is
told so once: when the first work is stored under it.
"""

from __future__ import annotations

import getpass
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store


class CoderNotice(UserWarning):
    """Said, not raised: the command goes on (the CLI prints it as one 'note:' line)."""


def login_name() -> str:
    try:
        return getpass.getuser() or "coder"
    except (KeyError, OSError):  # no user name in a container
        return "coder"


def login_coder(store: Store) -> str:
    """The login name, announced when nothing has been stored under it yet."""
    name = login_name()
    if not store.has_work_by(name):
        warnings.warn(f"storing your work under the login name '{name}': set IPA_CODER or "
                      "'ipa config coder NAME' to choose the name", CoderNotice, stacklevel=3)
    return name

"""``python -m ipa_toolkit`` is the ``ipa`` command."""

from .cli import run

run()

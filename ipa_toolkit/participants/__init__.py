"""Participants: typed attributes (``attributes``), adding and editing participants
(``roster``), and per-command lookups of participants and their transcripts (``lookup``)."""

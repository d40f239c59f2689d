"""The IPA method, one case at a time and then across cases: experiential statements, PETs
and their mapping to GETs (``idiographic``), exploratory notes and memos (``notes``)."""

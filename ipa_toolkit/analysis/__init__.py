"""Analysis over a project: prevalence, recurrence and co-occurrence of themes, agreement
between coders, and the IPA quality lint (``check``)."""

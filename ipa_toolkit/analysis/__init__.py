"""Analysis over a project: prevalence, recurrence and co-occurrence of themes."""

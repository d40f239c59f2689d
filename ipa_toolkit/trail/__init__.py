"""The audit trail, read: the store writes the log (``store.log``), this package reads it
(``read``) and replays it (``replay``), and the report bundles it (``report.bundle``)."""

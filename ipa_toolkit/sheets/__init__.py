"""Spreadsheets, read and written safely: cell safety (``cells``), reading CSV/TSV/XLSX
(``read``), and the sheets a researcher brings in or takes out: coding sheets
(``codings``), their statement and PET columns (``statements``) and participant tables
(``participants``)."""

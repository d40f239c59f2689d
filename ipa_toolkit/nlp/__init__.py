"""Language processing with spaCy: keyword-in-context search, anonymisation checks, theme
suggestions. Works offline with a blank English pipeline; uses a trained pipeline's NER
and lemmas when one is installed (see ``pipeline.load``)."""

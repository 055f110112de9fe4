"""Cross-report comparison: the report × metric table (pandas → Parquet/CSV) and a static HTML page.

Built from the gold INDICATOR spans, their metric links and the normalised readings of
:mod:`fazhi_ner.indicators`; written to the ``eval/comparison/`` folder by ``fazhi table build``.
"""

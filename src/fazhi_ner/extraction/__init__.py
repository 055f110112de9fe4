"""From a user's reports to the report × metric table: tag, link, read each value, one cell per metric.

``extract`` runs the chain on new reports (``fazhi extract``); ``lodo`` measures the same chain end to end,
leave-one-report-out, against the gold cells (``fazhi extraction evaluate``). Cells are made by
``fazhi_ner.comparison.cells.make_cell``, the rule the gold table uses, so predicted and gold cells compare.
"""

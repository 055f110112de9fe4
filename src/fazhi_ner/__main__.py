"""``python -m fazhi_ner``: the ``fazhi`` command (also how ``fazhi reproduce`` runs each step in a fresh process)."""

from fazhi_ner.cli import entry_point

entry_point()

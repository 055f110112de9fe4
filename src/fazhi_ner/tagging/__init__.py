"""Use the models on new reports: ``fazhi tag`` and ``fazhi ingest`` (pure core; models load lazily)."""

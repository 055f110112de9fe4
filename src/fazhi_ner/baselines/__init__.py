"""The baselines stage of FaZhi-NER."""

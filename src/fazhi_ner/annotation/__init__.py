"""The annotation stage of FaZhi-NER."""

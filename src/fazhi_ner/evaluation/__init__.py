"""The evaluation stage of FaZhi-NER."""

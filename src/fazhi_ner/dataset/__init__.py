"""The dataset stage of FaZhi-NER."""

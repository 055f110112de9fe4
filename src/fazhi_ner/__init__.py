"""FaZhi-NER: named entities in Chinese rule-of-law government construction reports."""

__version__ = "0.1.0"

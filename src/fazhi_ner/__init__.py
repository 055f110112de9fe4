"""FaZhi-NER: named entities in Chinese rule-of-law government construction reports."""

from fazhi_ner.version import __version__

__all__ = ["__version__", "tag"]


def tag(text: str, model=None, *, models_dir=None):  # noqa: ANN001, ANN201 - lazy: importing fazhi_ner stays light
    """Spans predicted in ``text`` by ``model`` (a baseline name or loaded model; default the best baseline).

    An untrained model is trained once into ``models_dir`` (default: the model cache, never the working
    directory). See :func:`fazhi_ner.tagging.tagger.tag`.
    """
    from fazhi_ner.tagging.tagger import tag as _tag

    return _tag(text, model, models_dir=models_dir)

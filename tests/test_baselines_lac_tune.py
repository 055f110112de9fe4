"""LAC's encoder ported to torch (its states equal the ONNX run's), and the fine-tuned lac-tune baseline."""

from __future__ import annotations

TEXTS = ["县司法局开展会前学法21次，合格率99.3%。", "深化“放管服”改革", "ＡＢＣ全角和生僻字𠀀，OOV"]


def test_torch_port_of_lac_encoder_matches_onnx_layer2_states():
    import numpy as np
    import torch

    from fazhi_ner.baselines import lac_encoder, lac_torch

    torch.set_num_threads(1)
    encoder = lac_torch.build_encoder(torch).eval()
    ids = [lac_torch.char_ids(t) for t in TEXTS]
    steps = max(map(len, ids))
    batch = torch.tensor([row + [0] * (steps - len(row)) for row in ids])  # padded: packing must hide the pad
    with torch.no_grad():
        states = encoder(batch, [len(row) for row in ids]).numpy()
    reference = lac_encoder.encode(TEXTS, layers=("gru2",))
    for k, text in enumerate(TEXTS):
        assert states[k, : len(text)].shape == reference[k].shape == (len(text), 256)
        assert np.abs(states[k, : len(text)] - reference[k]).max() < 1e-4

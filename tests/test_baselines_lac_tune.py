"""LAC's encoder ported to torch (its states equal the ONNX run's), and the fine-tuned lac-tune baseline."""

from __future__ import annotations

import pytest

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


@pytest.fixture(scope="module")
def tiny_gold(tmp_path_factory):
    from fazhi_ner.splits import SPLITS
    from test_baselines_support import write_tiny_gold

    one_per_split = {split: doc for doc, split in sorted(SPLITS.items())}
    return write_tiny_gold(tmp_path_factory.mktemp("gold"), set(one_per_split.values()))


def _tiny(seed: int):
    import dataclasses

    from fazhi_ner.baselines import create

    model = create("lac-tune", seed)
    params = {**model.config.params, "epochs": 1, "batch_size": 4, "freeze": "layer1"}
    model.config = dataclasses.replace(model.config, params=params)
    return model


@pytest.mark.slow  # three 58K-character embeddings built and a 30 MB model saved: ~10 s on a loaded core
def test_lac_tune_trains_deterministically_and_round_trips(tiny_gold, tmp_path):
    import torch

    from fazhi_ner.baselines import load_model
    from fazhi_ner.corpus import load_examples

    train = load_examples("train", gold_directory=tiny_gold)[:8]
    dev = load_examples("validation", gold_directory=tiny_gold)[:4]
    first, second = _tiny(seed=1), _tiny(seed=1)
    first.fit(train, dev)
    second.fit(train, dev)
    assert first.info == second.info and first.info["epochs_run"] == 1
    before = first.predict(TEXTS)
    assert second.predict(TEXTS) == before  # same seed, same model
    # the encoder was tuned: layer 2 moved away from LAC's weights, layer 1 (frozen) did not
    fresh = _tiny(seed=1)._new_net(torch)
    tuned = first._net.encoder
    assert (tuned.gru1.weight_hh_l0 == fresh.encoder.gru1.weight_hh_l0).all()
    assert not (tuned.gru2.weight_hh_l0 == fresh.encoder.gru2.weight_hh_l0).all()
    loaded = load_model(first.save(tmp_path / "lac-tune"))
    assert loaded.seed == 1 and loaded.predict(TEXTS) == before

"""The transformers baseline, run for real on a tiny randomly initialised BERT the test builds from a config.

No checkpoint is downloaded: the test writes a character vocabulary, a 1-layer BertConfig and a tokenizer
into a folder and points ``params.checkpoint`` at it, then fits, predicts, saves and loads.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fazhi_ner.baselines import create, load_model
from fazhi_ner.corpus import load_examples

pytestmark = pytest.mark.slow
transformers = pytest.importorskip("transformers")


def _tiny_checkpoint(directory: Path, texts: list[str]) -> Path:
    directory.mkdir(parents=True)
    chars = sorted({c for t in texts for c in t if not c.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer_class = getattr(transformers, "BertTokenizerFast", None) or transformers.BertTokenizer
    tokenizer = tokenizer_class(vocab_file=str(directory / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True)
    tokenizer.save_pretrained(directory)
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=256,
    )  # fmt: skip
    transformers.BertForTokenClassification(config).save_pretrained(directory)
    return directory


def test_transformers_fit_predict_save_load_on_a_tiny_random_model(tmp_path):
    train = load_examples("train")[:16]
    dev = load_examples("validation")[:6]
    test = [ex.text for ex in load_examples("test")[:8]]
    checkpoint = _tiny_checkpoint(tmp_path / "tiny-bert", [ex.text for ex in train + dev] + test)
    model = create("transformers", seed=0)
    params = {**model.config.params, "checkpoint": str(checkpoint), "epochs": 1, "batch_size": 8, "max_length": 128}
    model.config = dataclasses.replace(model.config, params=params)
    model.fit(train, dev)
    assert 0.0 <= model.info["dev_micro_f1"] <= 1.0
    before = model.predict(test)
    assert len(before) == len(test)
    for text, spans in zip(test, before, strict=True):
        assert all(0 <= s.start < s.end <= len(text) and s.text == text[s.start : s.end] for s in spans)
    loaded = load_model(model.save(tmp_path / "saved"))
    assert loaded.predict(test) == before

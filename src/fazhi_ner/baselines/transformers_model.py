"""Transformer token classification from a LOCAL checkpoint (code only; not run by reproduce or CI).

transformers and torch are imported lazily; a missing library or checkpoint path is a BaselineError.
Characters are the words (``is_split_into_words=True``); the first sub-token of each character carries
its tag and the others are ignored in the loss.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.baselines.base import Baseline, Log, _quiet, spans_with_text
from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.labels import TAG_TO_ID, TAGS
from fazhi_ner.spans import Span, tags_to_spans

MODEL_DIR = "model"


def _libraries():
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise BaselineError(
            f"transformers baseline: {exc.name} is not installed; `pip install torch==2.13.0 transformers` first"
        ) from None
    return torch, transformers


class TransformersBaseline(Baseline):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._model = None
        self._tokenizer = None

    def _checkpoint(self) -> Path:
        raw = self.config.params.get("checkpoint")
        if not raw:
            raise BaselineError("transformers baseline: params.checkpoint is not set in baselines/transformers.yaml")
        path = Path(str(raw)).expanduser()
        if not (path / "config.json").is_file():
            raise BaselineError(f"transformers baseline: checkpoint {path} not found (expected {path / 'config.json'})")
        return path

    def _open(self, path: Path, *, new_head: bool) -> None:
        _, transformers = _libraries()
        kwargs = {"local_files_only": True}
        self._tokenizer = transformers.AutoTokenizer.from_pretrained(path, **kwargs)
        if new_head:
            kwargs.update(
                num_labels=len(TAGS),
                id2label=dict(enumerate(TAGS)),
                label2id=dict(TAG_TO_ID),
                ignore_mismatched_sizes=True,
            )
        self._model = transformers.AutoModelForTokenClassification.from_pretrained(path, **kwargs)

    def _encode(self, texts: Sequence[str]):
        max_length = int(self.config.params.get("max_length", 256))
        return self._tokenizer(
            [list(t) for t in texts], is_split_into_words=True, truncation=True, max_length=max_length,
            padding=True, return_tensors="pt",
        )  # fmt: skip

    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        checkpoint = self._checkpoint()  # check the path before importing heavy libraries
        torch, _ = _libraries()
        torch.manual_seed(self.seed)
        random.seed(self.seed)
        self._open(checkpoint, new_head=True)
        p = self.config.params
        optimizer = torch.optim.AdamW(self._model.parameters(), lr=float(p.get("learning_rate", 3e-5)))
        batch_size, best, best_state = int(p.get("batch_size", 16)), -1.0, None
        order = list(train)
        for epoch in range(int(p.get("epochs", 3))):
            random.Random(self.seed + epoch).shuffle(order)
            self._model.train()
            for i in range(0, len(order), batch_size):
                batch = order[i : i + batch_size]
                enc = self._encode([ex.text for ex in batch])
                labels = torch.full(enc["input_ids"].shape, -100, dtype=torch.long)
                for row, ex in enumerate(batch):
                    tags, previous = ex.tags(), None
                    for col, word in enumerate(enc.word_ids(row)):
                        if word is not None and word != previous:
                            labels[row, col] = TAG_TO_ID[tags[word]]
                        previous = word
                loss = self._model(**enc, labels=labels).loss
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
            from fazhi_ner.baselines.scoring import micro_f1

            f1 = micro_f1(dev, {ex.id: s for ex, s in zip(dev, self.predict([ex.text for ex in dev]), strict=True)})
            log(f"transformers: epoch {epoch + 1} dev strict micro F1={f1:.4f}")
            if f1 > best:
                best = f1
                best_state = {k: v.detach().clone() for k, v in self._model.state_dict().items()}
        if best_state is not None:
            self._model.load_state_dict(best_state)
        self.info = {"dev_micro_f1": round(best, 6), "checkpoint": str(checkpoint)}

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        if self._model is None:
            raise BaselineError("transformers: predict called before fit or load")
        torch, _ = _libraries()
        self._model.eval()
        out: list[list[Span]] = []
        for i in range(0, len(texts), 32):
            chunk = list(texts[i : i + 32])
            enc = self._encode(chunk)
            with torch.no_grad():
                ids = self._model(**enc).logits.argmax(-1)
            for row, text in enumerate(chunk):
                tags, previous = ["O"] * len(text), None
                for col, word in enumerate(enc.word_ids(row)):
                    if word is not None and word != previous:
                        tags[word] = TAGS[int(ids[row, col])]
                    previous = word
                out.append(spans_with_text(tags_to_spans(tags), text))
        return out

    def _save_files(self, directory: Path) -> None:
        if self._model is None:
            raise BaselineError("transformers: nothing to save; train the model first")
        self._model.save_pretrained(directory / MODEL_DIR)
        self._tokenizer.save_pretrained(directory / MODEL_DIR)

    def _load_files(self, directory: Path) -> None:
        path = directory / MODEL_DIR
        if not (path / "config.json").is_file():
            raise BaselineError(f"{directory}: transformers model folder {MODEL_DIR}/ missing")
        self._open(path, new_head=False)

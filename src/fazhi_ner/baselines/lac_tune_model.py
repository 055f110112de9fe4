"""Baidu LAC's pretrained encoder, fine-tuned (not frozen), with a linear + CRF head over IOB2 tags.

Why: the BiLSTM reads LAC's hidden states frozen and adds a randomly initialised LSTM on top; with ~13K
real characters that LSTM is the weak, seed-unstable part. Here the pretrained BiGRU itself is trained
(fazhi_ner.baselines.lac_torch ports it from the ONNX file), at a small learning rate, so the model starts
from LAC's own contextual states and only the head is new. ``params.freeze`` keeps the lower part fixed
(``embedding`` or ``layer1``): fewer weights to move on little data, and a cheaper backward pass.

Determinism: ``torch.manual_seed``, ``torch.use_deterministic_algorithms(True)``, one thread and a seeded
batch order (as the BiLSTM). ``params.epochs`` runs; the epoch with the best strict micro F1 on the
development report is kept (never test).
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.baselines.base import Baseline, Log, _quiet, spans_with_text
from fazhi_ner.baselines.bilstm_model import EpochSelection, _batches, _torch, crf_layer
from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.labels import TAG_TO_ID, TAGS
from fazhi_ner.spans import Span, tags_to_spans

WEIGHTS = "weights.pt"
FREEZE = ("none", "embedding", "layer1")


def _build(torch, dropout: float):
    from fazhi_ner.baselines.lac_torch import HIDDEN, build_encoder

    nn = torch.nn

    class LacTagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = build_encoder(torch)
            self.drop = nn.Dropout(dropout)
            self.out = nn.Linear(2 * HIDDEN, len(TAGS))
            self.crf = crf_layer(torch, len(TAGS))

        def emissions(self, ids, lengths: Sequence[int], freeze: str):
            if freeze == "layer1":
                with torch.no_grad():
                    h1 = self.encoder.layer1(ids, lengths)
                h = self.encoder.layer2(h1, lengths)
            else:
                h = self.encoder(ids, lengths)
            return self.out(self.drop(h))

    return LacTagger()


class LacTuneBaseline(Baseline):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._net = None

    @property
    def freeze(self) -> str:
        freeze = str(self.config.params.get("freeze", "none"))
        if freeze not in FREEZE:
            raise BaselineError(f"{self.name}: params.freeze expected one of {', '.join(FREEZE)}, found {freeze!r}")
        return freeze

    def _setup_torch(self):
        torch = _torch()
        torch.manual_seed(self.seed)
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)
        return torch

    def _new_net(self, torch):
        return _build(torch, float(self.config.params.get("dropout", 0.2)))

    @staticmethod
    def _ids(torch, texts: Sequence[str]):
        from fazhi_ner.baselines.lac_torch import char_ids

        steps = max(1, max(len(t) for t in texts))
        rows = [char_ids(t) + [0] * (steps - len(t)) for t in texts]
        return torch.tensor(rows, dtype=torch.long), [len(t) for t in texts]

    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        if not train or not dev:
            raise BaselineError(
                f"{self.name}: needs training and development sentences, found {len(train)} and {len(dev)}"
            )

        torch = self._setup_torch()
        p = self.config.params
        freeze = self.freeze
        examples = [ex for ex in train if ex.text]
        self._net = self._new_net(torch)
        encoder = self._net.encoder
        frozen = {"none": (), "embedding": (encoder.embedding,), "layer1": (encoder.embedding, encoder.gru1)}[freeze]
        for module in frozen:
            module.requires_grad_(False)
        tuned = [w for m in (encoder.embedding, encoder.gru1, encoder.gru2) if m not in frozen for w in m.parameters()]
        head = [*self._net.out.parameters(), *self._net.crf.parameters()]
        optimizer = torch.optim.Adam(
            [
                {"params": tuned, "lr": float(p.get("encoder_lr", 5e-4))},
                {"params": head, "lr": float(p.get("head_lr", 5e-3))},
            ]
        )
        gold = [[TAG_TO_ID[t] for t in ex.tags()] for ex in examples]
        texts = [ex.text for ex in examples]
        batch_size = int(p.get("batch_size", 32))
        selection = EpochSelection()
        for epoch in range(1, int(p.get("epochs", 3)) + 1):
            self._net.train()
            for idx in _batches([len(t) for t in texts], batch_size, random.Random(self.seed * 1000 + epoch)):
                ids, lengths = self._ids(torch, [texts[k] for k in idx])
                steps = ids.shape[1]
                mask = torch.tensor([[1.0] * n + [0.0] * (steps - n) for n in lengths])
                tags = torch.tensor([gold[k] + [0] * (steps - len(gold[k])) for k in idx], dtype=torch.long)
                loss = self._net.crf.nll(self._net.emissions(ids, lengths, freeze), tags, mask) / len(idx)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_([*tuned, *head], 5.0)
                optimizer.step()
            selection.score(epoch, self, self._net, dev, log)
        selection.restore(self._net)
        self.info = selection.info(len(train), len(dev))

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        if self._net is None:
            raise BaselineError(f"{self.name}: predict called before fit or load")
        torch = _torch()
        self._net.eval()
        out: list[list[Span]] = [[] for _ in texts]
        todo = sorted((i for i, t in enumerate(texts) if t), key=lambda i: (-len(texts[i]), i))
        with torch.no_grad():
            for s in range(0, len(todo), 64):
                chunk = todo[s : s + 64]
                ids, lengths = self._ids(torch, [texts[i] for i in chunk])
                paths = self._net.crf.decode(self._net.emissions(ids, lengths, "none"), lengths)
                for i, path in zip(chunk, paths, strict=True):
                    out[i] = spans_with_text(tags_to_spans([TAGS[t] for t in path]), texts[i])
        return out

    def _save_files(self, directory: Path) -> None:
        if self._net is None:
            raise BaselineError(f"{self.name}: nothing to save; train the model first")
        torch = _torch()
        buffer = io.BytesIO()
        torch.save(self._net.state_dict(), buffer)
        (directory / WEIGHTS).write_bytes(buffer.getvalue())

    def _load_files(self, directory: Path) -> None:
        if not (directory / WEIGHTS).is_file():
            raise BaselineError(f"{directory}: {self.name} model file {WEIGHTS} expected")
        torch = self._setup_torch()
        self._net = self._new_net(torch)
        state = torch.load(io.BytesIO((directory / WEIGHTS).read_bytes()), weights_only=True)
        self._net.load_state_dict(state)

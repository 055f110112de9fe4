"""A character BiLSTM-CRF in PyTorch (CPU) over embedded tag columns (jieba, LAC, clause, rules) and LAC's encoder.

Why this shape: the corpus is ~20K characters, too small for a transformer trained here and with no Chinese
transformer weights available offline; a small BiLSTM-CRF trains in seconds per epoch on one core and the
pretrained signal comes from LAC: its tags as embedded columns, and (family ``lac_encoder``) its frozen
hidden states per character as a dense input (fazhi_ner.baselines.lac_encoder). Early stopping keeps the epoch with the best strict micro F1 on the
development report (never test).

Determinism: ``torch.manual_seed``, ``torch.use_deterministic_algorithms(True)``, one intra-op thread and a
seeded batch order, so a seed gives the same model on the same CPU build of torch.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fazhi_ner.baselines.base import Baseline, Log, _quiet, spans_with_text
from fazhi_ner.baselines.crf_features import char_class
from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.labels import TAG_TO_ID, TAGS
from fazhi_ner.spans import Span, tags_to_spans

WEIGHTS = "weights.pt"
VOCABS = "vocabs.json"
UNK, PAD = "<unk>", "<pad>"
FAMILIES: tuple[str, ...] = ("chars", "jieba", "lac", "lac_encoder", "clause", "rules")
DENSE = "lac_encoder"  # a dense input (fazhi_ner.baselines.lac_encoder), not an embedded column


def _torch():
    try:
        import torch
    except ImportError as exc:
        raise BaselineError(f"bilstm baseline: torch is not installed ({exc}); `pip install torch==2.13.0`") from None
    return torch


def feature_columns(texts: Sequence[str], families: Sequence[str]) -> list[dict[str, list[str]]]:
    """Per text, one string sequence per input column (char, class, jieba, LAC word/NER, rules)."""
    cols: list[dict[str, list[str]]] = [{"char": list(t), "class": [char_class(c) for c in t]} for t in texts]
    if "jieba" in families:
        from fazhi_ner.baselines.crf_features import word_features

        for row, text in zip(cols, texts, strict=True):
            row["jieba"] = [f"{b}|{p}" for b, p in word_features(text)] if text else []
    if "lac" in families:
        from fazhi_ner.baselines.lac_features import lac_char_tags

        for row, tags in zip(cols, lac_char_tags(texts), strict=True):
            row["lac"] = [f"{b}|{t}" for b, t, _ in tags]
            row["lac_ner"] = [n for _, _, n in tags]
    if "clause" in families:
        from fazhi_ner.baselines.crf_features import CLAUSE_KEYS, clause_features

        for row, text in zip(cols, texts, strict=True):
            feats = clause_features(text)
            for key in CLAUSE_KEYS:
                row[key] = [str(f.get(key, "-")) for f in feats]
    if DENSE in families:
        from fazhi_ner.baselines.lac_encoder import encode

        for row, vectors in zip(cols, encode(texts), strict=True):
            row[DENSE] = vectors  # type: ignore[assignment]
    if "rules" in families:
        from fazhi_ner.baselines.rule_features import rule_tags

        for row, tags in zip(cols, rule_tags(texts), strict=True):
            row["rules"] = tags
    return cols


def crf_layer(torch, n_tags: int = len(TAGS)):
    """A linear-chain CRF module (``trans``, ``start``, ``end``): ``nll`` and Viterbi ``decode`` (also lac_tune's head)."""
    nn = torch.nn

    class CRF(nn.Module):
        """Linear-chain CRF: negative log-likelihood (forward algorithm) and Viterbi decoding."""

        def __init__(self) -> None:
            super().__init__()
            self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
            self.start = nn.Parameter(torch.zeros(n_tags))
            self.end = nn.Parameter(torch.zeros(n_tags))

        def nll(self, em, tags, mask):
            batch, steps, _ = em.shape
            rows = torch.arange(batch)
            score = self.start[tags[:, 0]] + em[rows, 0, tags[:, 0]]
            alpha = self.start + em[:, 0]
            for t in range(1, steps):
                m = mask[:, t]
                score = score + (self.trans[tags[:, t - 1], tags[:, t]] + em[rows, t, tags[:, t]]) * m
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0) + em[:, t].unsqueeze(1), dim=1)
                alpha = torch.where(m.unsqueeze(1).bool(), nxt, alpha)
            last = tags[rows, mask.sum(1).long() - 1]
            score = score + self.end[last]
            return (torch.logsumexp(alpha + self.end, dim=1) - score).sum()

        def decode(self, em, lengths: list[int]) -> list[list[int]]:
            out = []
            for b, n in enumerate(lengths):
                score = self.start + em[b, 0]
                back = []
                for t in range(1, n):
                    total = score.unsqueeze(1) + self.trans
                    best, idx = total.max(0)
                    score = best + em[b, t]
                    back.append(idx)
                score = score + self.end
                tag = int(score.argmax())
                path = [tag]
                for idx in reversed(back):
                    tag = int(idx[tag])
                    path.append(tag)
                out.append(path[::-1])
            return out

    return CRF()


def _build_modules(torch, vocab_sizes: dict[str, int], dims: dict[str, int], hidden: int, dropout: float, dense: int = 0):
    nn = torch.nn
    n_tags = len(TAGS)

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.columns = sorted(vocab_sizes)
            # ModuleDict keys may not contain "." (the clause columns are named like "cl.from_start")
            self.embed = nn.ModuleDict(
                {c.replace(".", "_"): nn.Embedding(vocab_sizes[c], dims[c], padding_idx=0) for c in self.columns}
            )
            width = sum(dims[c] for c in self.columns) + dense
            self.dense = dense
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(width, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, n_tags)
            self.crf = crf_layer(torch, n_tags)

        def emissions(self, inputs: dict[str, Any]):
            parts = [self.embed[c.replace(".", "_")](inputs[c]) for c in self.columns]
            if self.dense:
                parts.append(inputs[DENSE])
            x = torch.cat(parts, dim=-1)
            h, _ = self.lstm(self.drop(x))
            return self.out(self.drop(h))

    return Tagger()


class EpochSelection:
    """The epoch with the best strict micro F1 on the development report, and its weights: what the torch taggers
    (the BiLSTM and lac-tune) keep after training, and what they record in ``info``."""

    def __init__(self) -> None:
        self.best, self.best_epoch, self.history = -1.0, 0, []
        self._state: dict | None = None

    def score(self, epoch: int, model: Baseline, net, dev: Sequence[Example], log: Log) -> None:  # noqa: ANN001
        """Score ``model`` on the development report after ``epoch``, log it, and keep ``net``'s (a torch module)
        weights if best."""
        from fazhi_ner.baselines.scoring import micro_f1

        f1 = micro_f1(dev, dict(zip([ex.id for ex in dev], model.predict([ex.text for ex in dev]), strict=True)))
        log(f"{model.name}: epoch {epoch} dev strict micro F1={f1:.4f}")
        self.record(epoch, f1, net)

    def record(self, epoch: int, f1: float, net) -> None:  # noqa: ANN001 - a torch module
        self.history.append(round(f1, 4))
        if f1 > self.best:
            self.best, self.best_epoch = f1, epoch
            self._state = {k: v.detach().clone() for k, v in net.state_dict().items()}

    def restore(self, net) -> None:  # noqa: ANN001 - a torch module
        if self._state is not None:
            net.load_state_dict(self._state)

    def info(self, train_sentences: int, dev_sentences: int) -> dict[str, object]:
        return {
            "best_epoch": self.best_epoch,
            "epochs_run": len(self.history),
            "dev_micro_f1": round(self.best, 6),
            "dev_history": self.history,
            "train_sentences": train_sentences,
            "dev_sentences": dev_sentences,
        }


def _batches(lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of sentences of similar length (less padding, so a CPU epoch takes seconds)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = size * 8
    batches = []
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda k: (-lengths[k], k))
        batches += [chunk[j : j + size] for j in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


class BiLstmCrfBaseline(Baseline):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._net = None
        self._vocabs: dict[str, dict[str, int]] = {}

    @property
    def families(self) -> tuple[str, ...]:
        fams = tuple(str(f) for f in self.config.params.get("features", ["chars", "jieba", "lac"]))
        if "chars" not in fams or any(f not in FAMILIES for f in fams):
            raise BaselineError(f"{self.name}: params.features expected 'chars' plus any of {', '.join(FAMILIES)}, found {list(fams)}")
        if "rules" in fams and not self.config.uses_rule_tagger:
            raise BaselineError(f"{self.name}: features include 'rules', so the config must say uses_rule_tagger: true")
        return fams

    def _dims(self) -> dict[str, int]:
        p = self.config.params
        base = {"char": int(p.get("char_dim", 64)), "class": 8, "jieba": 16, "lac": 24, "lac_ner": 8, "rules": 8}
        return {c: base.get(c, 4) for c in self._vocabs}  # clause columns: 4 each

    def _tensors(self, torch, cols: list[dict[str, list[str]]]):
        steps = max(1, max(len(c["char"]) for c in cols))
        inputs = {}
        for name, vocab in self._vocabs.items():
            unk = vocab[UNK]
            rows = [[vocab.get(v, unk) for v in c[name]] + [0] * (steps - len(c[name])) for c in cols]
            inputs[name] = torch.tensor(rows, dtype=torch.long)
        mask = torch.tensor([[1.0] * len(c["char"]) + [0.0] * (steps - len(c["char"])) for c in cols])
        if DENSE in self.families:
            import numpy as np

            dense = np.zeros((len(cols), steps, cols[0][DENSE].shape[1]), dtype=np.float32)
            for i, c in enumerate(cols):
                dense[i, : len(c["char"])] = c[DENSE]
            inputs[DENSE] = torch.from_numpy(dense)
        return inputs, mask

    def _setup_torch(self):
        torch = _torch()
        torch.manual_seed(self.seed)
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)
        return torch

    def _new_net(self, torch):
        p = self.config.params
        sizes = {name: len(v) for name, v in self._vocabs.items()}
        dense = 0
        if DENSE in self.families:
            from fazhi_ner.baselines.lac_encoder import width

            dense = width()
        return _build_modules(torch, sizes, self._dims(), int(p.get("hidden", 96)), float(p.get("dropout", 0.3)), dense)

    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        if not train or not dev:
            raise BaselineError(f"{self.name}: needs training and development sentences, found {len(train)} and {len(dev)}")

        torch = self._setup_torch()
        p = self.config.params
        fams = self.families
        examples = [ex for ex in train if ex.text]
        cols = feature_columns([ex.text for ex in examples], fams)
        counts: dict[str, dict[str, int]] = {}
        for row in cols:
            for name, values in row.items():
                if name == DENSE:
                    continue
                for v in values:
                    counts.setdefault(name, {})[v] = counts.setdefault(name, {}).get(v, 0) + 1
        min_count = int(p.get("min_char_count", 2))
        self._vocabs = {}
        for name in sorted(counts):
            keep = sorted(v for v, k in counts[name].items() if name != "char" or k >= min_count)
            self._vocabs[name] = {PAD: 0, UNK: 1, **{v: i + 2 for i, v in enumerate(keep)}}
        self._net = self._new_net(torch)
        optimizer = torch.optim.Adam(self._net.parameters(), lr=float(p.get("learning_rate", 0.003)))
        gold = [[TAG_TO_ID[t] for t in ex.tags()] for ex in examples]
        batch_size, patience = int(p.get("batch_size", 16)), int(p.get("patience", 6))
        min_epochs = int(p.get("min_epochs", 0))
        selection = EpochSelection()
        for epoch in range(1, int(p.get("max_epochs", 40)) + 1):
            self._net.train()
            for idx in _batches([len(c["char"]) for c in cols], batch_size, random.Random(self.seed * 1000 + epoch)):
                inputs, mask = self._tensors(torch, [cols[k] for k in idx])
                steps = mask.shape[1]
                tags = torch.tensor([gold[k] + [0] * (steps - len(gold[k])) for k in idx], dtype=torch.long)
                loss = self._net.crf.nll(self._net.emissions(inputs), tags, mask) / len(idx)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self._net.parameters(), 5.0)
                optimizer.step()
            selection.score(epoch, self, self._net, dev, log)
            if selection.best_epoch != epoch and epoch >= min_epochs and epoch - selection.best_epoch >= patience:
                break  # patience counts only after min_epochs: small training sets start at dev F1 0 for a while
        selection.restore(self._net)
        self.info = selection.info(len(train), len(dev))

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        if self._net is None:
            raise BaselineError(f"{self.name}: predict called before fit or load")
        torch = _torch()
        self._net.eval()
        out: list[list[Span]] = [[] for _ in texts]
        todo = [i for i, t in enumerate(texts) if t]
        cols = feature_columns([texts[i] for i in todo], self.families)
        with torch.no_grad():
            for s in range(0, len(todo), 64):
                chunk = list(range(s, min(s + 64, len(todo))))
                inputs, _ = self._tensors(torch, [cols[k] for k in chunk])
                em = self._net.emissions(inputs)
                paths = self._net.crf.decode(em, [len(cols[k]["char"]) for k in chunk])
                for k, path in zip(chunk, paths, strict=True):
                    text = texts[todo[k]]
                    out[todo[k]] = spans_with_text(tags_to_spans([TAGS[t] for t in path]), text)
        return out

    def _save_files(self, directory: Path) -> None:
        if self._net is None:
            raise BaselineError(f"{self.name}: nothing to save; train the model first")
        torch = _torch()
        buffer = io.BytesIO()
        torch.save(self._net.state_dict(), buffer)
        (directory / WEIGHTS).write_bytes(buffer.getvalue())
        (directory / VOCABS).write_text(json.dumps(self._vocabs, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def _load_files(self, directory: Path) -> None:
        if not (directory / WEIGHTS).is_file() or not (directory / VOCABS).is_file():
            raise BaselineError(f"{directory}: {self.name} model files {WEIGHTS} and {VOCABS} expected")
        torch = self._setup_torch()
        self._vocabs = json.loads((directory / VOCABS).read_text(encoding="utf-8"))
        self._net = self._new_net(torch)
        state = torch.load(io.BytesIO((directory / WEIGHTS).read_bytes()), weights_only=True)
        self._net.load_state_dict(state)

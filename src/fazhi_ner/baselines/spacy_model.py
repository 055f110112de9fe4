"""spaCy NER from scratch on character tokens, trained by the real ``python -m spacy train``.

Examples become DocBin files (:mod:`fazhi_ner.formats.spacy`) of
``Doc(vocab, words=list(text), spaces=[False] * len(text))`` so one token is one character and entity offsets are character offsets; the config sets ``gold_preproc`` so training
keeps exactly these tokens. Prediction builds the same Docs and runs the trained pipeline on them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.atomic import atomic_write_text
from fazhi_ner.baselines.base import Baseline, Log, _quiet, spans_with_text
from fazhi_ner.corpus import Example, fingerprint
from fazhi_ner.errors import BaselineError
from fazhi_ner.formats.spacy import SpacyDoc, char_doc, write_docbin
from fazhi_ner.numeric import pin
from fazhi_ner.paths import build_dir, project_root
from fazhi_ner.spans import Span

MODEL_DIR = "model"


def write_examples(examples: Sequence[Example], path: Path) -> None:
    """Training examples as a DocBin file (no user data) written by :mod:`fazhi_ner.formats.spacy`."""
    docs = [SpacyDoc(ex.id, ex.text, tuple(ex.spans)) for ex in examples]
    path.write_bytes(write_docbin(docs, user_data=False, error=BaselineError, where="spacy"))


class SpacyBaseline(Baseline):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._nlp = None

    def _config_file(self) -> Path:
        path = project_root() / str(self.config.params.get("config", "baselines/spacy/config.cfg"))
        if not path.is_file():
            raise BaselineError(f"spacy: training config {path} not found")
        return path

    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        if not train or not dev:
            raise BaselineError(f"spacy: needs training and development sentences, found {len(train)} and {len(dev)}")
        scratch_root = build_dir() / "tmp"
        scratch_root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix="spacy-", dir=scratch_root))
        try:
            write_examples(train, scratch / "train.spacy")
            write_examples(dev, scratch / "dev.spacy")
            output = scratch / "output"
            command = [
                sys.executable, "-m", "spacy", "train", str(self._config_file()),
                "--output", str(output),
                "--paths.train", str(scratch / "train.spacy"),
                "--paths.dev", str(scratch / "dev.spacy"),
                "--system.seed", str(self.seed),
                "--gpu-id", "-1",
            ]  # fmt: skip
            log_file = scratch / "train.log"
            env = dict(os.environ, PYTHONHASHSEED="0")
            pin(env)  # the pinned kernels (numpy's, OpenBLAS's, one thread) even when a library caller did not pin
            with log_file.open("w", encoding="utf-8") as handle:
                result = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, env=env, check=False)
            log_text = log_file.read_text(encoding="utf-8")
            logs_dir = build_dir() / "logs"
            logs_dir.mkdir(parents=True, exist_ok=True)  # one log per (training data, seed): reruns overwrite it
            log_name = f"spacy-{fingerprint(train)[:12]}-seed{self.seed}.log"
            atomic_write_text(logs_dir / log_name, log_text)
            if result.returncode != 0:
                tail = " | ".join(line.strip() for line in log_text.strip().splitlines()[-3:])
                raise BaselineError(f"spacy: `spacy train` exited with {result.returncode}: {tail}")
            best = output / "model-best"
            meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
            perf = meta.get("performance", {})
            self.info = {
                "dev_ents_f": round(float(perf.get("ents_f") or 0.0), 6),
                "train_sentences": len(train),
                "dev_sentences": len(dev),
                "checkpoint": "model-best",
            }
            log(f"spacy: seed {self.seed} best dev ents_f={self.info['dev_ents_f']:.4f}")
            self._load_dir(best)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _load_dir(self, directory: Path) -> None:
        import spacy

        self._nlp = spacy.load(directory)

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        if self._nlp is None:
            raise BaselineError("spacy: predict called before fit or load")
        docs = [char_doc(self._nlp.vocab, text) for text in texts]
        out: list[list[Span]] = []
        for text, doc in zip(texts, self._nlp.pipe(docs, batch_size=64), strict=True):
            spans = [Span(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
            out.append(spans_with_text(spans, text))
        return out

    def _save_files(self, directory: Path) -> None:
        if self._nlp is None:
            raise BaselineError("spacy: nothing to save; train the model first")
        paths = self._nlp.config.get("paths", {})
        for key in ("train", "dev"):  # training's scratch folder (a random name): saving twice gives the same bytes
            if key in paths:
                paths[key] = None
        self._nlp.to_disk(directory / MODEL_DIR)

    def _load_files(self, directory: Path) -> None:
        path = directory / MODEL_DIR
        if not (path / "config.cfg").is_file():
            raise BaselineError(f"{directory}: spacy pipeline folder {MODEL_DIR}/ missing")
        self._load_dir(path)

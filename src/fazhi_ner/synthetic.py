"""The synthetic training corpus: report-style documents we wrote ourselves, annotated under the guidelines.

The five seed reports are all the published text this repository may hold, so more training signal comes
from text written afresh (never a paraphrase of a seed or any published page; :func:`seed_overlap` measures
it). The corpus is **train-only**: never in the real validation or test split, never held out in a fold.

Layout of ``annotation/synthetic/``::

    manifest.jsonl          one row per document: the seeds' schema plus provenance, author, punctuation, structure
    texts/<doc_id>.txt      the exact text; offsets point into it and it is never changed
    review/pass1/<doc_id>.txt   the writer's own annotation (review-file form, one sentence per line)
    review/pass2/<doc_id>.txt   the independent second pass (a sample of the documents)
    review/gold/<doc_id>.txt    the adjudicated annotation: the one place annotators edit
    gold/<doc_id>.jsonl     spans derived from review/gold by ``fazhi synthetic convert`` (checked by ``make check``)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_write_files, write_or_check
from fazhi_ner.corpus import Corpus, Example, GoldDocument, gold_sentences
from fazhi_ner.errors import AnnotationError, FaZhiError, GoldError, StaleError
from fazhi_ner.formats.jsonl import jsonl_line, read_jsonl
from fazhi_ner.formats.review import parse_markup, parse_review, render_document
from fazhi_ner.gold import read_gold_file, spans_to_jsonl, validate_document_spans
from fazhi_ner.paths import annotation_dir
from fazhi_ner.seeds import UNIT_TYPES, Document, document_from_text, load_documents, sha256_bytes
from fazhi_ner.spans import Span

PROVENANCE = "synthetic"
DOC_PREFIX = "syn-"
SPLIT = "train"  # always training data
FOLD = -1  # never a held-out fold
PASSES = ("pass1", "pass2", "gold")
OVERLAP_WINDOW = 25
OVERLAP_LIMIT = 0.01  # at most 1% of the corpus' windows may occur in a seed report
DRAFT_KEYS = ("unit", "unit_type", "province", "prefecture", "year", "punctuation", "structure")
PUNCTUATION_FORMS = ("full-width", "half-width")


def synthetic_dir() -> Path:
    return annotation_dir() / "synthetic"


def is_synthetic(doc_id: str) -> bool:
    return doc_id.startswith(DOC_PREFIX)


# --- reading the corpus -------------------------------------------------------------------------------


def load_synthetic_documents(directory: Path | None = None) -> list[Document]:
    """The synthetic documents in manifest order, each checked against its sha256 and its provenance."""
    directory = directory or synthetic_dir()
    manifest = directory / "manifest.jsonl"
    if not manifest.is_file():
        return []
    for line in read_jsonl(manifest):
        if line.error is not None:
            raise GoldError(f"{line.where}: {line.error}")
        row = line.row if isinstance(line.row, dict) else {}
        if row.get("provenance") != PROVENANCE or not is_synthetic(str(row.get("doc_id"))):
            raise GoldError(
                f"{line.where}: expected provenance {PROVENANCE!r} and a doc_id starting {DOC_PREFIX!r}, "
                f"found {row.get('provenance')!r} and {row.get('doc_id')!r}"
            )
    return load_documents(directory)


def synthetic_writers(directory: Path | None = None) -> dict[str, str]:
    """The writer of each synthetic document (``w1`` … from the manifest's ``author``): the groups of a
    cross-validation that never tests a model on the hand that wrote its training documents."""
    manifest = (directory or synthetic_dir()) / "manifest.jsonl"
    if not manifest.is_file():
        return {}
    out: dict[str, str] = {}
    for line in read_jsonl(manifest):
        row = line.row
        if line.error is not None or not isinstance(row, dict):
            raise GoldError(f"{line.where}: {line.error or 'expected a JSON object'}")
        match = re.search(r"writer agent (\S+)", str(row.get("author", "")))
        out[str(row["doc_id"])] = match.group(1) if match else str(row["doc_id"])
    return out


def load_synthetic_gold(
    directory: Path | None = None, documents: Sequence[Document] | None = None
) -> dict[str, list[Span]]:
    """Gold spans of every synthetic document (``documents``: already loaded); a missing gold file is an error."""
    directory = directory or synthetic_dir()
    gold: dict[str, list[Span]] = {}
    for doc in load_synthetic_documents(directory) if documents is None else documents:
        path = directory / "gold" / f"{doc.doc_id}.jsonl"
        if not path.is_file():
            raise GoldError(f"{path}: gold file missing for {doc.doc_id}; run `fazhi synthetic convert`")
        gold[doc.doc_id] = read_gold_file(path, doc)
    return gold


def load_synthetic_corpus(directory: Path | None = None) -> Corpus:
    """The synthetic documents with their gold, as training documents (split train, fold -1)."""
    directory = directory or synthetic_dir()
    docs = load_synthetic_documents(directory)
    gold = load_synthetic_gold(directory, docs)
    documents = []
    for doc in docs:
        spans = tuple(gold[doc.doc_id])
        where = str(directory / "gold" / f"{doc.doc_id}.jsonl")
        documents.append(GoldDocument(doc, spans, gold_sentences(doc, spans, where), split_name=SPLIT, fold_index=FOLD))
    return Corpus(tuple(documents), directory / "gold")


def sample_documents(documents: Sequence[GoldDocument], fraction: float, seed: int = 0) -> list[GoldDocument]:
    """A deterministic share of the documents (whole documents, by a seeded hash order, at least
    ``fraction`` of the characters): how a baseline trains on 25 / 50 / 100% of the corpus."""
    if not 0 <= fraction <= 1:
        raise FaZhiError(f"synthetic fraction expected in [0, 1], found {fraction}")
    if fraction == 0 or not documents:
        return []
    order = sorted(documents, key=lambda d: hashlib.sha256(f"{seed}:{d.doc.doc_id}".encode()).hexdigest())
    total = sum(len(d.doc.text) for d in documents)
    chosen, size = [], 0
    for gd in order:
        if size >= fraction * total:
            break
        chosen.append(gd)
        size += len(gd.doc.text)
    keep = {gd.doc.doc_id for gd in chosen}
    return [gd for gd in documents if gd.doc.doc_id in keep]


# --- overlap with the seed reports --------------------------------------------------------------------


def fold_form(text: str) -> str:
    """Text compared for overlap: NFKC (full- and half-width punctuation alike), whitespace removed."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


@dataclass(frozen=True)
class Overlap:
    """How many of the corpus' n-character windows also occur in a seed report."""

    window: int
    windows: int
    shared: int
    examples: tuple[str, ...]

    @property
    def fraction(self) -> float:
        return self.shared / self.windows if self.windows else 0.0


def seed_overlap(texts: Iterable[str], seed_texts: Iterable[str], window: int = OVERLAP_WINDOW) -> Overlap:
    """Count the corpus' windows (after :func:`fold_form`) that occur anywhere in the seeds."""
    seen: set[str] = set()
    for seed in seed_texts:
        folded = fold_form(seed)
        seen.update(folded[i : i + window] for i in range(len(folded) - window + 1))
    total = shared = 0
    examples: list[str] = []
    for text in texts:
        folded = fold_form(text)
        for i in range(len(folded) - window + 1):
            total += 1
            if folded[i : i + window] in seen:
                shared += 1
                if len(examples) < 20:
                    examples.append(folded[i : i + window])
    return Overlap(window, total, shared, tuple(examples))


# --- drafts: how written documents enter the corpus ---------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A written document in inline markup: a ``# key: value`` header, a blank line, the marked-up body."""

    path: Path
    meta: Mapping[str, str]
    text: str
    spans: tuple[Span, ...]


def parse_draft(path: Path) -> Draft:
    raw = path.read_text(encoding="utf-8")
    head, blank, body = raw.partition("\n\n")
    if not blank:
        raise AnnotationError(f"{path}: expected '# key: value' header lines, a blank line, then the body")
    meta: dict[str, str] = {}
    for lineno, line in enumerate(head.splitlines(), start=1):
        match = re.fullmatch(r"# (\w+): (.+)", line)
        if not match:
            raise AnnotationError(f"{path}:{lineno}: expected '# key: value', found {line[:40]!r}")
        meta[match.group(1)] = match.group(2).strip()
    missing = [k for k in DRAFT_KEYS if k not in meta]
    if missing:
        raise AnnotationError(f"{path}: header expected keys {', '.join(DRAFT_KEYS)}; missing {', '.join(missing)}")
    if meta["unit_type"] not in UNIT_TYPES:
        raise AnnotationError(f"{path}: unit_type expected one of {', '.join(UNIT_TYPES)}, found {meta['unit_type']!r}")
    if meta["punctuation"] not in PUNCTUATION_FORMS:
        raise AnnotationError(f"{path}: punctuation expected one of {PUNCTUATION_FORMS}, found {meta['punctuation']!r}")
    if not meta["year"].isdigit():
        raise AnnotationError(f"{path}: year expected a number, found {meta['year']!r}")
    text, spans = parse_markup(body.rstrip("\n") + "\n", where=str(path))
    for char in "【】|":
        if char in text:
            pos = text.index(char)
            raise AnnotationError(f"{path}: stray markup {char!r} at body offset {pos} (expected 【text|LABEL】)")
    return Draft(path, meta, text, tuple(spans))


def _manifest_row(doc_id: str, draft: Draft, author: str) -> dict[str, object]:
    text = draft.text
    first_line = text.split("\n", 1)[0].strip()
    return {
        "doc_id": doc_id,
        "file": f"texts/{doc_id}.txt",
        "sha256": sha256_bytes(text.encode("utf-8")),
        "province": draft.meta["province"],
        "prefecture": draft.meta["prefecture"],
        "unit": draft.meta["unit"],
        "unit_type": draft.meta["unit_type"],
        "year": int(draft.meta["year"]),
        "date_written": None,
        "date_published": None,
        "title": first_line if len(first_line) <= 60 else None,
        "body_start": 0,
        "body_end": len(text.rstrip()),
        "excluded": [],
        "note": "Synthetic: written for FaZhi-NER, not a published report.",
        "provenance": PROVENANCE,
        "author": author,
        "punctuation": draft.meta["punctuation"],
        "structure": draft.meta["structure"],
        "source_draft": draft.path.name,
    }


def import_drafts(paths: Sequence[Path], *, author: str, directory: Path | None = None) -> list[str]:
    """Add written drafts as new documents (text, manifest row, pass-1 and gold review files, gold spans).

    All files are written as one set; nothing existing is overwritten: a draft already imported (same
    text) is refused, and new documents get the next free ids.
    """
    directory = directory or synthetic_dir()
    existing = load_synthetic_documents(directory)
    known = {doc.sha256: doc.doc_id for doc in existing}
    numbers = [int(d.doc_id[len(DOC_PREFIX) :]) for d in existing]
    next_number = max(numbers, default=0) + 1
    manifest = directory / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
    files: dict[Path, str] = {}
    added: list[str] = []
    for path in paths:
        draft = parse_draft(path)
        digest = sha256_bytes(draft.text.encode("utf-8"))
        if digest in known:
            raise AnnotationError(f"{path}: already in the corpus as {known[digest]}")
        doc_id = f"{DOC_PREFIX}{next_number:03d}"
        next_number += 1
        known[digest] = doc_id
        row = _manifest_row(doc_id, draft, author)
        try:
            doc = document_from_text(row, draft.text, where=str(path))
            spans = validate_document_spans(doc, draft.spans, where=str(path))
            gold_sentences(doc, tuple(spans), str(path))
        except FaZhiError as exc:
            raise AnnotationError(str(exc)) from None
        review = render_document(doc, spans)
        files[directory / "texts" / f"{doc_id}.txt"] = draft.text
        files[directory / "review" / "pass1" / f"{doc_id}.txt"] = review
        files[directory / "review" / "gold" / f"{doc_id}.txt"] = review
        files[directory / "gold" / f"{doc_id}.jsonl"] = spans_to_jsonl(doc_id, spans)
        lines.append(jsonl_line(row))
        added.append(doc_id)
    files[manifest] = "".join(line + "\n" for line in lines)
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_files(files)
    return added


# --- review files -> gold spans -----------------------------------------------------------------------


def read_pass(name: str, directory: Path | None = None) -> dict[str, list[Span]]:
    """Spans of one annotation pass (``pass1``, ``pass2`` or ``gold``), keyed by doc_id, from its review files."""
    if name not in PASSES:
        raise AnnotationError(f"pass expected one of {', '.join(PASSES)}, found {name!r}")
    directory = directory or synthetic_dir()
    docs = {doc.doc_id: doc for doc in load_synthetic_documents(directory)}
    folder = directory / "review" / name
    out: dict[str, list[Span]] = {}
    for path in sorted(folder.glob("*.txt")):
        if path.stem not in docs:
            raise AnnotationError(f"{path}: no synthetic document {path.stem!r} in the manifest")
        out[path.stem] = parse_review(path, docs[path.stem])
    return out


def gold_files(directory: Path | None = None) -> dict[Path, str]:
    """The gold span files as derived from ``review/gold``; every document must have its review file."""
    directory = directory or synthetic_dir()
    reviewed = read_pass("gold", directory)
    files: dict[Path, str] = {}
    for doc in load_synthetic_documents(directory):
        if doc.doc_id not in reviewed:
            raise GoldError(f"{directory / 'review' / 'gold' / (doc.doc_id + '.txt')}: gold review file missing")
        files[directory / "gold" / f"{doc.doc_id}.jsonl"] = spans_to_jsonl(doc.doc_id, reviewed[doc.doc_id])
    return files


def convert(*, check: bool, directory: Path | None = None) -> list[Path]:
    """Write (or with ``check`` verify) ``gold/*.jsonl`` from ``review/gold``; returns the files.

    A gold file with no document in the manifest is never deleted here (it may be curated work): it is an error
    both ways, naming the file."""
    directory = directory or synthetic_dir()
    files = gold_files(directory)
    present = set((directory / "gold").glob("*.jsonl"))
    extra = sorted(present - set(files))
    if extra:
        raise StaleError(f"{extra[0]}: a gold file with no document in {directory / 'manifest.jsonl'}")
    write_or_check(files, check=check, command="fazhi synthetic convert")
    return sorted(files)


def blank_review(doc: Document) -> str:
    """A review file with no spans: what a second-pass annotator starts from (no pre-annotation)."""
    return render_document(doc, [])



def synthetic_examples(fraction: float, *, seed: int = 0, directory: Path | None = None) -> list[Example]:
    """Training sentences from ``fraction`` of the synthetic corpus (whole documents, see :func:`sample_documents`)."""
    if fraction == 0:
        return []
    corpus = load_synthetic_corpus(directory)
    if not corpus.documents:
        raise GoldError(f"{directory or synthetic_dir()}: no synthetic documents to train on")
    return [gs for gd in sample_documents(corpus.documents, fraction, seed) for gs in gd.sentences]

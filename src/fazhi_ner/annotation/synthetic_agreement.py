"""Agreement of the synthetic corpus' independent second pass with its first pass, and the blind sample."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.agreement_results import Agreement
from fazhi_ner.annotation.agreement import AgreementSource, agreement_files, write_agreement_files
from fazhi_ner.atomic import atomic_write_files
from fazhi_ner.errors import AnnotationError, DataLossError
from fazhi_ner.sentences import document_sentences
from fazhi_ner.synthetic import blank_review, load_synthetic_corpus, load_synthetic_documents, read_pass, synthetic_dir

COMMAND = "fazhi synthetic agreement"


def synthetic_agreement(*, check: bool, resamples: int = 1000, seed: int = 0) -> Agreement:
    """Write (or check) ``annotation/synthetic/agreement.{json,md}``: pass 1 (the writers) against pass 2."""
    directory = synthetic_dir()
    pass1, pass2 = read_pass("pass1", directory), read_pass("pass2", directory)
    shared = sorted(set(pass1) & set(pass2))
    if not shared:
        raise AnnotationError(f"{directory / 'review' / 'pass2'}: no second-pass review file")
    corpus = load_synthetic_corpus(directory)
    docs = [gd.doc for gd in corpus.documents if gd.doc.doc_id in shared]
    chars = sum(len(s.text) for d in docs for s in document_sentences(d))
    total = sum(len(s.text) for gd in corpus.documents for s in gd.sentences)
    header = AgreementSource(
        "annotation/synthetic/review/pass1", "annotation/synthetic/review/pass2", shared, chars, round(chars / total, 4)
    )
    source = (
        f"Pass A: the writers' own annotation (`annotation/synthetic/review/pass1`). Pass B: an independent second "
        f"pass (`annotation/synthetic/review/pass2`) by annotators who saw only the guidelines and the plain text. "
        f"Documents: {', '.join(shared)} ({chars} sentence characters, {100 * chars / total:.1f}% of the synthetic "
        "corpus). See annotation/synthetic/README.md for who wrote and annotated them."
    )
    summary, markdown = agreement_files(
        docs,
        pass1,
        pass2,
        header=header,
        title="Agreement on the synthetic corpus",
        source=source,
        resamples=resamples,
        seed=seed,
        command=COMMAND,
    )
    write_agreement_files(summary, markdown, directory, check=check, command=COMMAND)
    return summary


def write_blind(out: Path, doc_ids: Sequence[str]) -> list[Path]:
    """Blank review files for the named documents: what a second-pass annotator starts from."""
    if out.exists():
        raise DataLossError(f"{out}: already exists; choose a new folder")
    docs = {doc.doc_id: doc for doc in load_synthetic_documents()}
    unknown = [d for d in doc_ids if d not in docs]
    if unknown:
        raise AnnotationError(f"unknown synthetic document {unknown[0]!r}; expected one of {', '.join(sorted(docs))}")
    files = {out / f"{doc_id}.txt": blank_review(docs[doc_id]) for doc_id in sorted(set(doc_ids))}
    out.mkdir(parents=True)
    atomic_write_files(files)
    return sorted(files)

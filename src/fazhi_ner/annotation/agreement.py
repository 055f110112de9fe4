"""Inter-annotator agreement between two independent annotation passes.

Everything is computed per sentence first (counts and character tags), so the bootstrap resamples
sentences by indexing arrays instead of recomputing matches. Pass A is treated as the reference
only for the direction of "missed" counts; F1 and kappa are symmetric.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fazhi_ner.agreement_results import (
    Agreement,
    DocAgreement,
    Estimate,
    KappaEstimate,
    LabelAgreement,
    SentenceBootstrap,
    SpanTotals,
    StrictAgreement,
)
from fazhi_ner.atomic import write_or_check_result
from fazhi_ner.labels import LABEL_NAMES, TAG_TO_ID
from fazhi_ner.seeds import Document
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span, spans_to_tags
from fazhi_ner.stats import confusion_kappa, format_ci, percentile_interval, prf, resampled_sums

JSON_NAME, MARKDOWN_NAME = "agreement.json", "agreement.md"
DISAGREEMENT_KINDS = ("boundary", "label", "label_and_boundary", "only_in_a", "only_in_b")


@dataclass(frozen=True)
class Disagreement:
    kind: str
    sentence_id: str
    a: Span | None
    b: Span | None
    context: str


@dataclass(frozen=True)
class SentenceCounts:
    sentence_id: str
    doc_id: str
    exact: dict[str, int]  # per label: spans identical in both passes
    in_a: dict[str, int]
    in_b: dict[str, int]
    partial: int  # pairs overlapping with the same label (one-to-one)
    tags_a: list[int]
    tags_b: list[int]


def _overlaps(x: Span, y: Span) -> bool:
    return x.start < y.end and y.start < x.end


def compare_sentence(
    sentence_id: str, doc_id: str, text: str, a: Sequence[Span], b: Sequence[Span]
) -> tuple[SentenceCounts, list[Disagreement]]:
    """Counts and classified disagreements for one sentence (spans in sentence coordinates)."""
    keys_a = {(s.start, s.end, s.label) for s in a}
    keys_b = {(s.start, s.end, s.label) for s in b}
    exact = Counter(label for (_, _, label) in keys_a & keys_b)
    in_a, in_b = Counter(s.label for s in a), Counter(s.label for s in b)
    used: set[int] = set()
    partial = 0
    for x in a:
        for j, y in enumerate(b):
            if j not in used and x.label == y.label and _overlaps(x, y):
                used.add(j)
                partial += 1
                break
    problems: list[Disagreement] = []

    def ctx(span: Span) -> str:
        lo, hi = max(0, span.start - 8), min(len(text), span.end + 8)
        return text[lo:hi]

    rest_b = [y for y in b if (y.start, y.end, y.label) not in keys_a]
    matched_b: set[int] = set()
    for x in a:
        if (x.start, x.end, x.label) in keys_b:
            continue
        partner = next((j for j, y in enumerate(rest_b) if _overlaps(x, y) and j not in matched_b), None)
        if partner is None:
            problems.append(Disagreement("only_in_a", sentence_id, x, None, ctx(x)))
            continue
        matched_b.add(partner)
        y = rest_b[partner]
        if (x.start, x.end) == (y.start, y.end):
            kind = "label"
        elif x.label == y.label:
            kind = "boundary"
        else:
            kind = "label_and_boundary"
        problems.append(Disagreement(kind, sentence_id, x, y, ctx(x)))
    for j, y in enumerate(rest_b):
        if j not in matched_b:
            problems.append(Disagreement("only_in_b", sentence_id, None, y, ctx(y)))
    counts = SentenceCounts(
        sentence_id,
        doc_id,
        dict(exact),
        dict(in_a),
        dict(in_b),
        partial,
        [TAG_TO_ID[t] for t in spans_to_tags(a, len(text))],
        [TAG_TO_ID[t] for t in spans_to_tags(b, len(text))],
    )
    return counts, problems


def compare_documents(
    docs: Sequence[Document], pass_a: Mapping[str, Sequence[Span]], pass_b: Mapping[str, Sequence[Span]]
) -> tuple[list[SentenceCounts], list[Disagreement]]:
    counts: list[SentenceCounts] = []
    problems: list[Disagreement] = []
    for doc in docs:
        spans_a, spans_b = sorted(pass_a.get(doc.doc_id, [])), sorted(pass_b.get(doc.doc_id, []))
        for sentence in document_sentences(doc):
            inside_a = [
                s.shifted(-sentence.start) for s in spans_a if sentence.start <= s.start and s.end <= sentence.end
            ]
            inside_b = [
                s.shifted(-sentence.start) for s in spans_b if sentence.start <= s.start and s.end <= sentence.end
            ]
            c, p = compare_sentence(sentence.id, doc.doc_id, sentence.text, inside_a, inside_b)
            counts.append(c)
            problems.extend(p)
    return counts, problems


def _f1(matched: np.ndarray, total_a: np.ndarray, total_b: np.ndarray) -> np.ndarray:
    """Pass A as reference: matched = tp, B's extra = fp, A's extra = fn (F1 is symmetric)."""
    return np.asarray(prf(matched, total_b - matched, total_a - matched)[2])


def _ci(samples: np.ndarray) -> tuple[float, float]:
    low, high = percentile_interval(samples).rounded(4)
    return (low, high)


@dataclass(frozen=True)
class AgreementSource:
    """What was compared: the header of the agreement result."""

    pass_a: str
    pass_b: str
    docs: list[str]
    body_characters: int
    share_of_characters: float | None = None


def summarise(
    counts: Sequence[SentenceCounts],
    problems: Sequence[Disagreement],
    *,
    resamples: int = 1000,
    seed: int = 0,
    source: AgreementSource | None = None,
) -> Agreement:
    """All agreement figures with 95% bootstrap CIs over sentences (``source`` defaults to the documents of
    ``counts``, passes "A" and "B")."""
    labels = list(LABEL_NAMES)
    exact = np.array([[c.exact.get(label, 0) for label in labels] for c in counts], dtype=float)
    in_a = np.array([[c.in_a.get(label, 0) for label in labels] for c in counts], dtype=float)
    in_b = np.array([[c.in_b.get(label, 0) for label in labels] for c in counts], dtype=float)
    partial = np.array([c.partial for c in counts], dtype=float)
    k = len(TAG_TO_ID)
    confusion = np.zeros((len(counts), k, k))
    for i, c in enumerate(counts):
        np.add.at(confusion[i], (np.array(c.tags_a, dtype=int), np.array(c.tags_b, dtype=int)), 1)

    n_labels = len(labels)
    units = np.concatenate([exact, in_a, in_b, partial[:, None], confusion.reshape(len(counts), -1)], axis=1)
    sums = resampled_sums(units, resamples, seed)  # one resample of sentences for every figure
    boot_exact, boot_a = sums[:, :n_labels], sums[:, n_labels : 2 * n_labels]
    boot_b, boot_partial_hits = sums[:, 2 * n_labels : 3 * n_labels], sums[:, 3 * n_labels]
    boot_micro = _f1(boot_exact.sum(axis=1), boot_a.sum(axis=1), boot_b.sum(axis=1))
    boot_label = _f1(boot_exact, boot_a, boot_b)
    boot_partial = _f1(boot_partial_hits, boot_a.sum(axis=1), boot_b.sum(axis=1))
    boot_kappa = confusion_kappa(sums[:, 3 * n_labels + 1 :].reshape(resamples, k, k))

    total_exact, total_a, total_b = exact.sum(axis=0), in_a.sum(axis=0), in_b.sum(axis=0)
    micro = float(_f1(total_exact.sum(), total_a.sum(), total_b.sum()))
    per_label = _f1(total_exact, total_a, total_b)
    per_doc: dict[str, DocAgreement] = {}
    doc_ids = np.array([c.doc_id for c in counts])
    for doc_id in sorted(set(doc_ids.tolist())):
        rows = doc_ids == doc_id
        per_doc[doc_id] = DocAgreement(
            strict_f1=round(float(_f1(exact[rows].sum(), in_a[rows].sum(), in_b[rows].sum())), 4),
            a=int(in_a[rows].sum()),
            b=int(in_b[rows].sum()),
            exact=int(exact[rows].sum()),
        )
    kinds = Counter(p.kind for p in problems)
    kinds_by_label: dict[str, dict[str, int]] = {label: dict.fromkeys(DISAGREEMENT_KINDS, 0) for label in labels}
    for p in problems:
        label = (p.a or p.b).label  # type: ignore[union-attr]
        kinds_by_label[label][p.kind] += 1
    characters = int(confusion.sum())
    if source is None:
        source = AgreementSource("A", "B", sorted(per_doc), characters)
    return Agreement(
        pass_a=source.pass_a,
        pass_b=source.pass_b,
        docs=list(source.docs),
        body_characters=source.body_characters,
        sentences=len(counts),
        characters=characters,
        spans=SpanTotals(a=int(total_a.sum()), b=int(total_b.sum())),
        strict=StrictAgreement(
            micro=Estimate(round(micro, 4), _ci(boot_micro)),
            per_label={
                label: LabelAgreement(
                    f1=round(float(per_label[j]), 4),
                    ci=_ci(boot_label[:, j]),
                    a=int(total_a[j]),
                    b=int(total_b[j]),
                    exact=int(total_exact[j]),
                )
                for j, label in enumerate(labels)
            },
        ),
        per_doc=per_doc,
        partial=Estimate(round(float(_f1(partial.sum(), total_a.sum(), total_b.sum())), 4), _ci(boot_partial)),
        kappa_char_iob2=KappaEstimate(round(float(confusion_kappa(confusion.sum(axis=0))), 4), _ci(boot_kappa)),
        disagreements={kind: int(kinds.get(kind, 0)) for kind in DISAGREEMENT_KINDS},
        disagreements_by_label=kinds_by_label,
        bootstrap=SentenceBootstrap(resamples=resamples, seed=seed, unit="sentence", interval="95% percentile"),
        share_of_characters=source.share_of_characters,
    )


def render_markdown(
    summary: Agreement,
    problems: Sequence[Disagreement],
    *,
    title: str,
    source: str,
    examples_per_kind: int = 8,
    command: str = "fazhi annotate agreement",
) -> str:
    """A readable agreement report; the figures are the ones in the JSON."""
    s = summary
    strict, partial, kappa = s.strict, s.partial, s.kappa_char_iob2
    lines = [
        f"# {title}",
        "",
        f"Generated by `{command}`; do not edit.",
        "",
        source,
        "",
        f"Sentences compared: {s.sentences}; characters: {s.characters}; spans in pass A: {s.spans.a}, pass B: {s.spans.b}.",
        "",
        "| Measure | Value | 95% CI |",
        "|---|---|---|",
        f"| Strict span F1 (micro) | {strict.micro.f1:.3f} | {format_ci(strict.micro.ci, style='dash')} |",
    ]
    for label, row in strict.per_label.items():
        lines.append(
            f"| Strict span F1, {label} (A {row.a}, B {row.b}, exact {row.exact}) | {row.f1:.3f} | {format_ci(row.ci, style='dash')} |"
        )
    for doc_id, doc in s.per_doc.items():
        lines.append(
            f"| Strict span F1, {doc_id} only (A {doc.a}, B {doc.b}, exact {doc.exact}) | {doc.strict_f1:.3f} | |"
        )
    lines += [
        f"| Partial-overlap F1 (same label, overlapping) | {partial.f1:.3f} | {format_ci(partial.ci, style='dash')} |",
        f"| Cohen's kappa on character IOB2 tags | {kappa.kappa:.3f} | {format_ci(kappa.ci, style='dash')} |",
        "",
        "## Disagreements by kind",
        "",
        "| Kind | " + " | ".join(LABEL_NAMES) + " | Total |",
        "|---|" + "---|" * (len(LABEL_NAMES) + 1),
    ]
    by_label = s.disagreements_by_label
    for kind in DISAGREEMENT_KINDS:
        cells = [str(by_label[label][kind]) for label in LABEL_NAMES]
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | {s.disagreements[kind]} |")
    lines += [
        "",
        "Kinds: `boundary` same label, overlapping, different offsets; `label` same offsets, different label; "
        "`label_and_boundary` overlapping with both different; `only_in_a` / `only_in_b` no overlapping span in the other pass.",
        "",
    ]
    lines += ["## Examples", ""]
    for kind in DISAGREEMENT_KINDS:
        chosen = [p for p in problems if p.kind == kind][:examples_per_kind]
        if not chosen:
            continue
        lines.append(f"### {kind}")
        lines.append("")
        for p in chosen:
            a = f"A: {p.a.text}|{p.a.label}" if p.a else "A: —"
            b = f"B: {p.b.text}|{p.b.label}" if p.b else "B: —"
            lines.append(f"- `{p.sentence_id}` … {p.context} … — {a}; {b}")
        lines.append("")
    return "\n".join(lines)


def _display(path: Path) -> str:
    from fazhi_ner.paths import annotation_dir

    try:
        return str(path.resolve().relative_to(annotation_dir().parent))
    except ValueError:
        return str(path)


def agreement_files(
    docs: Sequence[Document],
    spans_a: Mapping[str, Sequence[Span]],
    spans_b: Mapping[str, Sequence[Span]],
    *,
    header: AgreementSource,
    title: str,
    source: str,
    resamples: int,
    seed: int,
    command: str = "fazhi annotate agreement",
) -> tuple[Agreement, str]:
    """The agreement of two passes over ``docs`` and its Markdown report."""
    counts, problems = compare_documents(docs, spans_a, spans_b)
    summary = summarise(counts, problems, resamples=resamples, seed=seed, source=header)
    return summary, render_markdown(summary, problems, title=title, source=source, command=command)


def write_agreement_files(summary: Agreement, markdown: str, out: Path, *, check: bool, command: str) -> None:
    """Write (or check) ``out/agreement.json`` and ``out/agreement.md`` as one set."""
    write_or_check_result(summary, out / JSON_NAME, out / MARKDOWN_NAME, markdown, check=check, command=command)


def write_agreement(pass_a: Path, pass_b: Path, out: Path, *, resamples: int, seed: int,
                    check: bool = False) -> Agreement:  # fmt: skip
    """Agreement between two independent passes on the documents both annotated; writes (or, with ``check``,
    verifies) ``out/agreement.json`` and ``out/agreement.md`` and returns the summary."""
    from fazhi_ner.annotation.passes import read_pass
    from fazhi_ner.errors import AnnotationError
    from fazhi_ner.seeds import load_documents
    from fazhi_ner.sentences import document_sentences

    spans_a, spans_b = read_pass(pass_a), read_pass(pass_b)
    shared = sorted(set(spans_a) & set(spans_b))
    if not shared:
        raise AnnotationError(f"{pass_a} and {pass_b} have no document in common")
    docs = [d for d in load_documents() if d.doc_id in shared]
    chars = sum(len(s.text) for d in docs for s in document_sentences(d))
    header = AgreementSource(_display(pass_a), _display(pass_b), shared, chars)
    source = (
        f"Pass A: `{_display(pass_a)}`. Pass B: `{_display(pass_b)}`. Documents: {', '.join(shared)} "
        f"({chars} sentence characters). The passes were made independently; see annotation/PROCESS.md for who made them and how."
    )
    summary, markdown = agreement_files(
        docs, spans_a, spans_b, header=header, title="Inter-annotator agreement", source=source,
        resamples=resamples, seed=seed,
    )  # fmt: skip
    write_agreement_files(summary, markdown, out, check=check, command="fazhi annotate agreement")
    return summary

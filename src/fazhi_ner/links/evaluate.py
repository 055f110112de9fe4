"""Leave-one-document-out (LODO) evaluation of the link baseline against the link gold.

For each report, the INDICATOR linker is trained on the other reports' gold links, the synthetic
corpus' links when they exist (training only: held-out folds are always the real reports) and the
taxonomy's own text (examples quoted from the held-out report are dropped), then links the held-out
report. AGENCY rules have no training, so their LODO accuracy equals their accuracy; they were written
while reading all five reports, which flatters them. The synthetic corpus, written after the rules, gives
the held-out view of them (and of the INDICATOR linker trained on the real gold alone) once its links exist.
Writes ``eval/links/lodo.json`` and ``.md``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from fazhi_ner.atomic import write_or_check_result
from fazhi_ner.links import linker
from fazhi_ner.links.pairs import accuracy, summary
from fazhi_ner.links.records import LinkRecord
from fazhi_ner.links.results import (
    Bootstrap,
    FoldAccuracy,
    LinkEvaluation,
    LinkMistake,
    ReportAccuracy,
    SyntheticLinkView,
)
from fazhi_ner.links.taxonomy import load_taxonomy
from fazhi_ner.paths import eval_dir
from fazhi_ner.stats import format_ci

DEFAULT_BOOTSTRAP = 2000
SEED = 1515
COMMAND = "fazhi links evaluate"
JSON_NAME, MARKDOWN_NAME = "lodo.json", "lodo.md"


def lodo(
    gold: Mapping[str, Sequence[LinkRecord]],
    texts: Mapping[str, str],
    *,
    resamples: int = DEFAULT_BOOTSTRAP,
    extra: Sequence[LinkRecord] = (),
    extra_texts: Mapping[str, str] | None = None,
    sources: Sequence[str] = ("gold",),
    synthetic: SyntheticLinkView | None = None,
) -> LinkEvaluation:
    """LODO over ``gold``; ``extra`` link records (e.g. the synthetic corpus) are added to every training set.
    Both models are retrained per fold: metric ids and the learned body types. ``sources`` and ``synthetic`` (the
    held-out view of the synthetic corpus) are recorded with the result."""
    all_texts = {**dict(texts), **dict(extra_texts or {})}
    extra_examples = linker.training_examples(extra, all_texts)
    pairs: dict[str, list[tuple[str, str]]] = {"INDICATOR": [], "AGENCY": []}
    rule_pairs: list[tuple[str, str]] = []
    majority_pairs: list[tuple[str, str]] = []
    per_doc: dict[str, ReportAccuracy] = {}
    errors: list[LinkMistake] = []
    for held in sorted(gold):
        train_records = [r for doc_id, rs in gold.items() if doc_id != held for r in rs]
        examples = linker.training_examples(train_records, dict(texts))
        model = linker.train_linker([*train_records, *extra], all_texts, exclude_text=texts[held])
        majority = Counter(e.link for e in examples).most_common(1)[0][0]
        predictions = linker.link_spans(texts[held], gold[held], model=model)
        doc_pairs: dict[str, list[tuple[str, str]]] = {"INDICATOR": [], "AGENCY": []}
        for record, prediction in zip(gold[held], predictions, strict=True):
            pair = (record.link, str(prediction.link))
            doc_pairs[record.label].append(pair)
            if record.label == "INDICATOR":
                majority_pairs.append((record.link, majority))
            else:
                left = texts[held][max(0, record.start - linker.LEFT_CONTEXT) : record.start]
                rule_pairs.append((record.link, linker.body_type(record.text, left)))
            if pair[0] != pair[1]:
                errors.append(LinkMistake(held, record.start, record.label, record.text, record.link, pair[1]))
        for label, items in doc_pairs.items():
            pairs[label].extend(items)
        fold = {label: FoldAccuracy(len(items), round(accuracy(items), 4)) for label, items in doc_pairs.items()}
        per_doc[held] = ReportAccuracy(INDICATOR=fold["INDICATOR"], AGENCY=fold["AGENCY"])
    return LinkEvaluation(
        linker=linker.VERSION,
        training_extra_indicators=len(extra_examples),
        protocol="leave-one-document-out over the link gold; both link models retrained per held-out report",
        bootstrap=Bootstrap(resamples=resamples, seed=SEED, unit="mention", level=0.95),
        INDICATOR=summary(pairs["INDICATOR"], resamples=resamples, seed=SEED),
        AGENCY=summary(pairs["AGENCY"], resamples=resamples, seed=SEED + 1),
        AGENCY_rules=round(accuracy(rule_pairs), 4),
        INDICATOR_majority_baseline=round(accuracy(majority_pairs), 4),
        per_report=per_doc,
        errors=errors,
        note=(
            "AGENCY: the learned body-type model, trained per fold without the held-out report. The ordered rules "
            "(linker.body_type, the fallback) were written while reading all five reports; their accuracy here is "
            "not a held-out estimate."
        ),
        training_sources=list(sources),
        synthetic=synthetic,
    )


def synthetic_view(
    gold: Mapping[str, Sequence[LinkRecord]],
    texts: Mapping[str, str],
    synthetic: Mapping[str, Sequence[LinkRecord]],
    synthetic_texts: Mapping[str, str],
    *,
    groups: Mapping[str, str] | None = None,
    resamples: int = DEFAULT_BOOTSTRAP,
) -> SyntheticLinkView:
    """The synthetic corpus as held-out data, two ways. (1) INDICATORs linked by a model trained on the real gold
    only, AGENCYs by the rules (written before the corpus existed). (2) Grouped cross-validation: for each writer
    (``groups``: document → writer; default one group per document), both models trained on the real gold and the
    other writers' links, tested on that writer's documents."""
    records = [r for rs in gold.values() for r in rs]
    all_texts = {**dict(texts), **dict(synthetic_texts)}
    model = linker.train(linker.training_examples(records, dict(texts)) + linker.taxonomy_examples(load_taxonomy()))
    pairs: dict[str, list[tuple[str, str]]] = {"INDICATOR": [], "AGENCY": []}
    for doc_id in sorted(synthetic):
        predictions = linker.link_spans(synthetic_texts[doc_id], synthetic[doc_id], model=model)  # rules: no bodies
        for record, prediction in zip(synthetic[doc_id], predictions, strict=True):
            pairs[record.label].append((record.link, str(prediction.link)))
    group_of = {doc_id: (groups or {}).get(doc_id, doc_id) for doc_id in synthetic}
    cv: dict[str, list[tuple[str, str]]] = {"INDICATOR": [], "AGENCY": []}
    for group in sorted(set(group_of.values())):
        held = sorted(d for d, g in group_of.items() if g == group)
        kept = [r for d, rs in synthetic.items() if group_of[d] != group for r in rs]
        fold = linker.train_linker([*records, *kept], all_texts)
        for doc_id in held:
            predictions = linker.link_spans(synthetic_texts[doc_id], synthetic[doc_id], model=fold)
            for record, prediction in zip(synthetic[doc_id], predictions, strict=True):
                cv[record.label].append((record.link, str(prediction.link)))
    return SyntheticLinkView(
        documents=len(synthetic),
        groups=len(set(group_of.values())),
        INDICATOR=summary(pairs["INDICATOR"], resamples=resamples, seed=SEED + 2),
        AGENCY_rules=summary(pairs["AGENCY"], resamples=resamples, seed=SEED + 3),
        INDICATOR_cv=summary(cv["INDICATOR"], resamples=resamples, seed=SEED + 4),
        AGENCY=summary(cv["AGENCY"], resamples=resamples, seed=SEED + 5),
    )


def markdown(result: LinkEvaluation) -> str:
    ind, ag = result.INDICATOR, result.AGENCY
    lines = [
        "# Link baseline: leave-one-document-out accuracy",
        "",
        f"Generated by `fazhi links evaluate`; do not edit. Linker `{result.linker}`: Naive Bayes over character",
        "n-grams of the INDICATOR span, its left context (the current clause and the two before it) and its unit,",
        "with the taxonomy's names, examples and definition terms as weighted training items (see",
        "`fazhi_ner.links.linker`); AGENCY body types by a logistic regression over the mention's suffixes and",
        "character n-grams with `body_types.yaml`'s own text (`fazhi_ner.links.body_model`). Hyper-parameters of",
        "both were chosen by grouped cross-validation over the synthetic corpus (folds by writer), except the",
        "taxonomy weights 6 and 3 of `lexical-nb-2`, chosen earlier by the LODO accuracy below (a small grid).",
        "",
        "| spans | n | accuracy | 95% CI | Cohen's kappa | 95% CI |",
        "|---|---|---|---|---|---|",
        f"| INDICATOR (LODO) | {ind.n} | {ind.accuracy:.3f} | {format_ci(ind.accuracy_ci)} | "
        f"{ind.kappa:.3f} | {format_ci(ind.kappa_ci)} |",
        f"| AGENCY (learned, LODO) | {ag.n} | {ag.accuracy:.3f} | {format_ci(ag.accuracy_ci)} | "
        f"{ag.kappa:.3f} | {format_ci(ag.kappa_ci)} |",
        "",
        f"Majority-class baseline for INDICATOR (LODO): {result.INDICATOR_majority_baseline:.3f}. "
        f"AGENCY by the ordered rules (not held out): {result.AGENCY_rules:.3f}.",
        f"Training sources: {', '.join(result.training_sources)} "
        f"({result.training_extra_indicators} synthetic INDICATOR links; the held-out folds are always "
        "the real reports).",
        f"{result.note}",
        "Intervals: percentile bootstrap over mentions "
        f"({result.bootstrap.resamples} resamples, seed {result.bootstrap.seed}).",
        "",
        "| held-out report | INDICATOR n | INDICATOR accuracy | AGENCY n | AGENCY accuracy |",
        "|---|---|---|---|---|",
    ]
    for doc_id, row in result.per_report.items():
        lines.append(
            f"| {doc_id} | {row.INDICATOR.n} | {row.INDICATOR.accuracy:.3f} | "
            f"{row.AGENCY.n} | {row.AGENCY.accuracy:.3f} |"
        )
    lines += ["", "## Held out: the synthetic corpus", ""]
    syn = result.synthetic
    if not syn:
        lines.append(
            "Not measured yet: the synthetic corpus has no links (`annotation/synthetic/links/`; "
            "`fazhi links synthetic-export` / `synthetic-import`)."
        )
    else:
        lines += [
            f"{syn.documents} synthetic documents with links, written by {syn.groups} writer agents.",
            "",
            "| spans | how | n | accuracy | 95% CI |",
            "|---|---|---|---|---|",
        ]
        rows = (
            ("INDICATOR", syn.INDICATOR_cv, "grouped CV by writer: trained on the real gold + the other writers' links"),
            ("INDICATOR", syn.INDICATOR, "trained on the real gold only"),
            ("AGENCY", syn.AGENCY, "learned, grouped CV by writer: trained on the real gold + the other writers' links"),
            ("AGENCY", syn.AGENCY_rules, "the ordered rules (written before the synthetic corpus existed)"),
        )
        for label, s, how in rows:
            lines.append(f"| {label} | {how} | {s.n} | {s.accuracy:.3f} | {format_ci(s.accuracy_ci)} |")
    return "\n".join(lines) + "\n"


def write(result: LinkEvaluation, directory: Path | None = None, *, check: bool = False) -> None:
    """Write (or check) ``lodo.json`` and ``lodo.md`` in ``directory`` (default eval/links/)."""
    root = directory if directory is not None else eval_dir() / "links"
    write_or_check_result(result, root / JSON_NAME, root / MARKDOWN_NAME, markdown(result), check=check, command=COMMAND)


def run(
    *, resamples: int = DEFAULT_BOOTSTRAP, check: bool = False, sources: Sequence[str] = linker.TRAINING_SOURCES
) -> LinkEvaluation:
    """LODO over the real reports, training on ``sources`` (``gold`` is always in; ``synthetic`` optional)."""
    from fazhi_ner.links.store import load_links
    from fazhi_ner.links.synthetic_links import load_synthetic_links
    from fazhi_ner.seeds import documents_by_id
    from fazhi_ner.synthetic import load_synthetic_documents, synthetic_writers

    if "gold" not in sources or set(sources) - {"gold", "synthetic"}:
        from fazhi_ner.errors import ArgumentError

        raise ArgumentError(f"--train expected gold, optionally with synthetic; found {', '.join(sources)}")

    texts = {doc_id: doc.text for doc_id, doc in documents_by_id().items()}
    gold = load_links("gold")
    synthetic = load_synthetic_links() if "synthetic" in sources else {}
    synthetic_texts = {doc.doc_id: doc.text for doc in load_synthetic_documents()}
    extra = [r for rs in synthetic.values() for r in rs]
    result = lodo(gold, texts, resamples=resamples, extra=extra, extra_texts=synthetic_texts, sources=sources)
    held = load_synthetic_links()
    if held:
        view = synthetic_view(gold, texts, held, synthetic_texts, groups=synthetic_writers(), resamples=resamples)
        result = dataclasses.replace(result, synthetic=view)
    write(result, check=check)
    return result

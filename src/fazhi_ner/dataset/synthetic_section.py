"""The card's section on the synthetic training corpus: every figure computed here from the files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_ner.agreement_results import read_synthetic_agreement
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.stats import format_ci

if TYPE_CHECKING:
    from fazhi_ner.corpus import Corpus
    from fazhi_ner.dataset.card import SplitInfo


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]) + "\n"


def _agreement(root: Path) -> str:
    path = root / "annotation" / "synthetic" / "agreement.json"
    if not path.is_file():
        return "No second pass has been measured on it yet (`annotation/synthetic/agreement.json` is absent).\n"
    data = read_synthetic_agreement(path)
    strict = data.strict
    rows = [["Strict span F1 (micro)", f"{strict.micro.f1:.3f}", format_ci(strict.micro.ci, style="dash")]]
    for label, row in strict.per_label.items():
        ci = format_ci(row.ci, style="dash")
        rows.append([f"Strict span F1, {label} ({row.a} vs {row.b} spans)", f"{row.f1:.3f}", ci])
    rows.append(["Partial-overlap F1", f"{data.partial.f1:.3f}", format_ci(data.partial.ci, style="dash")])
    return (
        f"An independent second pass covered {len(data.docs)} documents ({data.body_characters} characters, "
        f"{100 * data.share_of_characters:.1f}% of the corpus), from `annotation/synthetic/agreement.json` "
        "(`fazhi synthetic agreement`; 95% bootstrap intervals over sentences):\n\n"
        + _table(["Measure", "Value", "95% CI"], rows)
        + "\nEvery disagreement was adjudicated (`annotation/synthetic/adjudication.md`).\n"
    )


def synthetic_section(synthetic: Corpus | None, infos: Sequence[SplitInfo], root: Path) -> str:
    if synthetic is None or not synthetic.documents:
        return "This release has no synthetic corpus.\n"
    from fazhi_ner.paths import seeds_dir
    from fazhi_ner.seeds import load_documents
    from fazhi_ner.synthetic import OVERLAP_WINDOW, seed_overlap

    docs = [gd.doc for gd in synthetic.documents]
    sentences = [gs for gd in synthetic.documents for gs in gd.sentences]
    chars = sum(len(gs.sentence.text) for gs in sentences)
    labels = Counter(span.label for gd in synthetic.documents for span in gd.spans)
    n_spans = sum(labels.values())
    unit_types = Counter(d.unit_type for d in docs)
    years = sorted({d.year for d in docs})
    rows = sum(i.num_examples for i in infos if i.config == "synthetic")
    texts, seeds = [d.text for d in docs], [d.text for d in load_documents(seeds_dir())]
    overlap, short = seed_overlap(texts, seeds, OVERLAP_WINDOW), seed_overlap(texts, seeds, 12)
    readme = root / "annotation" / "synthetic" / "README.md"
    prose = readme.read_text(encoding="utf-8").split("\n", 1)[1].strip() + "\n" if readme.is_file() else ""
    stats = _table(
        ["Documents", "Sentences", "Characters", *LABEL_NAMES, "Spans", "Spans per 1,000 characters"],
        [[len(docs), len(sentences), chars, *[labels[label] for label in LABEL_NAMES], n_spans,
          f"{1000 * n_spans / chars:.1f}"]],
    )
    return (
        "**Text we wrote ourselves, for training only.** The config `synthetic` has one split, `train` "
        f"({rows} sentence rows, the same features as `sentences`; `fold` is -1). Its documents are never in the "
        "real corpus' validation or test split nor held out in a cross-validation fold, and no score in this card "
        "is measured on them. Use them to add training data:\n\n"
        '```python\nsynthetic = load_dataset("<repo>", "synthetic", split="train")\n```\n\n'
        + stats
        + f"\nUnits: {', '.join(f'{n} {t}' for t, n in sorted(unit_types.items()))}; "
        f"{len({d.province for d in docs})} provinces; years {years[0]}–{years[-1]}; punctuation "
        + ", ".join(f"{n} {form}" for form, n in sorted(Counter(_form(d.text) for d in docs).items()))
        + ".\n\n"
        f"**Overlap with the real reports** (`fazhi synthetic overlap`): {overlap.shared} of {overlap.windows} "
        f"{OVERLAP_WINDOW}-character windows ({100 * overlap.fraction:.2f}%) occur in a seed report after folding "
        f"punctuation width; for 12-character windows, {100 * short.fraction:.2f}%. A test keeps the first figure "
        "at or below 1%.\n\n"
        + prose
        + "\n"
        + _agreement(root)
        + _links()
    )


def _links() -> str:
    """Link coverage of the corpus: how much of it the metric taxonomy names (issue 22's target: other <= 5%)."""
    from fazhi_ner.links.synthetic_links import coverage, first_pass_links, load_synthetic_links

    current = load_synthetic_links()
    if not current:
        return "\nIts INDICATOR and AGENCY spans have no links (metric ids, body types) yet.\n"
    first, now = coverage(first_pass_links()), coverage(current)
    agencies = sum(1 for records in current.values() for r in records if r.label == "AGENCY")
    text = (
        f"\n**Links.** Every INDICATOR ({now.indicators}) and AGENCY ({agencies}) span is linked to a metric id or a body "
        "type by link annotator agents, never by the linker (`annotation/synthetic/links/`; `fazhi links coverage`). "
    )
    if first.indicators:
        text += (
            f"Under taxonomy v3, written before these documents were linked (its author looked at about a hundred of "
            f"their INDICATORs, as its header says), {100 * first.other_share:.1f}% of the INDICATORs had no fitting "
            "metric id (`other`): the closest to an independent coverage figure "
            f"(`annotation/synthetic/links-v3/`). Taxonomy v4 added ids for the most frequent gaps and a re-pass linked "
            f"those spans again: {100 * now.other_share:.1f}% `other` now, a figure that is not independent of this "
            "corpus.\n"
        )
    else:
        text += f"{100 * now.other_share:.1f}% of the INDICATORs have no fitting metric id (`other`).\n"
    return text


def _form(text: str) -> str:
    """full-width or half-width: which comma the document uses most."""
    return "full-width" if text.count("，") >= text.count(",") else "half-width"

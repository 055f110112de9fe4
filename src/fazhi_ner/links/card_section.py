"""The dataset card's section on normalised entities: taxonomies, coverage, link agreement, linker.

Every figure is read from files that commands here generate (link gold, ``annotation/links/agreement.json``,
``eval/links/lodo.json``), so the card never carries a typed number.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from fazhi_ner.links.results import read_link_agreement, read_link_evaluation
from fazhi_ner.stats import format_ci


def links_section(root: Path) -> str:
    from fazhi_ner.links.store import gold_link_index
    from fazhi_ner.links.taxonomy import OTHER, load_taxonomy

    index = gold_link_index()
    if not index:
        return "No entity links yet (`annotation/links/gold/` is absent).\n"
    taxonomy = load_taxonomy()
    inds = [r for r in index.values() if r.label == "INDICATOR"]
    ags = [r for r in index.values() if r.label == "AGENCY"]
    linked = [r for r in inds if r.link != OTHER]
    lines = [
        "The `indicators` config links every INDICATOR to a metric id of a hierarchical taxonomy "
        f"(`annotation/links/metrics.yaml`: {len(taxonomy.metrics)} ids in {len(taxonomy.domains)} domains, "
        "each with Chinese and English names, expected unit kind, definition and quoted examples); `metric_id` is "
        "`<domain>.<metric>` or `other`. The `agencies` config has one row per AGENCY mention with its `body_type` "
        f"(`annotation/links/body_types.yaml`, {len(taxonomy.body_types)} types). Link guidelines: "
        "`annotation/links/guidelines.md`.\n",
        f"{len(linked)} of {len(inds)} INDICATORs ({len(linked) / len(inds):.1%}) have a metric id; the other "
        f"{len(inds) - len(linked)} are `other` with a reason. {sum(1 for r in ags if r.link)} of {len(ags)} AGENCY "
        "mentions are typed.\n",
    ]
    domains = Counter(r.link.split(".")[0] for r in linked)
    lines.append(
        "| domain | INDICATORs |\n|---|---|\n"
        + "".join(
            f"| `{d}` ({taxonomy.domains[d][1]}) | {n} |\n"
            for d, n in sorted(domains.items(), key=lambda x: (-x[1], x[0]))
        )
    )
    bodies = Counter(r.link for r in ags)
    lines.append(
        "| body_type | AGENCY mentions |\n|---|---|\n"
        + "".join(
            f"| `{b}` ({taxonomy.body_types[b].name_en}) | {n} |\n"
            for b, n in sorted(bodies.items(), key=lambda x: (-x[1], x[0]))
        )
    )
    agreement = root / "annotation" / "links" / "agreement.json"
    if agreement.is_file():
        data = read_link_agreement(agreement)
        lines.append(
            "**Link agreement.** Two link passes (both by AI agents; the second by a fresh agent given only the "
            "link guidelines, the taxonomies and the spans, blinded) over "
            + ", ".join(f"`{d}`" for d in data.reports)
            + " (`annotation/links/agreement.json`, `fazhi links agreement`; 95% bootstrap intervals over mentions):\n"
        )
        lines.append(
            "| spans | n | accuracy | 95% CI | Cohen's kappa | 95% CI |\n|---|---|---|---|---|---|\n"
            + "".join(
                f"| {k} | {s.n} | {s.accuracy:.3f} | {format_ci(s.accuracy_ci)} | "
                f"{s.kappa:.3f} | {format_ci(s.kappa_ci)} |\n"
                for k, s in (("INDICATOR", data.INDICATOR), ("AGENCY", data.AGENCY), ("all", data.all))
            )
        )
        lines.append(
            (
                f"{len(data.disagreements)} disagreements, all adjudicated"
                if data.disagreements
                else "No disagreements"
            )
            + " (`annotation/links/adjudication.md`). Both "
            "passes are by agents of one model family, and the taxonomy and guidelines were written by the first-pass "
            "annotator from these same spans, so this agreement is an upper bound on how well the guidelines determine "
            "the links, not an estimate of agreement between human annotators; a first second-pass attempt that came "
            "back identical to pass 1 was discarded, and the adjudication log gives the doubtful items.\n"
        )
    else:
        lines.append("Link agreement has not been measured yet (`annotation/links/agreement.json` is absent).\n")
    lodo = root / "eval" / "links" / "lodo.json"
    if lodo.is_file():
        result = read_link_evaluation(lodo)
        ind = result.INDICATOR
        lines.append(
            f"**Link baseline.** The lexical linker `{result.linker}` (`fazhi_ner.links.linker.link_spans`) reaches "
            f"{ind.accuracy:.3f} {format_ci(ind.accuracy_ci)} leave-one-document-out accuracy on INDICATOR metric ids "
            f"(majority class: {result.INDICATOR_majority_baseline:.3f}); AGENCY body types (learned, LODO): "
            f"{result.AGENCY.accuracy:.3f} {format_ci(result.AGENCY.accuracy_ci)} — `eval/links/lodo.md`.\n"
        )
        syn = result.synthetic
        if syn:
            lines.append(
                f"On the synthetic corpus ({syn.documents} documents), grouped cross-validation by writer: INDICATOR "
                f"{syn.INDICATOR_cv.accuracy:.3f} {format_ci(syn.INDICATOR_cv.accuracy_ci)}, AGENCY "
                f"{syn.AGENCY.accuracy:.3f} {format_ci(syn.AGENCY.accuracy_ci)}; INDICATOR trained on the "
                f"real gold only {syn.INDICATOR.accuracy:.3f}, AGENCY rules {syn.AGENCY_rules.accuracy:.3f}.\n"
            )
    return "\n".join(lines)

"""eval/baselines.json and eval/BASELINES.md from one results record (the .md is derived from the .json)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fazhi_ner.atomic import write_or_check
from fazhi_ner.baselines.results import (
    FILE_NAME,
    Ablation,
    AugmentationAndEnsembles,
    BaselineRow,
    Baselines,
    Cost,
    StudyRow,
    lodo_f1,
)
from fazhi_ner.evaluation.error_analysis import ABSORBED, KINDS
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.scores import MeanStd, Score
from fazhi_ner.stats import format_ci


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _ms(row: MeanStd) -> str:
    return f"{_pct(row.mean)} ± {_pct(row.std)}" if len(row.per_seed) > 1 else _pct(row.mean)


def _ci(cell: Score) -> str:
    return f"{_pct(cell.f1)} {format_ci(cell.ci, digits=1, scale=100)}" if cell.ci else _pct(cell.f1)


def _flag(value: object) -> str:
    return "yes" if value is True else "no" if value is False else "?"


def caveat_lines(b: Mapping[str, BaselineRow]) -> list[str]:
    """The same caveats the leaderboard shows (one wording, from fazhi_ner.evaluation.leaderboard)."""
    from fazhi_ner.evaluation.leaderboard import caveat_notes

    return caveat_notes([(n, r.type, r.uses_rule_tagger) for n, r in b.items()])


def ablation_table(ablation: Ablation) -> list[str]:
    """LODO pooled F1 of the CRF with each feature family switched off (and the families added one by one)."""
    out = [
        "## Feature ablation (CRF, leave-one-report-out, pooled)",
        "",
        f"Each row is `{ablation.base}` with only the listed feature families, trained and scored like the main "
        "cross-validation (5 folds, pooled), with "
        + ", ".join(f"{k}={v}" for k, v in sorted(ablation.params.items()))
        + " fixed so that only the features differ (`crf-lac` and `crf-rules` use these same values; `crf` chooses "
        "c1/c2 on each fold's development report). A variant identical to a main model reuses its run.",
        "",
        "| Variant | Feature families | Reads rule tagger | Pooled F1 | " + " | ".join(LABEL_NAMES) + " |",
        "|---|---|---|---:|" + "---:|" * len(LABEL_NAMES),
    ]
    for row in ablation.rows:
        cv = row.cross_validation
        per = " | ".join(_pct(lodo_f1(cv, label)) for label in LABEL_NAMES)
        out.append(
            f"| {row.variant} | {', '.join(row.families)} | {_flag(row.uses_rule_tagger)} | "
            f"{_pct(lodo_f1(cv))} | {per} |"
        )
    return out + [""]


def augmentation_ensembles_table(block: AugmentationAndEnsembles) -> list[str]:
    """Issue 12 item 7: each augmentation variant and each vote, its LODO figures and whether it is kept."""
    gain = _pct(block.min_gain)
    out = [
        "## Augmentation and ensembles (leave-one-report-out, pooled)",
        "",
        "Augmentation adds seeded copies of the training sentences only (never the development or held-out "
        "report): *entity swap* replaces gold spans by other training spans of the same label, *numeral swap* "
        "replaces the numbers inside INDICATOR spans by numbers of similar form (fazhi_ner.baselines.augment). "
        "Each variant is its base model's own config plus `params.augment`, so features, c1 and c2 are identical; "
        "with several augmentation seeds a row gives the mean ± std over them. "
        "A vote keeps a span (start, end, label) predicted by at least *k* of its members, computed from the "
        "members' fold prediction files (fazhi_ner.baselines.ensemble). A row is kept only if it raises LODO pooled "
        f"F1 by more than {gain} points over the base model (augmentation) or over its best member (vote). A vote that "
        "writes a leaderboard submission is kept or not by a decision recorded in `baselines/reproduce.yaml` (made once "
        "from committed evidence), so a rerun whose figures move within the seed spread cannot add or delete an entry.",
        "",
        "| Variant | Kind | Reads rule tagger | Pooled F1 | "
        + " | ".join(LABEL_NAMES)
        + " | Compared with | Change | Kept |",
        "|---|---|---|---:|" + "---:|" * len(LABEL_NAMES) + "---|---:|---|",
    ]

    def cells(cv: Any) -> str:  # noqa: ANN401 - a CvSummary
        per = " | ".join(_ms(cv.per_label[label]) for label in LABEL_NAMES)
        return f"{_ms(cv.pooled)} | {per}"

    def kept(gain_: float, kept_: bool, todo: str = "", *, recorded: bool = False, measured: bool | None = None) -> str:
        change = f"{100 * gain_:+.1f}"
        if recorded:
            agrees = "this run agrees" if measured == kept_ else (
                f"this run {'raises' if measured else 'does not raise'} LODO by more than {gain}: revisit the decision"
            )
            return f"{change} | {'yes' if kept_ else 'no'} (recorded in `baselines/reproduce.yaml`; {agrees}) |"
        why = f"raises LODO by more than {gain}" if kept_ else f"does not raise LODO by more than {gain}"
        return f"{change} | {'yes' if kept_ else 'no'}: {why}{todo if kept_ else ''} |"

    def settings(augment: dict[str, Any] | None) -> str:
        return (
            ", ".join(
                f"{k}={'/'.join(map(str, v)) if isinstance(v, list) else v}" for k, v in sorted((augment or {}).items())
            )
            or "off"
        )

    aug = block.augmentation
    if aug:
        base = f"`{aug.base}` (augment {settings(aug.base_augment)})"
        for row in aug.rows:
            # judges_base: the row switches the base config's augmentation off, so "kept" is about the base's
            other = f"{base} {_pct(aug.base_f1)}" + (" is judged against this row" if row.judges_base else "")
            drawn = {k: v for k, v in row.augment.items() if k != "seed"}
            adopted = row.judges_base or drawn == {k: v for k, v in (aug.base_augment or {}).items() if k != "seed"}
            todo = "" if adopted else f" (not yet switched on in `baselines/{aug.base}.yaml`)"
            seeds = ", ".join(str(x) for x in row.cross_validation.seeds)
            out.append(
                f"| {row.variant} (`{aug.base}`, augment {settings(drawn)}; seeds {seeds}) | augmentation | no | "
                f"{cells(row.cross_validation)} | {other} | {kept(row.gain, row.kept, todo)}"
            )
    for vote in block.ensembles:
        name = f"{vote.name} ({vote.min_votes} of {', '.join(vote.members)})"
        if vote.cross_validation is None or vote.gain is None or vote.kept is None:
            blank = " | ".join("-" for _ in LABEL_NAMES)
            out.append(
                f"| {name} | vote | {_flag(vote.uses_rule_tagger)} | - | {blank} | - | - | not computed: {vote.not_computed} |"
            )
            continue
        verdict = kept(vote.gain, vote.kept, recorded=vote.recorded, measured=vote.measured_kept)
        out.append(
            f"| {name} | vote | {_flag(vote.uses_rule_tagger)} | {cells(vote.cross_validation)} "
            f"| best member `{vote.best_member}` {_pct(vote.best_member_f1 or 0.0)} | {verdict}"
        )
    return out + [""]


def targets(results: Baselines) -> list[str]:
    """Issue 21's targets against what this run reached (computed, so the text never goes stale)."""
    b = results.baselines

    def pooled(name: str, label: str | None = None) -> float:
        return lodo_f1(b[name].cross_validation, label)

    learned = [n for n, r in b.items() if r.type != "rules"]
    if not learned:
        return []
    free = [n for n in learned if not b[n].uses_rule_tagger]
    # a kept vote of learned models is a learned system on the leaderboard too (its LODO from the members' folds)
    free_systems = {n: b[n].cross_validation for n in free} | {
        (e.submission or e.name): e.cross_validation
        for e in (results.augmentation_and_ensembles.ensembles if results.augmentation_and_ensembles else [])
        if e.kept and not e.uses_rule_tagger and e.cross_validation is not None
    }
    out = ["## Targets (issue 21) against this run", "", "| Target | Reached | Met |", "|---|---|---|"]
    if free_systems:
        top = max(free_systems, key=lambda n: (lodo_f1(free_systems[n]), n))
        f1, agency, indicator = (lodo_f1(free_systems[top], label) for label in (None, "AGENCY", "INDICATOR"))
        met = f1 >= 0.8 and agency >= 0.7 and indicator >= 0.8
        out.append(
            "| best learned system without the rule tagger (a kept vote included): LODO pooled F1 >= 80.0, "
            f"AGENCY >= 70.0, INDICATOR >= 80.0 | `{top}`: {_pct(f1)}, AGENCY {_pct(agency)}, INDICATOR "
            f"{_pct(indicator)} | {'yes' if met else 'no'} |"
        )
    best_all = max(learned, key=lambda n: (pooled(n), n))
    if "rules" in b:
        out.append(
            f"| best learned model overall >= the rules' LODO F1 ({_pct(pooled('rules'))}) | `{best_all}`: "
            f"{_pct(pooled(best_all))} | {'yes' if pooled(best_all) >= pooled('rules') else 'no'} |"
        )
    speed = b[best_all].cost.chars_per_second or 0
    out.append(
        f"| the best learned model predicts >= 20,000 characters/s | `{best_all}`: {speed} chars/s | "
        f"{'yes' if speed >= 20000 else 'no'} |"
    )
    if free:
        best = max(free, key=lambda n: (pooled(n), n))
        free_speed = b[best].cost.chars_per_second or 0
        out.append(
            f"| (for reference) the best model without the rule tagger predicts >= 20,000 characters/s | "
            f"`{best}`: {free_speed} chars/s | {'yes' if free_speed >= 20000 else 'no'} |"
        )
    return out + [""]


def synthetic_study_table(rows: list[StudyRow]) -> list[str]:
    """Issue 21 item 1: each model trained on the real reports alone and with 25 / 50 / 100% of the synthetic corpus."""
    if not rows:
        return []
    out = [
        "## Training on the real reports plus the synthetic corpus (leave-one-report-out, pooled)",
        "",
        "From `eval/synthetic_study.json` (`fazhi baselines synthetic-study`, its own command: it trains every model "
        "once per share and fold). Each model's own config with a share of the synthetic corpus (whole documents, "
        "nested) added to the training side of every fold only; development and held-out reports are always real. "
        "Share 0% is the model trained on the real reports alone; `params.synthetic` in a model's config is the "
        "share its main runs above use.",
        "",
        "| Model | Synthetic share | Seeds | Pooled F1 | " + " | ".join(LABEL_NAMES) + " |",
        "|---|---:|---|---:|" + "---:|" * len(LABEL_NAMES),
    ]
    for r in rows:
        seeds = ", ".join(str(x) for x in r.seeds)
        per = " | ".join(_ms(r.per_label[label]) for label in LABEL_NAMES) if r.per_label else ""
        out.append(f"| {r.model} | {100 * r.share:.0f}% | {seeds} | {_ms(r.pooled) if r.pooled else '-'} | {per} |")
    from fazhi_ner.baselines.synthetic_study import EMPTY_NOTE

    empty = sorted({f"{r.model} at {100 * r.share:.0f}%" for r in rows if lodo_f1(r) == 0})
    if empty:
        out += ["", EMPTY_NOTE.format(rows=", ".join(empty))]
    return out + [""]


def cost_table(costs: Mapping[str, Cost]) -> str:
    lines = [
        "| Baseline | Training time (s) | Prediction speed (chars/s) | Model size (KiB) | Peak memory (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, c in sorted(costs.items()):
        lines.append(
            f"| {name} | {c.train_seconds:.1f} | {c.chars_per_second or '-'} | "
            f"{c.model_bytes / 1024:.0f} | {c.peak_rss_mib:.0f} |"
        )
    return "\n".join(lines) + "\n"


def absorbed_table(b: Mapping[str, BaselineRow]) -> list[str]:
    """Per model, on the LODO predictions: INDICATORs that swallowed the agency starting their clause (issue 19);
    nothing for results recorded before the count existed."""
    if all(row.cross_validation.agency_absorbed is None for row in b.values()):
        return []
    out = [
        f"## {ABSORBED.capitalize()} (leave-one-report-out)",
        "",
        "Predicted INDICATORs that begin where a gold AGENCY begins and run past it (the guidelines give the agency "
        "its own span), summed over the five held-out reports (mean over seeds). Every model's output goes through "
        "one decoding step (`fazhi_ner.rules.agency_prefix`) that splits an agency found by the rule tagger's "
        "matcher, or a level prefix + name + organisation head, off the start of a predicted INDICATOR.",
        "",
        "| Baseline | Count |",
        "|---|---:|",
    ]
    for name, row in b.items():
        count = row.cross_validation.agency_absorbed
        out.append(f"| {name} | {'-' if count is None else count} |")
    return out + [""]


def form_table(results: Baselines) -> list[str]:
    """Span-multiset F1 of each model's output on other forms of the test report against its own output on the
    original (issue 19; ``fazhi_ner.baselines.form_robustness``)."""
    block = results.form_robustness
    if not block:
        return []
    variants = block.variants
    out = [
        "## Robustness to the text's form (test report)",
        "",
        block.description,
        "",
        "| Baseline | " + " | ".join(variants) + " |",
        "|---|" + "---:|" * len(variants),
    ]
    for name, row in sorted(block.models.items()):
        out.append(f"| {name} | " + " | ".join(f"{row[v]:.3f}" for v in variants) + " |")
    return out + [""]


def markdown(results: Baselines) -> str:
    b = dict(sorted(results.baselines.items()))  # name order: the same before and after a JSON round trip
    p = results.protocol
    out = [
        "# Baselines",
        "",
        f"Generated by `{results.command}` from `eval/{FILE_NAME}`; do not edit by hand. "
        f"Gold test fingerprint `{results.gold.test_fingerprint[:16]}` ({results.gold.test_sentences} sentences).",
        "",
        f"Metric: {p.metric}. Main runs: {p.main}.",
        "",
        "## Test split",
        "",
        "Strict F1 with 95% bootstrap intervals over test sentences (1000 resamples, seed 0): the same evaluation "
        "as `fazhi eval evaluate` and the leaderboard.",
        "",
        "| Baseline | Type | Reads rule tagger | Precision | Recall | F1 [95% CI] | "
        + " | ".join(f"{label} F1 [95% CI]" for label in LABEL_NAMES)
        + " |",
        "|---|---|---|---:|---:|---:|" + "---:|" * len(LABEL_NAMES),
    ]
    for name, row in b.items():
        m = row.test.micro
        per = " | ".join(_ci(row.test.per_label[label]) for label in LABEL_NAMES)
        out.append(
            f"| {name} | {row.type} | {_flag(row.uses_rule_tagger)} | {_pct(m.precision)} | "
            f"{_pct(m.recall)} | {_ci(m)} | {per} |"
        )
    out += ["", *(f"- {note}" for note in caveat_lines(b))]
    out += [
        "",
        "## Leave-one-report-out cross-validation",
        "",
        f"{p.cross_validation}. Seeds {p.seeds} for trained models that are not deterministic; "
        "deterministic ones (rules, CRF with L-BFGS) run once, and the slowest models (params.cv_seeds in their "
        "config) run fewer seeds to keep `make reproduce` within its time budget. The leaderboard shows these same "
        "pooled figures (fazhi_ner.evaluation.summary.cv_summary).",
        "",
        "| Baseline | Reads rule tagger | Seeds | Pooled F1 | "
        + " | ".join(f"held out {f.heldout}" for f in next(iter(b.values())).cross_validation.folds)
        + " |",
        "|---|---|---|---:|" + "---:|" * len(next(iter(b.values())).cross_validation.folds),
    ]
    for name, row in b.items():
        cv = row.cross_validation
        seeds = ", ".join(str(s) for s in cv.seeds)
        out.append(
            f"| {name} | {_flag(row.uses_rule_tagger)} | {seeds} | {_ms(cv.pooled) if cv.pooled else '-'} | "
            + " | ".join(_ms(f.micro_f1) for f in cv.folds)
            + " |"
        )
    out += [
        "",
        "Pooled per-label F1:",
        "",
        "| Baseline | " + " | ".join(LABEL_NAMES) + " |",
        "|---|" + "---:|" * len(LABEL_NAMES),
    ]
    for name, row in b.items():
        per = row.cross_validation.per_label or {}
        out.append(f"| {name} | " + " | ".join(_ms(per[label]) if label in per else "-" for label in LABEL_NAMES) + " |")
    spread = {name: row.seed_spread for name, row in b.items() if row.seed_spread}
    if spread:
        out += [
            "",
            "## Spread over seeds (test split)",
            "",
            "Models that are not deterministic, trained on the train split once per seed (the first seed is the main "
            "model above) and scored on test: how much of a difference between systems a seed alone can make.",
            "",
            "| Baseline | Seeds | Test F1 per seed | Mean | Std |",
            "|---|---|---|---:|---:|",
        ]
        for name, sp in spread.items():
            per_seed = ", ".join(_pct(v) for v in sp.test_micro_f1)
            seeds = ", ".join(str(x) for x in sp.seeds)
            out.append(f"| {name} | {seeds} | {per_seed} | {_pct(sp.mean)} | {_pct(sp.std)} |")
    out += [
        "",
        "## Learning curve (test F1 by share of the train split's sentences)",
        "",
        "In brackets: the train split's sentences each point trains on (nested subsets). A model's synthetic share"
        " (`params.synthetic`) and, with `train_on_dev`, the validation report are added at every point.",
        "",
        "| Baseline | " + " | ".join(f"{int(100 * f)}%" for f in p.learning_curve_fractions) + " |",
        "|---|" + "---:|" * len(p.learning_curve_fractions),
    ]
    for name, row in b.items():
        if not row.learning_curve:
            continue
        by_fraction = {r.fraction: r for r in row.learning_curve}
        cells = [
            f"{_pct(by_fraction[f].test_micro_f1)} ({by_fraction[f].train_sentences})" if f in by_fraction else "-"
            for f in p.learning_curve_fractions
        ]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += [
        "",
        "## Cost (2-core CPU shared with other jobs; prediction speed on new text, LAC included, uncached)",
        "",
        cost_table({name: row.cost for name, row in b.items()}).rstrip(),
        "",
    ]
    out += targets(results)
    out += synthetic_study_table(results.synthetic_study)
    if results.ablation:
        out += ablation_table(results.ablation)
    if results.augmentation_and_ensembles:
        out += augmentation_ensembles_table(results.augmentation_and_ensembles)
    out += absorbed_table(b)
    out += form_table(results)
    out += [
        "## Error analysis (test split)",
        "",
        "From the evaluation harness (`fazhi eval evaluate` prints the same counts): every gold span not exactly "
        "predicted is paired with the first overlapping wrong prediction (boundary, type, boundary+type) or missed; "
        "wrong predictions left over are spurious.",
        "",
    ]
    for name, row in b.items():
        counts = row.errors.counts
        out += [f"### {name}", "", "Errors: " + ", ".join(f"{k} {counts[k]}" for k in KINDS if k in counts) + ".", ""]
        for category in [k for k in KINDS if k in row.errors.examples]:
            for case in row.errors.examples[category]:
                out.append(
                    f"- {category} `{case.sentence_id}`: {case.context} — gold: {case.gold or '-'}; "
                    f"predicted: {case.predicted or '-'}"
                )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_reports(results: Baselines, eval_root: Path) -> tuple[Path, Path]:
    json_path, md_path = eval_root / FILE_NAME, eval_root / "BASELINES.md"
    write_or_check({json_path: results.to_json(), md_path: markdown(results)}, check=False,
                   command="fazhi baselines reproduce")  # fmt: skip
    return json_path, md_path

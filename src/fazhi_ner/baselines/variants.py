"""Issue 12 item 7: augmentation variants of a CRF and span votes across models, each judged on LODO.

The ``augmentation_and_ensembles`` block of baselines/reproduce.yaml lists them. An augmentation variant is
its base baseline's own config plus ``params.augment`` (so features, c1 and c2 are identical) and is run
through the same leave-one-report-out folds; a vote is computed from the fold prediction files the members
wrote (fazhi_ner.baselines.ensemble), so it costs no training. Either is *kept* only if it raises LODO pooled
F1 by more than ``min_gain`` over what it competes with (the base model; the best member of the vote).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from fazhi_ner.baselines import protocol
from fazhi_ner.baselines.augment import parse_config
from fazhi_ner.baselines.ensemble import Vote, require_generated_vote, vote_cv, write_submission
from fazhi_ner.baselines.results import (
    Augmentation,
    AugmentationAndEnsembles,
    AugmentRow,
    BaselineRow,
    Baselines,
    EnsembleRow,
    load_if_present,
    lodo_f1,
)
from fazhi_ner.errors import BaselineError
from fazhi_ner.paths import baselines_dir
from fazhi_ner.splits import FOLD_ORDER

KEY = "augmentation_and_ensembles"


@dataclass(frozen=True)
class AugmentVariant:
    """params.augment of one row, drawn with each of ``seeds`` (one CV run per seed; mean and std over them)."""

    name: str
    augment: dict[str, Any]
    seeds: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class Plan:
    """The ``augmentation_and_ensembles`` block of baselines/reproduce.yaml."""

    min_gain: float
    base: str | None
    variants: tuple[AugmentVariant, ...]
    ensembles: tuple[Vote, ...]


def load_plan(path: Path | None = None) -> Plan | None:
    """The plan, or None when reproduce.yaml has no such block; errors name the file and the entry."""
    path = path or baselines_dir() / "reproduce.yaml"
    try:
        raw = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(KEY)
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise BaselineError(f"{path}: could not read {KEY} ({exc})") from None
    if raw is None:
        return None
    where = f"{path}: {KEY}"
    try:
        aug = raw.get("augmentation") or {}
        variants = tuple(
            AugmentVariant(str(v["name"]), dict(v["augment"]), tuple(int(x) for x in v.get("seeds", [0])))
            for v in aug.get("variants", [])
        )
        if any(not v.seeds for v in variants):
            raise ValueError("seeds must not be empty")
        for v in variants:
            parse_config(v.augment, f"{where}.augmentation {v.name!r}")
        ensembles = tuple(
            Vote(
                str(e["name"]),
                tuple(str(m) for m in e["members"]),
                int(e["min_votes"]),
                str(e["submission"]) if e.get("submission") else None,
                _keep(e.get("keep"), f"{where}.ensembles {e.get('name')!r}"),
            )
            for e in raw.get("ensembles", [])
        )
        plan = Plan(float(raw.get("min_gain", 0.0)), str(aug["base"]) if variants else None, variants, ensembles)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BaselineError(
            f"{where}: expected min_gain, augmentation.base/variants[name, augment], ensembles[name, members, "
            f"min_votes] ({exc!r})"
        ) from None
    for e in plan.ensembles:
        e.check(f"{where}: ensemble")
        if e.submission and e.keep is None:
            raise BaselineError(
                f"{where}: ensemble {e.name!r} writes a leaderboard submission, so its decision must be recorded: "
                "add `keep: true` or `keep: false` (decided from the committed evidence in eval/baselines.json)"
            )
    return plan


def _keep(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise BaselineError(f"{where}: keep expected true or false, found {value!r}")


def augmentation_tasks(plan: Plan, settings: protocol.Settings, gold_directory: Path | None) -> list[protocol.Task]:
    """One CV task per (variant, fold, augmentation seed): the base's config with params.augment set.

    The task seed is the augmentation seed (a deterministic base such as the CRF ignores it; a stochastic one
    then varies its own seed with it), so the CV summary's mean and std are over augmentation seeds.
    """
    if plan.base is None:
        return []
    from fazhi_ner.baselines.registry import create

    config = create(plan.base).config.params
    tasks = []
    for fold in range(len(FOLD_ORDER)):
        train_set, dev, heldout = protocol.fold_sets(fold, gold_directory)
        for v in plan.variants:
            for seed in v.seeds:
                augment = {**v.augment, "seed": seed} if parse_config(v.augment).enabled else v.augment
                params = tuple(sorted({**config, "augment": augment}.items()))
                tasks.append(
                    protocol.Task(
                        plan.base,
                        "augmentation",
                        seed,
                        fold,
                        tuple(train_set),
                        tuple(dev),
                        tuple(heldout),
                        params=params,
                        variant=v.name,
                    )
                )
    return tasks


def _verdict(f1: float, against: float, min_gain: float) -> tuple[float, bool]:
    """(gain, kept): kept only if the gain is more than ``min_gain``."""
    gain = round(f1 - against, 4)
    return gain, gain > min_gain


def run(
    plan: Plan,
    settings: protocol.Settings,
    names: Sequence[str],
    baselines: dict[str, BaselineRow],
    submissions: Path,
    *,
    gold_directory: Path | None = None,
    jobs: int = 2,
    on_done: Callable[[protocol.TaskResult], None] = lambda _: None,
    ran: Sequence[protocol.TaskResult] | None = None,
) -> AugmentationAndEnsembles:
    """Run the augmentation variants (when their base ran in this reproduce) and the votes; the results block.

    ``baselines`` holds the rows of this run (and of earlier runs kept with ``--only``): the base's and the
    members' own LODO figures and their ``uses_rule_tagger`` flags come from there. ``ran``: the results of
    :func:`augmentation_tasks` when the caller already ran them (reproduce runs them in its one work pool).
    """
    augmentation = None
    if plan.base is not None and plan.base in names:
        if ran is None:
            ran = protocol.run_tasks(augmentation_tasks(plan, settings, gold_directory), jobs, on_done)
        from fazhi_ner.baselines.registry import create

        base_f1 = baselines[plan.base].lodo_f1
        base_augment = create(plan.base).config.params.get("augment")
        rows = []
        for v in plan.variants:
            cv = protocol.summarise_cv([r for r in ran if r.task.variant == v.name], gold_directory)
            # a variant that switches augmentation off judges the base config's own augmentation
            judges_base = not parse_config(v.augment).enabled and parse_config(base_augment).enabled
            gain, kept = (
                _verdict(base_f1, lodo_f1(cv), plan.min_gain)
                if judges_base
                else _verdict(lodo_f1(cv), base_f1, plan.min_gain)
            )
            rows.append(AugmentRow(v.name, v.augment, cv, judges_base, gain, kept))
        augmentation = Augmentation(plan.base, base_f1, base_augment, rows)
    votes = []
    for e in plan.ensembles:
        missing = [
            m for m in e.members if m not in baselines or not list((submissions / m).glob("predictions.fold*.jsonl"))
        ]
        row = EnsembleRow(
            e.name,
            list(e.members),
            e.min_votes,
            uses_rule_tagger=any(
                baselines[m].uses_rule_tagger or baselines[m].type == "rules" for m in e.members if m in baselines
            ),
        )
        if missing:
            votes.append(replace(row, not_computed=f"no LODO fold predictions of {', '.join(missing)}"))
            continue
        _, cv = vote_cv(e, submissions, gold_directory)
        best = max(e.members, key=lambda m: (baselines[m].lodo_f1, m))
        best_f1 = baselines[best].lodo_f1
        gain, kept = _verdict(lodo_f1(cv), best_f1, plan.min_gain)
        row = replace(row, cross_validation=cv, best_member=best, best_member_f1=best_f1, gain=gain, kept=kept)
        if e.keep is not None:
            # the recorded decision, not this run's measurement, decides: the measured verdict stays beside it
            row = replace(row, measured_kept=kept, kept=e.keep, recorded=True)
        if e.submission:
            # a kept vote joins the leaderboard; a vote recorded as not kept leaves it (its folder is generated output)
            if row.kept:
                from fazhi_ner.baselines.registry import create

                date = max(create(m).config.date for m in e.members)
                write_submission(e, submissions, uses_rule_tagger=row.uses_rule_tagger, date=date, gold_directory=gold_directory)
                row = replace(row, submission=e.submission)
            elif (submissions / e.submission).is_dir():
                import shutil

                require_generated_vote(submissions / e.submission)
                shutil.rmtree(submissions / e.submission)
        votes.append(row)
    return AugmentationAndEnsembles(plan.min_gain, augmentation, votes)


def add_to_results(
    results: Baselines,
    names: Sequence[str],
    settings: protocol.Settings,
    submissions: Path,
    *,
    gold_directory: Path | None,
    jobs: int,
    console: Any,
    eval_root: Path,
    ran: Sequence[protocol.TaskResult] | None = None,
) -> Baselines:
    """`fazhi baselines reproduce`'s step for this block: ``results`` with it run and added.

    Runs after the other baselines' rows of earlier runs are merged in (``--only``), so votes can use them;
    if the base was not rerun, the augmentation rows of the earlier results (same gold) are kept.
    """
    from fazhi_ner.baselines.reproduce import _progress

    plan = load_plan()
    if plan is None:
        return results
    tasks = sum(len(v.seeds) for v in plan.variants) * len(FOLD_ORDER) if plan.base in names and ran is None else 0
    with _progress(console) as progress:
        bar = progress.add_task(f"augmentation ({tasks} runs) and {len(plan.ensembles)} votes", total=tasks or 1)
        block = run(
            plan,
            settings,
            names,
            results.baselines,
            submissions,
            gold_directory=gold_directory,
            jobs=jobs,
            on_done=lambda _: progress.advance(bar),
            ran=ran,
        )
        progress.update(bar, completed=tasks or 1)
    if block.augmentation is None and plan.base is not None:  # planned, but its base did not run
        earlier = load_if_present(eval_root)
        if earlier is not None and earlier.gold == results.gold and earlier.augmentation_and_ensembles is not None:
            block = replace(block, augmentation=earlier.augmentation_and_ensembles.augmentation)
    return replace(results, augmentation_and_ensembles=block)


def check_votes(results: Baselines, submissions: Path, gold_directory: Path | None = None) -> None:
    """`fazhi baselines check`: every recorded vote must follow from the fold files it was computed from."""
    from fazhi_ner.errors import StaleError

    block = results.augmentation_and_ensembles
    for row in block.ensembles if block else []:
        if row.cross_validation is None:
            continue
        _, cv = vote_cv(Vote(row.name, tuple(row.members), int(row.min_votes)), submissions, gold_directory)
        if cv.pooled != row.cross_validation.pooled:
            raise StaleError(
                f"{submissions}: the vote {row.name!r} of the fold files gives LODO pooled F1 "
                f"{lodo_f1(cv)} but eval/baselines.json records "
                f"{lodo_f1(row.cross_validation)}; run `fazhi baselines reproduce`"
            )

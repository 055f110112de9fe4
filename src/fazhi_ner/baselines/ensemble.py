"""A span-level vote across models' predictions, computed from prediction files without retraining.

Why span level: the members are character taggers of different kinds (rules, CRF, BiLSTM, spaCy); the only
output they share is spans. A span (start, end, label) that at least ``min_votes`` members predicted is kept;
where kept spans overlap, the one with more votes wins, then the one of the earlier-listed member (members are
listed best first), so the result is a valid, non-overlapping span set and deterministic.

``vote_cv`` reads the leave-one-report-out fold files that ``fazhi baselines reproduce`` writes
(eval/submissions/<name>/predictions.fold<k>[.seed<s>].jsonl), so a vote costs seconds, not a training run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_ner.errors import BaselineError
from fazhi_ner.spans import Span

if TYPE_CHECKING:
    from fazhi_ner.scores import CvSummary

Predictions = dict[str, list[Span]]


@dataclass(frozen=True)
class Vote:
    """One ensemble: its name, its members (best first: they break ties) and the votes a span needs."""

    name: str
    members: tuple[str, ...]
    min_votes: int
    submission: str | None = None  # leaderboard folder written when the vote is kept (eval/submissions/<it>/)
    # Whether the vote is kept, decided once from committed evidence and recorded in baselines/reproduce.yaml, so
    # that a rerun on another machine (whose figures may move by the seed spread) never adds or deletes a
    # leaderboard entry. None: no decision recorded, the measured gain decides (only for votes with no submission).
    keep: bool | None = None

    def check(self, where: str = "ensemble") -> None:
        if len(self.members) < 2 or len(set(self.members)) != len(self.members):
            raise BaselineError(
                f"{where} {self.name!r}: expected two or more distinct members, found {list(self.members)}"
            )
        if not 1 <= self.min_votes <= len(self.members):
            raise BaselineError(
                f"{where} {self.name!r}: min_votes expected 1..{len(self.members)}, found {self.min_votes}"
            )


def vote_sentence(member_spans: Sequence[Sequence[Span]], min_votes: int, text: str | None = None) -> list[Span]:
    """The voted spans of one sentence (``member_spans[i]``: member i's spans)."""
    votes: dict[tuple[int, int, str], list[int]] = {}
    for i, spans in enumerate(member_spans):
        for s in {(s.start, s.end, s.label) for s in spans}:
            votes.setdefault(s, []).append(i)
    ranked = sorted(
        (key for key, who in votes.items() if len(who) >= min_votes),
        key=lambda k: (-len(votes[k]), min(votes[k]), k[0], k[1], k[2]),
    )
    kept: list[tuple[int, int, str]] = []
    for start, end, label in ranked:
        if all(end <= a or b <= start for a, b, _ in kept):
            kept.append((start, end, label))
    return [Span(a, b, label, text[a:b] if text is not None else "") for a, b, label in sorted(kept)]


def vote(
    predictions_by_model: Sequence[Mapping[str, Sequence[Span]]],
    min_votes: int,
    texts: Mapping[str, str] | None = None,
) -> Predictions:
    """Span-level vote over models' predictions keyed by sentence id (every model must cover the same ids)."""
    if not predictions_by_model:
        raise BaselineError("ensemble vote: no member predictions")
    ids = set(predictions_by_model[0])
    for k, preds in enumerate(predictions_by_model[1:], start=1):
        if set(preds) != ids:
            raise BaselineError(
                f"ensemble vote: member {k} covers {len(preds)} sentences, member 0 covers {len(ids)}; expected the same ids"
            )
    return {
        sid: vote_sentence([p[sid] for p in predictions_by_model], min_votes, texts.get(sid) if texts else None)
        for sid in sorted(ids)
    }


def member_runs(
    name: str, submissions: Path, heldout: Mapping[int, Sequence[Any]]
) -> dict[int, dict[int, Predictions]]:
    """{seed: {fold: predictions}} of one member from its fold files (validated against the held-out gold)."""
    from fazhi_ner.evaluation.readers import read_predictions
    from fazhi_ner.evaluation.submission import load_submission

    folder = submissions / name
    if not folder.is_dir():
        raise BaselineError(
            f"{folder}: no predictions of ensemble member {name!r}; run `fazhi baselines reproduce` first"
        )
    runs: dict[int, dict[int, Predictions]] = {}
    for seed, files in load_submission(folder).fold_files_by_seed().items():
        if set(files) != set(heldout):
            raise BaselineError(f"{folder}: seed {seed} has fold files {sorted(files)}, expected {sorted(heldout)}")
        runs[seed] = {fold: read_predictions(path, list(heldout[fold])) for fold, path in sorted(files.items())}
    if not runs:
        raise BaselineError(f"{folder}: no predictions.fold<k>.jsonl files for ensemble member {name!r}")
    return runs


def vote_cv(
    ensemble: Vote, submissions: Path, gold_directory: Path | None = None
) -> tuple[dict[int, dict[int, Predictions]], CvSummary]:
    """The vote on every fold of the leave-one-report-out runs, and its CV summary.

    One vote per seed that any member ran; a member with fewer seeds (deterministic ones run once) takes part
    with its first seed's predictions, so a vote's seeds are the union of its members'.
    """
    from fazhi_ner.corpus import load_examples
    from fazhi_ner.evaluation.summary import cv_summary
    from fazhi_ner.splits import FOLD_ORDER

    ensemble.check()
    heldout = {fold: load_examples(fold=fold, gold_directory=gold_directory) for fold in range(len(FOLD_ORDER))}
    members = [member_runs(name, submissions, heldout) for name in ensemble.members]
    seeds = sorted({s for runs in members for s in runs})
    voted: dict[int, dict[int, Predictions]] = {}
    for seed in seeds:
        voted[seed] = {}
        for fold, examples in heldout.items():
            texts = {ex.id: ex.text for ex in examples}
            member_preds = [runs.get(seed, runs[min(runs)])[fold] for runs in members]
            voted[seed][fold] = vote(member_preds, ensemble.min_votes, texts)
    return voted, cv_summary(heldout, voted)


VOTE_SYSTEM_PREFIX = "Span vote, "


def require_generated_vote(folder: Path) -> None:
    """Refuse to overwrite or remove a submission folder that a vote did not write (someone's own system)."""
    from fazhi_ner.evaluation.submission import METADATA, load_submission

    if not (folder / METADATA).is_file():
        if folder.exists() and any(folder.iterdir()):
            raise BaselineError(f"{folder}: exists without {METADATA}; expected a vote's folder, found other files")
        return
    system = load_submission(folder).system
    if not system.startswith(VOTE_SYSTEM_PREFIX):
        raise BaselineError(f"{folder}: holds the submission {system!r}, not a vote; rename the vote's submission folder")


def write_submission(ensemble: Vote, submissions: Path, *, uses_rule_tagger: bool, date: str,
                     gold_directory: Path | None = None) -> Path:  # fmt: skip
    """The vote as a leaderboard submission: test predictions voted from the members' test files, and the
    LODO fold files of :func:`vote_cv` (first seed), so the leaderboard ranks it like any system."""
    from fazhi_ner.baselines.base import BaselineConfig
    from fazhi_ner.baselines.submission import write_submission_folder
    from fazhi_ner.corpus import load_examples
    from fazhi_ner.evaluation.readers import read_predictions
    from fazhi_ner.evaluation.submission import TEST_FILE

    if not ensemble.submission:
        raise BaselineError(f"ensemble {ensemble.name!r}: no submission folder name")
    test = load_examples("test", gold_directory=gold_directory)
    texts = {ex.id: ex.text for ex in test}
    members = [read_predictions(submissions / m / TEST_FILE, list(test)) for m in ensemble.members]
    voted, _ = vote_cv(ensemble, submissions, gold_directory)
    config = BaselineConfig(
        name=ensemble.submission,
        system=f"{VOTE_SYSTEM_PREFIX}{ensemble.min_votes} of {', '.join(ensemble.members)}",
        type="other",
        description=(
            f"{ensemble.name}: keeps a span predicted by at least {ensemble.min_votes} of {', '.join(ensemble.members)}; "
            "overlaps go to more votes, then to the earlier member (fazhi_ner.baselines.ensemble). Computed from "
            "the members' prediction files; tagging new text needs every member trained."
        ),
        training_data="the members' training data (see each member)",
        link="https://en.wikipedia.org/wiki/Ensemble_learning",
        date=date,
        uses_rule_tagger=uses_rule_tagger,
    )
    folder = submissions / ensemble.submission
    require_generated_vote(folder)
    # the first seed's vote, written as a single run (predictions.fold<k>.jsonl)
    folds = {(fold, 0): predictions for fold, predictions in voted[min(voted)].items()}
    return write_submission_folder(config, vote(members, ensemble.min_votes, texts), folds, root=submissions)

"""The leaderboard: score every submission and write eval/leaderboard.json, LEADERBOARD.md and leaderboard.html.

Outputs are a pure function of the submissions, the gold and the agreement file: no timestamps,
sorted rows, rounded floats, atomic writes; ``--check`` regenerates in memory and compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from fazhi_ner.atomic import write_or_check
from fazhi_ner.corpus import Example, fingerprint, load_examples
from fazhi_ner.errors import GoldError, SubmissionError
from fazhi_ner.evaluation.harness import evaluate
from fazhi_ner.evaluation.readers import InvalidPredictions, load_prediction_file
from fazhi_ner.evaluation.submission import Submission, discover_submissions
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.paths import annotation_dir, eval_dir
from fazhi_ner.scores import (
    LEADERBOARD_FILE,
    Bootstrap,
    Cell,
    CvSummary,
    HumanCeiling,
    Leaderboard,
    Score,
    SystemRow,
    read_leaderboard,
)
from fazhi_ner.version import __version__

FILES = (LEADERBOARD_FILE, "LEADERBOARD.md", "leaderboard.html")
BOOTSTRAP = 1000
SEED = 0

COMMAND = "fazhi eval leaderboard"  # what regenerates the leaderboard files


def _r(x: float) -> float:
    return round(float(x), 6)


def _score(sub: Submission, test: list[Example], gold_directory: Path | None) -> SystemRow:
    """Score one submission with the shared summaries (the same numbers eval/baselines.json records)."""
    from fazhi_ner.evaluation.summary import cv_summary, summarise_result

    try:
        result = evaluate(test, load_prediction_file(sub.test_file, test).for_scoring(), bootstrap=BOOTSTRAP, seed=SEED)
    except InvalidPredictions as exc:
        raise SubmissionError(f"submission {sub.name}: {exc}") from None
    summary = summarise_result(result)
    cv = None
    by_seed = sub.fold_files_by_seed()
    if by_seed:
        folds = sorted({fold for files in by_seed.values() for fold in files})
        heldout = {k: load_examples(fold=k, gold_directory=gold_directory) for k in folds}
        runs: dict[int, dict[int, object]] = {}
        for seed, files in by_seed.items():
            for k, path in files.items():
                try:
                    runs.setdefault(seed, {})[k] = load_prediction_file(path, heldout[k]).for_scoring()
                except InvalidPredictions as exc:
                    raise SubmissionError(f"submission {sub.name}: {exc}") from None
        cv = cv_summary(heldout, runs)  # type: ignore[arg-type]
    return SystemRow(
        name=sub.name,
        system=sub.system,
        description=sub.description,
        type=sub.type,
        training_data=list(sub.training_data),
        link=sub.link,
        date=sub.date,
        contact=sub.contact or None,
        uses_rule_tagger=sub.uses_rule_tagger,
        micro=summary.micro,
        macro_f1=summary.macro_f1,
        per_label=summary.per_label,
        partial_f1=summary.partial_f1,
        invalid_iob2_transitions=summary.invalid_iob2_transitions,
        cv=cv,
        rank=0,
    )


def human_ceiling(path: Path) -> HumanCeiling | None:
    """The human-agreement row from annotation/agreement.json, or None when it is absent or unusable (the
    leaderboard is still built; the card says the file holds no figures)."""
    from fazhi_ner.agreement_results import read_agreement
    from fazhi_ner.errors import ResultFormatError

    if not path.is_file():
        return None
    try:
        agreement = read_agreement(path)
    except (ResultFormatError, UnicodeDecodeError):
        return None
    micro = agreement.strict.micro
    per_label = {
        name: Cell(_r(agreement.strict.per_label[name].f1) if name in agreement.strict.per_label else None, None)
        for name in LABEL_NAMES
    }
    return HumanCeiling(
        name="human-agreement",
        system="Annotator agreement (AI annotator agents; ceiling, not a system)",
        type="human",
        micro=Cell(_r(micro.f1), [_r(micro.ci[0]), _r(micro.ci[1])]),
        per_label=per_label,
        docs=sorted(agreement.docs),
        source="annotation/agreement.json",
    )


def build(
    submissions_dir: Path | None = None, *, gold_directory: Path | None = None, agreement: Path | None = None
) -> Leaderboard:
    """The leaderboard (deterministic)."""
    submissions = discover_submissions(submissions_dir or eval_dir() / "submissions")
    try:
        test = load_examples("test", gold_directory=gold_directory)
        fp: str | None = fingerprint(test) if test else None
    except GoldError:
        if submissions:
            raise
        test, fp = [], None
    if submissions and not test:
        raise SubmissionError("cannot score submissions: the test split has no gold sentences yet")
    rows = sorted((_score(sub, test, gold_directory) for sub in submissions), key=lambda r: (-r.micro.f1, r.name))
    human = human_ceiling(agreement or annotation_dir() / "agreement.json")
    return Leaderboard(
        dataset_version=__version__,
        metric="strict micro F1 (seqeval mode=strict, scheme=IOB2), 95% bootstrap CI over test sentences",
        bootstrap=Bootstrap(BOOTSTRAP, SEED, "sentence"),
        test_fingerprint=fp,
        test_sentences=len(test),
        labels=list(LABEL_NAMES),
        systems=[replace(row, rank=rank) for rank, row in enumerate(rows, start=1)],
        human_ceiling=human,
    )


def load(directory: Path | None = None) -> Leaderboard:
    """eval/leaderboard.json; a wrong shape is a ResultFormatError naming the file."""
    return read_leaderboard(directory or eval_dir())


def _f(x: object) -> str:
    return "–" if x is None else f"{float(x):.3f}"  # type: ignore[arg-type]


def _fci(cell: Score | Cell) -> str:
    return f"{_f(cell.f1)} [{_f(cell.ci[0])}, {_f(cell.ci[1])}]" if cell.ci else _f(cell.f1)


RULES_CAVEAT = (
    "The rule tagger (`{name}`) was developed with every report visible, test report included: its scores, "
    "and those of every system that reads its output, are optimistic."
)
STACKED_CAVEAT = "Systems that read the rule tagger's output inherit that advantage: {names}."
UNSTATED = "Submissions marked ? do not say whether they read the rule tagger."


def _flag(value: object) -> str:
    return "yes" if value is True else "no" if value is False else "?"


def _cv_cell(cv: CvSummary | None) -> str:
    if not cv or not cv.pooled:
        return "–"
    pooled = cv.pooled
    spread = f" ± {pooled.std:.3f}" if len(pooled.per_seed) > 1 else ""
    return f"{pooled.mean:.3f}{spread} ({len(cv.folds)})"


def caveat_notes(systems: Sequence[tuple[str, str, bool | None]]) -> list[str]:
    """Notes beside rows of (name, type, uses_rule_tagger): the rule tagger was written with the test report
    visible. The leaderboard and eval/BASELINES.md show the same wording."""
    rules = [name for name, kind, _ in systems if kind == "rules"]
    stacked = [name for name, kind, reads in systems if reads is True and kind != "rules"]
    out = [RULES_CAVEAT.format(name=", ".join(rules))] if rules else []
    if stacked:
        out.append(STACKED_CAVEAT.format(names=", ".join(f"`{n}`" for n in stacked)))
    if any(reads is None for _, _, reads in systems):
        out.append(UNSTATED)
    return out


def caveats(board: Leaderboard) -> list[str]:
    """Notes every rendering of the board shows beside the rows (rules written with the test report visible)."""
    return caveat_notes([(r.name, r.type, r.uses_rule_tagger) for r in board.systems])


def render_markdown(board: Leaderboard) -> str:
    lines = [
        "# FaZhi-NER leaderboard",
        "",
        "<!-- generated by `fazhi eval leaderboard`; do not edit by hand -->",
        "",
        f"Dataset version {board.dataset_version}. Test split: {board.test_sentences} sentences, "
        f"gold fingerprint `{board.test_fingerprint or 'none (no gold yet)'}`.",
        "",
        f"Ranked by {board.metric} ({board.bootstrap.resamples} resamples, seed {board.bootstrap.seed}). "
        "Per-label cells are strict F1 with their CI; partial F1 is the SemEval-2013 partial schema. "
        "LODO pooled F1 scores the leave-one-report-out predictions pooled over all held-out sentences "
        "(mean ± std over seeds when there are several), exactly as eval/BASELINES.md does.",
        "",
    ]
    head = ["#", "System", "Type", "Micro F1 [95% CI]", "P", "R", "Macro F1"]
    head += [f"{name} F1" for name in LABEL_NAMES] + ["Partial F1", "LODO pooled F1 (folds)", "Reads rule tagger"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in board.systems:
        cells = [
            str(row.rank),
            f"[{row.system}]({row.link})",
            row.type,
            _fci(row.micro),
            _f(row.micro.precision),
            _f(row.micro.recall),
            _f(row.macro_f1),
            *(_fci(row.per_label[name]) for name in LABEL_NAMES),
            _f(row.partial_f1["partial"]),
            _cv_cell(row.cv),
            _flag(row.uses_rule_tagger),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    human = board.human_ceiling
    if human:
        cells = ["–", f"**{human.system}**", "agreement ceiling", _fci(human.micro), "–", "–", "–"]
        cells += [_f(human.per_label[name].f1) for name in LABEL_NAMES] + ["–", "–", "–"]
        lines.append("| " + " | ".join(cells) + " |")
    notes = caveats(board)
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    if not board.systems:
        lines += ["", "No submissions yet. See [submissions/README.md](submissions/README.md) to add one."]
    if human:
        docs = ", ".join(human.docs) or "unspecified documents"
        lines += [
            "",
            f"The agreement row is inter-annotator agreement (strict F1) on {docs}, from {human.source}: a ceiling, "
            "not a system. Both passes were made by AI annotator agents from the same guidelines (annotation/PROCESS.md), "
            "so it is not a human-agreement figure and likely overstates what independent human annotators would reach.",
        ]
    return "\n".join(lines) + "\n"


def render_json(board: Leaderboard) -> str:
    return board.to_json()


def outputs(board: Leaderboard) -> dict[str, str]:
    from fazhi_ner.evaluation.html import render_html

    return {
        LEADERBOARD_FILE: render_json(board),
        "LEADERBOARD.md": render_markdown(board),
        "leaderboard.html": render_html(board),
    }


def write(board: Leaderboard, directory: Path | None = None) -> list[Path]:
    """Write the three leaderboard files as one set (all new or all old, never a mix)."""
    directory = directory or eval_dir()
    files = {directory / name: text for name, text in outputs(board).items()}
    write_or_check(files, check=False, command=COMMAND)
    return list(files)


def check(board: Leaderboard, directory: Path | None = None) -> None:
    """Raise StaleError naming every committed file that differs from what would be generated."""
    directory = directory or eval_dir()
    write_or_check({directory / name: text for name, text in outputs(board).items()}, check=True, command=COMMAND)

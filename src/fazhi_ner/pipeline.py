"""The registry of generated artefacts: every committed file a command writes, the command that writes it, and the
command that checks it, in dependency order.

Why: with each stage's ``--check`` listed by hand in the Makefile, generated files went unchecked
(``eval/ACTIVE_LEARNING.md``, ``annotation/gold/``, ``annotation/stats.*``) and ``make reproduce`` and ``make check``
listed different steps. Here each generated file has one owner; ``fazhi reproduce`` runs the ``build`` commands and
``fazhi check`` the ``check`` commands, both from this table, and ``tests/test_pipeline.py`` fails when a committed
file is neither curated nor claimed by exactly one step.

The table holds command lines, not functions: the commands are the stable, documented interface (README), and
this module stays free of any stage import. Every ``check`` writes nothing and exits 1 when a committed file is
stale (the one meaning of the verb).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One producer of committed files.

    ``build`` is what ``fazhi reproduce`` runs (``None`` for a study too long for reproduce, or for files another
    step writes: their committed output is still checked); ``check`` writes nothing and fails on a stale output; ``outputs`` and ``inputs`` are glob
    patterns relative to the checkout (``**`` for any depth).
    """

    name: str
    build: tuple[str, ...] | None
    check: tuple[str, ...]
    outputs: tuple[str, ...]
    inputs: tuple[str, ...] = ()
    doc: str = ""


STEPS: tuple[Step, ...] = (
    Step(
        "schema",
        ("schema", "write"),
        ("schema", "check"),
        ("annotation/label_config.xml",),
        ("src/fazhi_ner/labels.py",),
        "the Label Studio XML and the label table in the guidelines, from the one label definition",
    ),
    Step(
        "gold",
        ("annotate", "convert-all"),
        ("annotate", "convert-all", "--check"),
        ("annotation/gold/*.jsonl",),
        ("annotation/exports/gold.json", "seeds/*"),
        "the seed gold spans, converted from the committed Label Studio export",
    ),
    Step(
        "annotation-stats",
        ("annotate", "stats"),
        ("annotate", "stats", "--check"),
        ("annotation/stats.json", "annotation/stats.md"),
        ("annotation/gold/*.jsonl",),
        "per report and label counts of the seed gold",
    ),
    Step(
        "annotation-agreement",
        ("annotate", "agreement"),
        ("annotate", "agreement", "--check"),
        ("annotation/agreement.json", "annotation/agreement.md"),
        ("annotation/exports/pass1.json", "annotation/exports/pass2.json"),
        "agreement of the two independent passes over the seeds",
    ),
    Step(
        "synthetic-gold",
        ("synthetic", "convert"),
        ("synthetic", "convert", "--check"),
        ("annotation/synthetic/gold/*.jsonl",),
        ("annotation/synthetic/review/gold/*", "annotation/synthetic/texts/*", "annotation/synthetic/manifest.jsonl"),
        "the synthetic corpus' gold spans, from its adjudicated review files",
    ),
    Step(
        "synthetic-agreement",
        ("synthetic", "agreement"),
        ("synthetic", "agreement", "--check"),
        ("annotation/synthetic/agreement.json", "annotation/synthetic/agreement.md"),
        ("annotation/synthetic/review/pass1/*", "annotation/synthetic/review/pass2/*"),
        "agreement of the synthetic corpus' second pass",
    ),
    Step(
        "synthetic-overlap",
        ("synthetic", "overlap"),
        ("synthetic", "overlap"),
        (),
        ("annotation/synthetic/texts/*", "seeds/*"),
        "a gate: the synthetic texts share no 25-character window with a seed",
    ),
    Step(
        "links-gold",
        ("links", "check"),
        ("links", "check"),
        (),
        ("annotation/links/**", "annotation/gold/*.jsonl"),
        "a gate: the link folders agree with the taxonomy and the span gold",
    ),
    Step(
        "links-agreement",
        ("links", "agreement"),
        ("links", "agreement", "--check"),
        ("annotation/links/agreement.json", "annotation/links/agreement.md"),
        ("annotation/links/pass1/*", "annotation/links/pass2/*"),
        "agreement of the two link passes",
    ),
    Step(
        "links-evaluate",
        ("links", "evaluate"),
        ("links", "evaluate", "--check"),
        ("eval/links/*",),
        ("annotation/links/gold/*", "annotation/synthetic/links/*"),
        "LODO accuracy of the linker",
    ),
    Step(
        "comparison-table",
        ("table", "build"),
        ("table", "build", "--check"),
        ("eval/comparison/*",),
        ("annotation/links/gold/*", "annotation/gold/*.jsonl"),
        "the comparison table and page of the seed reports",
    ),
    Step(
        "baselines",
        ("baselines", "reproduce"),
        ("baselines", "check"),
        ("eval/baselines.json", "eval/BASELINES.md", "eval/submissions/*/*"),
        ("baselines/*.yaml", "annotation/gold/*.jsonl", "annotation/synthetic/gold/*.jsonl"),
        "every baseline trained and scored (LODO, test, cost, forms), their submissions",
    ),
    Step(
        "baselines-weights",
        None,
        ("baselines", "weights", "--check"),
        ("baselines/weights/**",),
        ("eval/submissions/spacy/predictions.jsonl", "eval/submissions/bilstm/predictions.jsonl"),
        "written by the baselines step (`baselines reproduce`): the spaCy and BiLSTM models behind their leaderboard "
        "predictions, with sha256s; the check loads them and must predict the committed test predictions exactly",
    ),
    Step(
        "synthetic-study",
        None,
        ("baselines", "synthetic-study", "--check"),
        ("eval/synthetic_study.json", "eval/SYNTHETIC_STUDY.md"),
        ("baselines/*.yaml", "annotation/synthetic/gold/*.jsonl"),
        "a study (`fazhi baselines synthetic-study`): each model with 0/25/50/100% of the synthetic corpus",
    ),
    Step(
        "active-learning",
        None,
        ("annotate", "active-learning", "--check", "--no-simulate"),
        ("eval/ACTIVE_LEARNING.md", "eval/active_learning.json"),
        ("annotation/gold/*.jsonl",),
        "a study (`fazhi annotate active-learning`, 5-14 min): uncertainty vs random order; `check` verifies the report is "
        "the rendering of its committed JSON (`--check` alone reruns the simulation)",
    ),
    Step(
        "extraction",
        ("extraction", "evaluate"),
        ("extraction", "evaluate", "--check"),
        ("eval/extraction/*",),
        ("eval/submissions/*/*", "annotation/links/gold/*"),
        "end-to-end cell F1 from reports to the table",
    ),
    Step(
        "leaderboard",
        ("eval", "leaderboard"),
        ("eval", "leaderboard", "--check"),
        ("eval/leaderboard.json", "eval/LEADERBOARD.md", "eval/leaderboard.html"),
        ("eval/submissions/*/*",),
        "the leaderboard of every submission",
    ),
    Step(
        "dataset",
        ("dataset", "build"),
        ("dataset", "build", "--check"),
        ("dataset/**", "DATASET_CARD.md"),
        ("annotation/gold/*.jsonl", "annotation/synthetic/gold/*.jsonl", "eval/leaderboard.json"),
        "the Hugging Face dataset folder and its card",
    ),
)

# Committed files no command writes: people wrote them (text, annotation passes, adjudication, configs) or they are
# the source (seeds, code). Patterns relative to the checkout.
CURATED: tuple[str, ...] = (
    ".ci/*", ".gitignore", "DEVELOPERS.md", "LICENSE", "Makefile", "README.md", "pyproject.toml",
    "src/**", "tests/**", "benchmarks/**", "seeds/*", "baselines/**",
    "annotation/guidelines.md", "annotation/PROCESS.md", "annotation/adjudication.md", "annotation/known_issues.md",
    "annotation/exports/*.json", "annotation/review/**",
    "annotation/links/**",
    "annotation/synthetic/texts/*", "annotation/synthetic/manifest.jsonl", "annotation/synthetic/review/**",
    "annotation/synthetic/links/*", "annotation/synthetic/links-v3/*", "annotation/synthetic/assignments/*",
    "annotation/synthetic/*.md",
    "eval/submissions/README.md",
)  # fmt: skip


def step_names() -> tuple[str, ...]:
    return tuple(step.name for step in STEPS)


def select(names: tuple[str, ...] = ()) -> tuple[Step, ...]:
    """The named steps in table order (all when ``names`` is empty); an unknown name is an ArgumentError."""
    if not names:
        return STEPS
    from fazhi_ner.errors import ArgumentError

    known = step_names()
    for name in names:
        if name not in known:
            raise ArgumentError(f"unknown step {name!r}; expected one of {', '.join(known)}")
    return tuple(step for step in STEPS if step.name in names)

"""Issue 12 item 7: training-set augmentation, span votes across models, and their report table."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.baselines.augment import AugmentConfig, augment, numeral_swap, parse_config, similar_number
from fazhi_ner.baselines.ensemble import Vote, vote, vote_cv, vote_sentence
from fazhi_ner.baselines.results import Augmentation, AugmentationAndEnsembles, AugmentRow, load
from fazhi_ner.corpus import Example, load_examples
from fazhi_ner.errors import BaselineError
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.paths import project_root
from fazhi_ner.sentences import Sentence
from fazhi_ner.spans import Span, spans_to_tags, tags_to_spans, validate_spans


def ex(sid: str, text: str, spans: list[tuple[int, int, str]]) -> Example:
    return Example(
        Sentence(sid, sid.rsplit("-", 1)[0], 0, 0, len(text), text),
        tuple(Span(a, b, label, text[a:b]) for a, b, label in spans),
    )


@st.composite
def examples(draw: st.DrawFn) -> Example:
    """A sentence of random pieces, some of them labelled spans (with digits, so numeral swaps have work)."""
    pieces = draw(
        st.lists(
            st.tuples(
                st.text("县局改革开展次件率12345.%", min_size=1, max_size=6), st.sampled_from((None, *LABEL_NAMES))
            ),
            min_size=1,
            max_size=6,
        )
    )
    text, spans = "", []
    for piece, label in pieces:
        if label is not None:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece + "，"
    return ex(f"doc-{draw(st.integers(0, 999)):04d}", text, spans)


def assert_consistent(example: Example) -> None:
    for span in example.spans:
        assert span.text == example.text[span.start : span.end] and span.text
    validate_spans(example.spans, example.text)  # labels known, in range, no overlap, text matches
    decoded = tags_to_spans(spans_to_tags(example.spans, len(example.text)))
    assert [(s.start, s.end, s.label) for s in decoded] == [(s.start, s.end, s.label) for s in example.spans]


def gaps(e: Example) -> list[str]:
    """The text between (and around) the spans."""
    bounds = [0, *(x for s in e.spans for x in (s.start, s.end)), len(e.text)]
    return [e.text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]


@settings(max_examples=60, deadline=None)
@given(st.lists(examples(), min_size=1, max_size=6, unique_by=lambda e: e.id), st.integers(0, 3))
def test_augmented_examples_are_consistent(train, seed):
    config = AugmentConfig(entity_swap=2, numeral_swap=1, seed=seed)
    extra = augment(train, config)
    originals = {e.id: e for e in train}
    for new in extra:
        assert_consistent(new)
        source = originals[new.id.split("~")[0]]
        assert [s.label for s in new.spans] == [s.label for s in source.spans]  # labels and order preserved
        assert gaps(new) == gaps(source)  # only span texts were replaced
    assert augment(train, config) == extra  # seeded: the same input gives the same copies


def test_entity_swap_uses_only_training_spans_of_the_same_label():
    train = [
        ex("a-0000", "县司法局开展会前学法21次。", [(0, 4, "AGENCY"), (6, 14, "INDICATOR")]),
        ex("a-0001", "县人民法院推进“最多跑一次”改革。", [(0, 5, "AGENCY"), (7, 16, "INITIATIVE")]),
    ]
    extra = augment(train, AugmentConfig(entity_swap=3, seed=0))
    assert extra and all("~e" in e.id for e in extra)
    pool = {(s.label, s.text) for e in train for s in e.spans}
    for new in extra:
        assert {(s.label, s.text) for s in new.spans} <= pool
        assert new.text != next(e.text for e in train if e.id == new.id.split("~")[0])
    only = augment(train, AugmentConfig(entity_swap=3, seed=0, labels=("INDICATOR",)))
    assert only == []  # one INDICATOR text in the pool: nothing to swap it with
    assert augment(train, AugmentConfig()) == []
    real = load_examples("train")
    assert augment(real, AugmentConfig(entity_swap=1, seed=0)) != augment(real, AugmentConfig(entity_swap=1, seed=5))


def test_numeral_swap_changes_only_numbers_inside_indicators():
    text = "2022年,开展会前学法21次,合格率99.3%,调解成功率100%。"
    spans = [
        (text.index(t), text.index(t) + len(t), "INDICATOR")
        for t in ("开展会前学法21次", "合格率99.3%", "调解成功率100%")
    ]
    source = ex("a-0000", text, spans)
    assert [s.text for s in source.spans] == ["开展会前学法21次", "合格率99.3%", "调解成功率100%"]
    import random

    for k in range(20):
        new = numeral_swap(source, random.Random(k), f"n{k}")
        assert new is not None
        assert_consistent(new)
        assert new.text.startswith("2022年,")  # numbers outside INDICATOR spans stay
        assert re.sub(r"[0-9.]+", "#", new.text) == re.sub(r"[0-9.]+", "#", source.text)
        pct = re.search(r"合格率([0-9.]+)%", new.text).group(1)
        assert re.fullmatch(r"[1-9][0-9]?\.[0-9]", pct) and float(pct) <= 100
    assert numeral_swap(ex("a-0001", "县司法局", [(0, 4, "AGENCY")]), random.Random(0), "n0") is None
    assert all(len(similar_number("5000", random.Random(k))) in (3, 4, 5) for k in range(30))


def test_augment_config_errors_name_the_key():
    assert parse_config({"entity_swap": 1}) == AugmentConfig(entity_swap=1)
    with pytest.raises(BaselineError, match="entity_swap: expected a non-negative integer"):
        parse_config({"entity_swap": -1})
    with pytest.raises(BaselineError, match="found copies"):
        parse_config({"copies": 1})
    with pytest.raises(BaselineError, match="labels"):
        parse_config({"entity_swap": 1, "labels": ["PERSON"]})


def test_crf_trains_on_augmented_copies_of_the_training_sentences_only():
    from fazhi_ner.baselines.registry import create

    train = [e for e in load_examples("train") if e.spans][:25]
    dev = load_examples("validation")[:10]
    model = create("crf")
    model.config = model.config.__class__(**{**model.config.__dict__, "params": {
        **model.config.params, "grid": {"c1": [0.1], "c2": [0.1]}, "jieba": False, "max_iterations": 5,
        "augment": {"entity_swap": 1, "numeral_swap": 1, "seed": 0}}})  # fmt: skip
    model.fit(train, dev)
    assert model.info["train_sentences"] == 25
    assert model.info["augmented_sentences"] == len(augment(train, AugmentConfig(1, 1, 0))) > 25
    assert model.info["dev_sentences"] == 10
    params = {**model.config.params, "features": ["chars", "lexicon"]}
    model.config = model.config.__class__(**{**model.config.__dict__, "params": params})
    with pytest.raises(BaselineError, match="cannot be combined with the 'lexicon'"):
        model.fit(train, dev)


# ---------------------------------------------------------------- votes


def S(a: int, b: int, label: str = "AGENCY") -> Span:  # noqa: N802
    return Span(a, b, label)


def test_vote_keeps_spans_with_enough_votes_and_resolves_overlaps():
    a = [S(0, 4), S(6, 9, "INDICATOR")]
    b = [S(0, 4), S(5, 9, "INDICATOR")]
    c = [S(0, 3), S(5, 9, "INDICATOR"), S(10, 12, "INITIATIVE")]
    got = vote_sentence([a, b, c], 2)
    assert [(s.start, s.end, s.label) for s in got] == [(0, 4, "AGENCY"), (5, 9, "INDICATOR")]
    # with one vote needed, more votes win an overlap: (5, 9) has two, (6, 9) one
    got = vote_sentence([a, b, c], 1, text="县司法局开展会前学法21次")
    assert [(s.start, s.end) for s in got] == [(0, 4), (5, 9), (10, 12)]
    assert got[0].text == "县司法局"
    # equal votes: the earlier-listed member wins
    assert vote_sentence([[S(0, 3)], [S(0, 4)]], 1) == [S(0, 3)]
    assert vote_sentence([[S(0, 4)], [S(0, 3)]], 1) == [S(0, 4)]
    assert vote_sentence([a, [], []], 2) == []
    assert vote_sentence([a, a], 2) == vote_sentence([a], 1)


def test_vote_requires_the_same_sentences_and_a_sane_threshold():
    with pytest.raises(BaselineError, match="expected the same ids"):
        vote([{"x": []}, {"y": []}], 1)
    with pytest.raises(BaselineError, match="min_votes expected 1..2"):
        Vote("v", ("a", "b"), 3).check()
    with pytest.raises(BaselineError, match="two or more distinct members"):
        Vote("v", ("a", "a"), 1).check()


def _write_member(root, name: str, runs: dict[int, dict[int, dict[str, list[Span]]]]) -> None:
    from fazhi_ner.baselines.base import BaselineConfig
    from fazhi_ner.baselines.protocol import fold_filename
    from fazhi_ner.baselines.submission import write_predictions

    config = BaselineConfig(name, name, "feature-based", "test member", "train", "https://example.org", "2026-11-30")
    write_predictions(config, {}, root=root)  # a submission folder always holds test predictions
    for seed, folds in runs.items():
        for fold, preds in folds.items():
            write_predictions(config, preds, filename=fold_filename(fold, seed, sorted(runs)), root=root)


def test_vote_cv_reads_fold_files_and_scores_like_the_leaderboard(tmp_path):
    heldout = {fold: load_examples(fold=fold) for fold in range(5)}
    gold = {0: {f: {e.id: list(e.spans) for e in exs} for f, exs in heldout.items()}}
    empty = {0: {f: {e.id: [] for e in exs} for f, exs in heldout.items()}}
    _write_member(tmp_path, "good", gold)
    _write_member(tmp_path, "bad", empty)
    _write_member(tmp_path, "also", gold)
    _, cv = vote_cv(Vote("v", ("bad", "good"), 1), tmp_path)
    assert cv.pooled.mean == 1.0
    _, cv = vote_cv(Vote("v", ("bad", "good"), 2), tmp_path)
    assert cv.pooled.mean == 0.0
    voted, cv = vote_cv(Vote("v", ("good", "bad", "also"), 2), tmp_path)
    assert cv.pooled.mean == 1.0 and sorted(voted) == [0]
    with pytest.raises(BaselineError, match="no predictions of ensemble member 'nobody'"):
        vote_cv(Vote("v", ("good", "nobody"), 1), tmp_path)


# ---------------------------------------------------------------- the report table


def test_table_is_rendered_from_the_results(tmp_path):
    from fazhi_ner.baselines import protocol, variants
    from fazhi_ner.baselines.report import markdown
    from fazhi_ner.paths import eval_dir

    results = load(eval_dir())
    plan = variants.load_plan()
    assert plan is not None and plan.ensembles
    block = variants.run(plan, protocol.load_settings(), [], results.baselines, eval_dir() / "submissions")
    assert block.augmentation is None  # the base did not run: no variant rows are invented
    crf = results.baselines["crf"].cross_validation
    row = AugmentRow("entity swap", {"entity_swap": 1}, crf, False, 0.1234, True)
    results = replace(results, augmentation_and_ensembles=replace(block, augmentation=Augmentation("crf-lac", 0.5, None, [row])))
    page = markdown(results)
    section = page.split("## Augmentation and ensembles")[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("| ") and "Variant" not in line]
    assert len(lines) == 1 + len(plan.ensembles)
    assert f"| {100 * crf.pooled.mean:.1f} |" in lines[0] and "| +12.3 | yes:" in lines[0] and "not yet switched on" in lines[0]
    for line, ens in zip(lines[1:], block.ensembles, strict=True):
        f1 = ens.cross_validation.pooled.mean
        assert f"| {100 * f1:.1f} " in line  # "| 77.8 |" for one seed, "| 77.8 ± 0.4 |" for several
        measured = f1 - ens.best_member_f1 > plan.min_gain
        if ens.recorded:  # a vote with a leaderboard submission: the recorded decision, the measurement beside it
            assert ("| yes (recorded" in line) == ens.kept and ens.measured_kept == measured
            assert ("this run agrees" in line) == (measured == ens.kept)
        else:
            assert ("| yes:" in line) == ens.kept == measured
        assert f"best member `{ens.best_member}`" in line
    stacked = next(r for r in block.ensembles if "rules" in r.members)
    assert stacked.uses_rule_tagger is True


def test_plan_errors_name_the_file(tmp_path):
    from fazhi_ner.baselines.variants import load_plan

    path = tmp_path / "reproduce.yaml"
    path.write_text("augmentation_and_ensembles:\n  ensembles:\n    - {name: v, members: [crf, rules], min_votes: 3}\n")
    with pytest.raises(BaselineError, match=r"reproduce.yaml: augmentation_and_ensembles: ensemble 'v': min_votes"):
        load_plan(path)
    path.write_text(
        "augmentation_and_ensembles:\n  augmentation:\n    base: crf-lac\n    variants:\n      - {name: x, augment: {swap: 1}}\n"
    )
    with pytest.raises(
        BaselineError, match="reproduce.yaml: augmentation_and_ensembles.augmentation 'x': expected keys"
    ):
        load_plan(path)
    path.write_text("seeds: [0]\n")
    assert load_plan(path) is None


def test_cli_vote_prints_the_lodo_figures_and_rejects_bad_usage(capsys):
    from fazhi_ner.cli import main
    from fazhi_ner.paths import eval_dir

    assert main(["baselines", "vote", "--model", "rules", "--model", "crf-rules", "--min-votes", "1"]) == 0
    out = capsys.readouterr().out
    _, cv = vote_cv(Vote("v", ("rules", "crf-rules"), 1), eval_dir() / "submissions")
    assert f"LODO pooled F1 {cv.pooled.mean:.4f}" in out
    assert main(["baselines", "vote", "--model", "rules", "--min-votes", "1"]) == 2
    assert "two or more distinct members" in capsys.readouterr().err


def test_augmentation_tasks_vary_only_the_augmentation_and_keep_held_out_reports_out(tmp_path):
    from fazhi_ner.baselines import protocol, variants
    from fazhi_ner.baselines.registry import create

    path = tmp_path / "reproduce.yaml"
    path.write_text(
        "augmentation_and_ensembles:\n  augmentation:\n    base: crf-lac\n    variants:\n"
        "      - {name: es, augment: {entity_swap: 1}, seeds: [0, 3]}\n"
    )
    plan = variants.load_plan(path)
    tasks = variants.augmentation_tasks(plan, protocol.load_settings(), None)
    assert len(tasks) == 2 * 5
    config = create("crf-lac").config.params
    for task in tasks:
        params = dict(task.params)
        assert params["augment"] == {"entity_swap": 1, "seed": task.seed} and task.seed in (0, 3)
        assert {k: v for k, v in params.items() if k != "augment"} == config  # features, c1, c2 untouched
        train_docs = {e.sentence.doc_id for e in task.train}
        assert not train_docs & {e.sentence.doc_id for e in (*task.dev, *task.evaluate)}


def test_check_fails_when_a_recorded_vote_does_not_follow_from_the_fold_files():
    from fazhi_ner.baselines import protocol, variants
    from fazhi_ner.errors import StaleError
    from fazhi_ner.paths import eval_dir

    results = load(eval_dir())
    plan = variants.load_plan()
    block = variants.run(plan, protocol.load_settings(), [], results.baselines, eval_dir() / "submissions")
    variants.check_votes(replace(results, augmentation_and_ensembles=block), eval_dir() / "submissions")  # consistent
    row = block.ensembles[0]
    cv = replace(row.cross_validation, pooled=replace(row.cross_validation.pooled, mean=0.999))
    edited = replace(block, ensembles=[replace(row, cross_validation=cv), *block.ensembles[1:]])
    with pytest.raises(StaleError, match=f"the vote {row.name!r} of the fold files"):
        variants.check_votes(replace(results, augmentation_and_ensembles=edited), eval_dir() / "submissions")


def test_reproduce_only_keeps_the_earlier_augmentation_rows_and_recomputes_votes(tmp_path, monkeypatch):
    import io

    from rich.console import Console

    from fazhi_ner.baselines import protocol, variants
    from fazhi_ner.paths import eval_dir

    plan = variants.load_plan()
    planned = variants.Plan(plan.min_gain, "crf-lac", (variants.AugmentVariant("es", {"entity_swap": 1}),), plan.ensembles)
    monkeypatch.setattr(variants, "load_plan", lambda: planned)  # an augmentation is planned, its base not rerun

    results = load(eval_dir())
    augmentation = Augmentation("crf-lac", 0.5, None, [])
    earlier = replace(results, augmentation_and_ensembles=AugmentationAndEnsembles(0.01, augmentation))
    (tmp_path / "baselines.json").write_text(earlier.to_json(), encoding="utf-8")
    results = variants.add_to_results(
        results, ["rules"], protocol.load_settings(), eval_dir() / "submissions", gold_directory=None, jobs=1,
        console=Console(file=io.StringIO()), eval_root=tmp_path,
    )  # fmt: skip
    block = results.augmentation_and_ensembles
    assert block.augmentation == augmentation  # crf-lac did not run: rows kept
    assert [r.name for r in block.ensembles] == [e.name for e in variants.load_plan().ensembles]
    assert all(r.cross_validation is not None for r in block.ensembles)


def test_a_kept_vote_becomes_a_leaderboard_submission_and_never_overwrites_another(tmp_path):
    from fazhi_ner.baselines.base import BaselineConfig
    from fazhi_ner.baselines.ensemble import write_submission
    from fazhi_ner.baselines.submission import write_predictions
    from fazhi_ner.evaluation.leaderboard import build
    from fazhi_ner.evaluation.submission import load_submission

    heldout = {fold: load_examples(fold=fold) for fold in range(5)}
    test = load_examples("test")
    for name, keep in (("good", True), ("bad", False), ("also", True)):
        runs = {0: {f: {e.id: list(e.spans) if keep else [] for e in exs} for f, exs in heldout.items()}}
        _write_member(tmp_path, name, runs)
        config = BaselineConfig(name, name, "other", "d", "t", "https://example.org", "2026-11-30")
        write_predictions(config, {e.id: list(e.spans) if keep else [] for e in test}, root=tmp_path)
    ensemble = Vote("v", ("good", "bad", "also"), 2, "vote-x")
    folder = write_submission(ensemble, tmp_path, uses_rule_tagger=False, date="2026-11-30")
    sub = load_submission(folder)
    assert sub.system.startswith("Span vote, 2 of good, bad, also") and sub.uses_rule_tagger is False
    assert sorted(fold for fold, _, _ in sub.fold_files) == [0, 1, 2, 3, 4]
    row = next(r for r in build(tmp_path).systems if r.name == "vote-x")
    assert row.micro.f1 == 1.0
    other = Vote("v", ("good", "bad"), 1, "good")  # the folder of a real system: refused, untouched
    before = (tmp_path / "good" / "submission.yaml").read_text(encoding="utf-8")
    with pytest.raises(BaselineError, match="not a vote"):
        write_submission(other, tmp_path, uses_rule_tagger=False, date="2026-11-30")
    assert (tmp_path / "good" / "submission.yaml").read_text(encoding="utf-8") == before


def test_a_recorded_decision_not_the_measurement_keeps_a_vote(tmp_path, monkeypatch):
    """A rerun whose gain lands on the other side of min_gain cannot add or delete a leaderboard entry."""
    from types import SimpleNamespace

    from fazhi_ner.baselines import protocol, registry, variants

    monkeypatch.setattr(registry, "create", lambda name, seed=0: SimpleNamespace(config=SimpleNamespace(date="2026-11-30")))
    from fazhi_ner.baselines.base import BaselineConfig
    from fazhi_ner.baselines.submission import write_predictions

    heldout = {fold: load_examples(fold=fold) for fold in range(5)}
    test = load_examples("test")
    committed = load(project_root() / "eval").baselines["crf"]
    baselines = {}
    for name, keep in (("good", True), ("bad", False)):
        runs = {0: {f: {e.id: list(e.spans) if keep else [] for e in exs} for f, exs in heldout.items()}}
        _write_member(tmp_path, name, runs)
        write_predictions(BaselineConfig(name, name, "other", "d", "t", "https://example.org", "2026-11-30"),
                          {e.id: [] for e in test}, root=tmp_path)  # fmt: skip
        cv = committed.cross_validation
        cv = replace(cv, pooled=replace(cv.pooled, mean=1.0 if keep else 0.0))
        baselines[name] = replace(committed, type="other", cross_validation=cv)
    # "good" alone is as good as the vote (gain 0 <= min_gain): measured, it would not be kept
    plan = variants.Plan(0.01, None, (), (Vote("v", ("good", "bad"), 1, "vote-x", keep=True),))
    block = variants.run(plan, protocol.load_settings(), [], baselines, tmp_path)
    row = block.ensembles[0]
    assert row.kept is True and row.measured_kept is False and (tmp_path / "vote-x").is_dir()
    plan = variants.Plan(0.01, None, (), (Vote("v", ("good", "bad"), 1, "vote-x", keep=False),))
    variants.run(plan, protocol.load_settings(), [], baselines, tmp_path)
    assert not (tmp_path / "vote-x").exists()


def test_a_vote_with_a_submission_must_record_its_decision(tmp_path):
    from fazhi_ner.baselines.variants import load_plan

    path = tmp_path / "reproduce.yaml"
    path.write_text(
        "augmentation_and_ensembles:\n  ensembles:\n    - {name: v, members: [crf, rules], min_votes: 1, submission: s}\n"
    )
    with pytest.raises(BaselineError, match="its decision must be recorded: add `keep: true` or `keep: false`"):
        load_plan(path)
    path.write_text(
        "augmentation_and_ensembles:\n  ensembles:\n    - {name: v, members: [crf, rules], min_votes: 1, keep: maybe}\n"
    )
    with pytest.raises(BaselineError, match="keep expected true or false"):
        load_plan(path)


def test_rows_of_an_augmentation_no_longer_planned_are_not_carried_over(tmp_path):
    import io

    from rich.console import Console

    from fazhi_ner.baselines import protocol, variants
    from fazhi_ner.paths import eval_dir

    results = load(eval_dir())
    block = AugmentationAndEnsembles(0.01, Augmentation("crf-lac", 0.5, None, []))
    (tmp_path / "baselines.json").write_text(replace(results, augmentation_and_ensembles=block).to_json(), encoding="utf-8")
    assert variants.load_plan().base is None  # baselines/reproduce.yaml plans no augmentation
    results = variants.add_to_results(
        results, ["rules"], protocol.load_settings(), eval_dir() / "submissions", gold_directory=None, jobs=1,
        console=Console(file=io.StringIO()), eval_root=tmp_path,
    )  # fmt: skip
    assert results.augmentation_and_ensembles.augmentation is None


def test_the_targets_row_counts_a_kept_vote_of_learned_models_as_a_learned_system():
    import dataclasses

    from fazhi_ner.baselines.report import targets
    from fazhi_ner.baselines.results import Baselines
    from fazhi_ner.paths import eval_dir

    results = Baselines.from_file(eval_dir() / "baselines.json")
    ensembles = results.augmentation_and_ensembles
    learned = next(e for e in ensembles.ensembles if not e.uses_rule_tagger)
    best_baseline = max(
        (n for n, r in results.baselines.items() if r.type != "rules" and not r.uses_rule_tagger),
        key=lambda n: results.baselines[n].lodo_f1,
    )

    def free_row(kept: bool) -> str:
        rows = [dataclasses.replace(e, kept=kept) if e is learned else e for e in ensembles.ensembles]
        edited = dataclasses.replace(results, augmentation_and_ensembles=dataclasses.replace(ensembles, ensembles=rows))
        return next(line for line in targets(edited) if "without the rule tagger (a kept vote" in line)

    vote_name = learned.submission or learned.name
    assert f"`{best_baseline}`" in free_row(kept=False)
    beats = learned.cross_validation.pooled.mean > results.baselines[best_baseline].lodo_f1
    assert (f"`{vote_name}`" in free_row(kept=True)) == beats

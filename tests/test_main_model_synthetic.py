"""The main model (the one scored on test and tagged with) trains on the synthetic share its config names."""

from __future__ import annotations

import pytest

from fazhi_ner.baselines import cost, protocol
from fazhi_ner.synthetic import is_synthetic


def test_the_benchmark_that_trains_the_main_model_adds_the_synthetic_share(monkeypatch, tmp_path):
    seen: dict[str, list] = {}

    class Stop(Exception):
        pass

    def fit(self, train, dev, log=None):  # noqa: ANN001, ANN202
        seen["train"] = list(train)
        raise Stop

    from fazhi_ner.baselines.registry import create

    model_class = type(create("crf-lac"))
    monkeypatch.setattr(model_class, "fit", fit)
    with pytest.raises(Stop):  # stopped before any training
        cost.measure("crf-lac", tmp_path / "m")
    share = create("crf-lac").config.params["synthetic"]
    assert share > 0
    synthetic = [e for e in seen["train"] if is_synthetic(e.sentence.doc_id)]
    assert len(synthetic) == len(protocol.with_synthetic([], {"synthetic": share}))


def test_reproduce_only_keeps_the_form_figures_of_the_models_it_did_not_rerun():
    from dataclasses import replace

    from fazhi_ner.baselines.results import load
    from fazhi_ner.paths import eval_dir

    earlier = load(eval_dir())
    earlier = replace(earlier, form_robustness=replace(earlier.form_robustness, models={"rules": {"a": 1.0}, "crf": {"a": 0.5}}))
    results = replace(earlier, baselines={"crf": earlier.baselines["crf"]},
                      form_robustness=replace(earlier.form_robustness, models={"crf": {"a": 0.9}}))  # fmt: skip
    merged = results.keep_earlier(earlier, protocol.load_settings().baselines)
    assert merged.form_robustness.models == {"crf": {"a": 0.9}, "rules": {"a": 1.0}}

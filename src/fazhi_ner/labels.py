"""The label schema: the single definition from which tags, ClassLabel, Label Studio XML and tables derive."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_ner.errors import LabelError


@dataclass(frozen=True)
class Label:
    """One entity type: its name, a one-line definition, a display colour and short examples."""

    name: str
    definition: str
    colour: str
    examples: tuple[str, ...]


LABELS: tuple[Label, ...] = (
    Label(
        name="AGENCY",
        definition="A specific organisation or collegial body that acts, decides or is named in the report.",
        colour="#1f77b4",
        examples=("县委全面依法治县委员会", "县政府常务会议", "仙居县司法局", "党工委"),
    ),
    Label(
        name="INITIATIVE",
        definition=("A named programme, campaign, reform, mechanism, platform, plan or named document."),
        colour="#2ca02c",
        examples=("“最多跑一次”改革", "“法律八进”", "《高台县法治建设绩效考评实施细则》", "“互联网+监管”平台"),
    ),
    Label(
        name="INDICATOR",
        definition="One reported quantitative result: the metric phrase with its value and unit.",
        colour="#d62728",
        examples=("开展会前学法21次", "评查案卷63卷", "合格率99.3%"),
    ),
)

LABEL_NAMES: tuple[str, ...] = tuple(label.name for label in LABELS)
OUTSIDE = "O"
TAGS: tuple[str, ...] = (OUTSIDE,) + tuple(f"{p}-{name}" for name in LABEL_NAMES for p in ("B", "I"))
TAG_TO_ID: dict[str, int] = {tag: i for i, tag in enumerate(TAGS)}
_BY_NAME: dict[str, Label] = {label.name: label for label in LABELS}


def get_label(name: str) -> Label:
    """Return the label called ``name`` or raise :class:`LabelError` listing the valid names."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise LabelError(f"unknown label {name!r}; expected one of {', '.join(LABEL_NAMES)}") from None


def tag_id(tag: str) -> int:
    """Index of ``tag`` in :data:`TAGS` (the ClassLabel id)."""
    try:
        return TAG_TO_ID[tag]
    except KeyError:
        raise LabelError(f"unknown tag {tag!r}; expected one of {', '.join(TAGS)}") from None


def label_table_markdown() -> str:
    """The label table used by the guidelines and the dataset card."""
    rows = ["| Label | Definition | Examples |", "|---|---|---|"]
    for label in LABELS:
        rows.append(f"| `{label.name}` | {label.definition} | {'; '.join(label.examples)} |")
    return "\n".join(rows) + "\n"

"""The two link taxonomies (INDICATOR metric ids, AGENCY body types), read from annotation/links/.

The YAML files are the single source of truth: the linker, the link validator, the dataset
columns ``metric_name_zh``/``metric_name_en``, the card and the comparison page all read them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fazhi_ner.errors import LinkError
from fazhi_ner.paths import annotation_dir
from fazhi_ner.yamlfile import read_yaml_mapping

OTHER = "other"
UNIT_KINDS = ("count", "percentage", "money", "rank", "change", "ratio", "quantity")
_METRIC_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_BODY_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Metric:
    """One metric id: what an INDICATOR counts."""

    id: str
    domain: str
    name_zh: str
    name_en: str
    unit_kind: str
    definition: str
    examples: tuple[str, ...]
    framework_area: str = ""


@dataclass(frozen=True)
class FrameworkArea:
    """An area of the national framework a metric belongs to, so metrics group as the framework groups them.

    ``corresponds`` says which first-/second-level area of the 2021 indicator system and which section of the
    2021–2025 outline it stands for (our wording, our reading).
    """

    id: str
    name_zh: str
    name_en: str
    corresponds: str


@dataclass(frozen=True)
class BodyType:
    """One kind of body an AGENCY mention can name."""

    id: str
    name_zh: str
    name_en: str
    definition: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """Both taxonomies plus the domain names; ``other`` is a valid metric link but not a Metric."""

    domains: dict[str, tuple[str, str]]
    metrics: dict[str, Metric]
    body_types: dict[str, BodyType]
    framework_areas: dict[str, FrameworkArea] = field(default_factory=dict)

    def allowed(self, label: str) -> frozenset[str]:
        """The link values a span of ``label`` may take."""
        if label == "INDICATOR":
            return frozenset(self.metrics) | {OTHER}
        if label == "AGENCY":
            return frozenset(self.body_types)
        raise LinkError(f"label {label!r} has no link taxonomy; expected INDICATOR or AGENCY")

    def metric_names(self, metric_id: str) -> tuple[str | None, str | None]:
        """(zh, en) names of a metric id; ``other`` gives ("其他", "other")."""
        if metric_id == OTHER:
            return "其他", "other"
        metric = self.metrics.get(metric_id)
        return (metric.name_zh, metric.name_en) if metric else (None, None)


def links_dir() -> Path:
    return annotation_dir() / "links"


def _text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LinkError(f"{where}: field {key!r} expected a non-empty string, found {value!r}")
    return value


def _examples(entry: dict, where: str) -> tuple[str, ...]:
    value = entry.get("examples", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LinkError(f"{where}: field 'examples' expected a list of strings, found {value!r}")
    return tuple(value)


def read_metrics(path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, Metric]]:
    """Domains and metrics; when the file defines ``framework_areas``, every metric must name one of them."""
    data = read_yaml_mapping(path, LinkError)
    areas = read_framework_areas(path)
    domains_raw = data.get("domains")
    if not isinstance(domains_raw, dict) or not domains_raw:
        raise LinkError(f"{path}: 'domains' expected a non-empty mapping")
    domains = {
        str(k): (_text(v, "name_zh", f"{path}: domain {k}"), _text(v, "name_en", f"{path}: domain {k}"))
        for k, v in domains_raw.items()
    }
    entries = data.get("metrics")
    if not isinstance(entries, list) or not entries:
        raise LinkError(f"{path}: 'metrics' expected a non-empty list")
    metrics: dict[str, Metric] = {}
    for index, entry in enumerate(entries):
        where = f"{path}: metrics[{index}]"
        if not isinstance(entry, dict):
            raise LinkError(f"{where}: expected a mapping, found {type(entry).__name__}")
        metric_id = _text(entry, "id", where)
        if not _METRIC_ID.match(metric_id):
            raise LinkError(f"{where}: id {metric_id!r} expected <domain>.<metric> in lower_snake_case")
        if metric_id in metrics:
            raise LinkError(f"{where}: id {metric_id!r} appears twice")
        domain = metric_id.split(".")[0]
        if domain not in domains:
            raise LinkError(f"{where}: id {metric_id!r} has domain {domain!r}, expected one of the listed domains")
        kind = _text(entry, "unit_kind", where)
        if kind not in UNIT_KINDS:
            raise LinkError(f"{where}: unit_kind {kind!r} expected one of {', '.join(UNIT_KINDS)}")
        area = ""
        if areas:
            area = _text(entry, "framework_area", where)
            if area not in areas:
                raise LinkError(f"{where}: framework_area {area!r} expected one of the listed framework_areas")
        metrics[metric_id] = Metric(
            metric_id,
            domain,
            _text(entry, "name_zh", where),
            _text(entry, "name_en", where),
            kind,
            _text(entry, "definition", where),
            _examples(entry, where),
            area,
        )
    return domains, metrics


def read_framework_areas(path: Path) -> dict[str, FrameworkArea]:
    """The ``framework_areas`` mapping of metrics.yaml (empty when the file predates it)."""
    data = read_yaml_mapping(path, LinkError)
    raw = data.get("framework_areas", {})
    if not isinstance(raw, dict):
        raise LinkError(f"{path}: 'framework_areas' expected a mapping, found {type(raw).__name__}")
    out: dict[str, FrameworkArea] = {}
    for key, entry in raw.items():
        where = f"{path}: framework_areas.{key}"
        if not isinstance(entry, dict) or not _BODY_ID.match(str(key)):
            raise LinkError(f"{where}: expected a lower_snake_case key with a mapping of name_zh, name_en, corresponds")
        out[str(key)] = FrameworkArea(
            str(key), _text(entry, "name_zh", where), _text(entry, "name_en", where), _text(entry, "corresponds", where)
        )
    return out


def read_body_types(path: Path) -> dict[str, BodyType]:
    data = read_yaml_mapping(path, LinkError)
    entries = data.get("body_types")
    if not isinstance(entries, list) or not entries:
        raise LinkError(f"{path}: 'body_types' expected a non-empty list")
    out: dict[str, BodyType] = {}
    for index, entry in enumerate(entries):
        where = f"{path}: body_types[{index}]"
        if not isinstance(entry, dict):
            raise LinkError(f"{where}: expected a mapping, found {type(entry).__name__}")
        body_id = _text(entry, "id", where)
        if not _BODY_ID.match(body_id) or body_id in out:
            raise LinkError(f"{where}: id {body_id!r} expected a new lower_snake_case id")
        out[body_id] = BodyType(
            body_id,
            _text(entry, "name_zh", where),
            _text(entry, "name_en", where),
            _text(entry, "definition", where),
            _examples(entry, where),
        )
    if OTHER not in out:
        raise LinkError(f"{path}: body type {OTHER!r} is required")
    return out


def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    """Read ``metrics.yaml`` and ``body_types.yaml`` from ``directory`` (default annotation/links)."""
    return _cached(str(Path(directory) if directory is not None else links_dir()))


@lru_cache(maxsize=4)
def _cached(directory: str) -> Taxonomy:
    root = Path(directory)
    for name in ("metrics.yaml", "body_types.yaml"):
        if not (root / name).is_file():
            raise LinkError(f"{root / name}: taxonomy file missing")
    domains, metrics = read_metrics(root / "metrics.yaml")
    areas = read_framework_areas(root / "metrics.yaml")
    return Taxonomy(domains, metrics, read_body_types(root / "body_types.yaml"), areas)

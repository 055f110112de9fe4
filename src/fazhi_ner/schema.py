"""Files generated from the label schema: the Label Studio config and the guidelines' label table."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

from fazhi_ner.atomic import write_or_check
from fazhi_ner.labels import LABELS, label_table_markdown
from fazhi_ner.paths import annotation_dir

TABLE_BEGIN = "<!-- BEGIN GENERATED LABEL TABLE (fazhi schema write) -->"
TABLE_END = "<!-- END GENERATED LABEL TABLE -->"
_TABLE_BLOCK = re.compile(re.escape(TABLE_BEGIN) + r".*?" + re.escape(TABLE_END), re.S)


def label_config_xml() -> str:
    """Label Studio labelling config: one ``<Labels>`` over a symbol-granular ``<Text>``."""
    lines = [
        "<!-- Generated from fazhi_ner.labels by `fazhi schema write`; do not edit. -->",
        "<View>",
        '  <Labels name="label" toName="text">',
    ]
    for label in LABELS:
        lines.append(
            f"    <Label value={quoteattr(label.name)} background={quoteattr(label.colour)} "
            f"hint={quoteattr(label.definition)}/>"
        )
    lines += [
        "  </Labels>",
        '  <Text name="text" value="$text" granularity="symbol"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def with_label_table(markdown: str) -> str:
    """``markdown`` with its generated label-table block replaced by the current table."""
    block = f"{TABLE_BEGIN}\n{label_table_markdown()}{TABLE_END}"
    if not _TABLE_BLOCK.search(markdown):
        return markdown
    return _TABLE_BLOCK.sub(lambda _: block, markdown)


def generated_files() -> dict[Path, str]:
    """Every schema-derived file and the content it must have."""
    directory = annotation_dir()
    files = {directory / "label_config.xml": label_config_xml()}
    guidelines = directory / "guidelines.md"
    if guidelines.is_file():
        files[guidelines] = with_label_table(guidelines.read_text(encoding="utf-8"))
    return files


def write() -> list[Path]:
    """Rewrite the schema-derived files that differ; returns them."""
    return write_or_check(generated_files(), check=False, command="fazhi schema write")


def check() -> None:
    write_or_check(generated_files(), check=True, command="fazhi schema write")

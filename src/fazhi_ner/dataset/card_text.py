"""The prose of the dataset card. No figures here: every number is computed in ``card.py``.

Kept as Python strings (not a data file) so the wheel needs no package-data entry.
"""

from __future__ import annotations

PRETTY_NAME = "FaZhi-NER: entities in Chinese rule-of-law government construction reports"
LICENSE = "cc-by-4.0"
TAGS = ("chinese", "government", "rule-of-law", "public-administration", "named-entity-recognition")

WHY = """\
Every year, Chinese local governments publish a *rule-of-law government construction report*
(法治政府建设年度报告): a public account of what the government did to govern by law — which
bodies met and studied law, which reforms and campaigns ran, how many cases were reviewed,
mediated or litigated, and with what results.

**Who must publish them.** The 2019 *Provisions on Supervising Rule-of-Law Government
Construction and the Fulfilment of Responsibilities* (法治政府建设与责任落实督察工作规定) require local
governments at and above county level to report on the past year's rule-of-law government
construction in the first quarter of each year — to the Party committee and the people's congress
standing committee at the same level and to the government one level up — and to publish the report
through newspapers, websites or other media. The *Implementation Outline for Building a Rule-of-Law
Government (2021–2025)* (法治政府建设实施纲要（2021—2025年）) keeps this yearly public reporting as part
of its supervision of rule-of-law government. Counties, districts and development zones (which
report like county-level governments) therefore publish comparable reports every year.

**What can be learned.** The reports are written to a common pattern but in free text. Extracting
*who* acted (AGENCY), *which* named programmes, mechanisms and documents they used (INITIATIVE)
and *what* quantitative results they claim (INDICATOR) makes reports comparable across regions
and years: which reforms spread where, how often leadership bodies study law, how many
administrative cases are reviewed or reconsidered, and how claims change from year to year. The
`indicators` config goes one step further and gives each reported figure a normalised reading
(value, unit, multiplier, modifier), so figures can be tabulated.
"""

LANGUAGES = """\
Simplified Chinese (`zh`, zh-Hans), the official written language of the reports. Text is kept
byte-for-byte as published: no normalisation of punctuation, full-width characters or spacing.
Tokens are single characters, the usual unit for Chinese NER.
"""

FIELDS = {
    "sentences": {
        "id": "Sentence id `<doc_id>-<index:04d>`.",
        "doc_id": "The report the sentence comes from.",
        "sentence_index": "Position of the sentence in its report's body, from 0.",
        "text": "The exact sentence text.",
        "tokens": "One string per character of `text`.",
        "ner_tags": "One IOB2 tag per token, a `ClassLabel` whose names are the tag list below.",
        "spans": "Entity spans `{start, end, label, text}`, `[start, end)` character offsets into `text`.",
        "doc_start": "Offset of the sentence's first character in the report's full text.",
        "fold": "Cross-validation fold (0-4): the fold in which this sentence's report is held out.",
        "province / prefecture / unit / unit_type / year": "The report's issuing government and year.",
    },
    "documents": {
        "doc_id": "Report id.",
        "text": "The full published text, byte-for-byte (including excluded boilerplate).",
        "body_start / body_end": "The report body's character range in `text`.",
        "excluded": "Boilerplate ranges `{start, end}` (web page headers and footers) that are not annotated.",
        "spans": "All entity spans with offsets into the full `text`.",
        "num_sentences": "Number of sentences in the body (rows in the `sentences` config).",
        "province / prefecture / unit / unit_type / year": "The issuing government and the year reported on.",
        "title / date_written / date_published": "As stated in the text, or null when the text does not say.",
        "sha256": "Checksum of the report's file: every offset is relative to exactly these bytes.",
        "split / fold": "The split the report belongs to and its cross-validation fold.",
    },
    "indicators": {
        "id": "`<sentence_id>-<start:04d>`.",
        "doc_id / sentence_id / sentence_text": "Where the indicator occurs.",
        "text / start / end": "The INDICATOR span and its offsets in the sentence.",
        "doc_start / doc_end": "Its offsets in the report's full text.",
        "value": "The normalised number (raw value times multiplier), null when it cannot be read.",
        "raw_value": "The number as written (Arabic or Chinese numerals).",
        "unit": "The unit or counted noun (次, 件, %, 人…).",
        "multiplier": "Scale word written in the text (万, 亿…) as a number, as read by the normaliser.",
        "modifier": "Approximation or comparison words (余, 多, 近, 超…), null when none.",
        "kind": "What the figure is, as classified by `fazhi_ner.indicators.read_indicator` (values below).",
        "range_high": "Upper end when the figure is a range, else null.",
        "metric_id": "What the figure counts: a metric id `<domain>.<metric>` of `annotation/links/metrics.yaml`, or `other`.",
        "metric_name_zh / metric_name_en": "The metric's Chinese and English names (`其他`/`other` for `other`).",
        "fold / province / prefecture / unit_type / year": "As in `sentences`.",
        "report_unit": "The issuing government (`unit` in the other configs; here `unit` is the figure's unit).",
    },
    "agencies": {
        "id": "`<sentence_id>-<start:04d>`.",
        "doc_id / sentence_id / sentence_text": "Where the mention occurs.",
        "text / start / end": "The AGENCY span and its offsets in the sentence.",
        "doc_start / doc_end": "Its offsets in the report's full text.",
        "body_type": "The kind of body named, an id of `annotation/links/body_types.yaml`.",
        "body_type_name_zh / body_type_name_en": "The body type's Chinese and English names.",
        "fold / province / prefecture / unit_type / year": "As in `sentences`.",
        "report_unit": "The issuing government.",
    },
}

LIMITATIONS = """\
- **{n_docs} reports.** The corpus is small: {n_docs} reports, one year each, from the regions
  listed above. It is a benchmark for the extraction task and a seed for annotating more reports,
  not a representative sample of Chinese local government. Scores on the single test report have
  wide confidence intervals.
- **Regions and unit types.** {unit_types}; no province- or prefecture-level reports. Vocabulary for
  agencies and local programmes is regional.
- **Pre-annotation bias.** Where annotators correct spans proposed by the rule system
  (`fazhi_ner.rules`) rather than starting from empty text, the gold may lean toward what the
  rules find (correcting a proposed span is easier than noticing a missing one), and the rule
  baseline's score is then likely inflated. See the annotation process above for what was done.
- **Text defects.** The reports are kept exactly as published, defects included. Some phrases
  lost their number in publication{defect_example}; by the guidelines such a phrase is not an
  INDICATOR. Web page captures carry boilerplate, recorded as excluded ranges, not deleted.
- **Self-reported figures.** INDICATOR values are what the governments claim; nothing here
  verifies them.
"""

LICENSE_TEXT = """\
**Annotations: CC BY 4.0.** The span annotations, sentence segmentation, indicator readings and
all other material added by this project are released under the Creative Commons Attribution
4.0 International licence (`cc-by-4.0`): use them for any purpose, including commercial use,
with attribution.

**Source texts.** The reports are official publications of Chinese local governments,
published on government websites for public disclosure (政务公开). Article 5 of the Copyright Law of
the People's Republic of China excludes from copyright protection documents of a legislative,
administrative or judicial nature issued by state organs; we consider these reports, which
governments are required to publish, to be such documents, and we redistribute them unchanged
for research with their origin stated. We cannot guarantee that every jurisdiction agrees: the
CC BY 4.0 licence covers our annotations, and makes no claim over the source texts. A rights
holder who disagrees can ask us to remove a text; the annotations would then be released as
offsets with checksums only.
"""

CITATION = """\
```bibtex
@misc{fazhi_ner,
  title        = {{FaZhi-NER}: Named Entities in Chinese Rule-of-Law Government Construction Reports},
  author       = {{FaZhi-NER} contributors},
  howpublished = {Hugging Face dataset},
  note         = {Version @VERSION@}
}
```
"""

# Newest first. Describe what changed in the data or the schema, never figures.
CHANGELOG: tuple[tuple[str, str], ...] = (
    (
        "0.1.0",
        "First release: `sentences`, `documents` and `indicators` configs; fixed document-level "
        "splits and leave-one-document-out folds; CoNLL, spaCy, JSONL and BRAT exports.",
    ),
)

"""Which unit and year a user's report is about: ``--unit``/``--year`` when given, else read from its title.

Why a guess is allowed: a researcher with fifty reports should not have to name each one, and the reports'
titles say it (``仙居县2023年法治政府建设年度报告``, ``江门市江海区2022年…``). The reading is conservative: the
year is the first ``20xx年`` of the opening lines, the unit the last county/district/city name before it in a
title line; without a title the unit falls back to the file's name, and without a year it is an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from fazhi_ner.extraction.errors import ExtractionError

OPENING_CHARS = 300
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_TITLE = re.compile(r"(?<!\d)(20\d\d)\s*年度?(?:法治政府|全面依法)")
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:自治县|开发区|高新区|新区|县|区|旗|市|州|盟)")


def guess_year(text: str) -> int | None:
    opening = text[:OPENING_CHARS]
    found = _TITLE.search(opening) or _YEAR.search(opening)
    return int(found.group(1)) if found else None


def guess_unit(text: str) -> str | None:
    """The unit named in a title line before its year (``江门市江海区2022年…`` -> 江海区), or None."""
    for line in text[:OPENING_CHARS].splitlines():
        found = _TITLE.search(line)
        if not found:
            continue
        head = re.sub(r"人民政府|关于|中共|委员会", " ", line[: found.start()])
        units = [u for part in head.split() for u in _UNIT.findall(part)]
        if units:
            return units[-1]
    return None


def identify(text: str, name: str, *, unit: str | None = None, year: int | None = None) -> tuple[str, int]:
    """(unit, year) of one report; raises ExtractionError when the year cannot be told."""
    chosen_year = year if year is not None else guess_year(text)
    if chosen_year is None:
        raise ExtractionError(f"{name}: cannot tell the report's year from its opening lines; pass --year")
    if not 1949 <= chosen_year <= 2100:
        raise ExtractionError(f"--year: expected a report year such as 2024, found {chosen_year}")
    chosen_unit = unit if unit is not None else guess_unit(text) or Path(name).stem
    if not chosen_unit.strip():
        raise ExtractionError("--unit: expected the unit's name (e.g. 仙居县), found an empty string")
    return chosen_unit.strip(), chosen_year

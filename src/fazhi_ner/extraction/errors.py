"""Errors of ``fazhi extract``: bad arguments or inputs, so the CLI exits 2 and writes nothing."""

from __future__ import annotations

from fazhi_ner.errors import FaZhiError


class ExtractionError(FaZhiError):
    """An argument of ``fazhi extract`` (unit, year, output folder) cannot be honoured."""

    exit_code = 2

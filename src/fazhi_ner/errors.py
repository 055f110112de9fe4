"""One typed error hierarchy, so callers (and the CLI) can catch everything we raise on purpose.

Messages are one line and name the place (file, line, document, offset), what was expected
and what was found. The CLI prints ``str(error)`` and exits with the error's ``exit_code``, one table
for every command (README, "Exit codes"):

- 0: done;
- 1: a check found a committed file stale or different (:class:`StaleError`);
- 2: bad input or usage: a file, option, argument, model name, server or data the command refuses
  (every other deliberate error);
- 130: interrupted (Ctrl-C).

Anything else is a bug and ends in a traceback.
"""

from __future__ import annotations


class FaZhiError(Exception):
    """Base of every error this package raises deliberately: bad input or usage, so the CLI exits 2."""

    exit_code: int = 2


class SeedError(FaZhiError):
    """A seed report or the manifest is missing, malformed or changed."""


class ManifestError(SeedError):
    """``seeds/manifest.jsonl`` is malformed."""


class ChecksumError(SeedError):
    """A seed file's bytes no longer match the sha256 recorded in the manifest."""


class LabelError(FaZhiError):
    """A label or tag is not part of the schema."""


class SpanError(FaZhiError):
    """A span is out of range, empty, overlapping or disagrees with the text."""


class TagSequenceError(FaZhiError):
    """A tag sequence is malformed (wrong length, unknown tag)."""


class FormatError(FaZhiError):
    """A file does not follow its format (fazhi_ner.formats); the message names the file, line and offset.

    Readers take an ``error`` class so a stage keeps raising its own type (DatasetError, LinkError...)."""


class GoldError(FaZhiError):
    """The gold span files are malformed or disagree with the seeds."""


class AnnotationError(FaZhiError):
    """A Label Studio export, review file or server interaction failed validation."""


class ServerError(AnnotationError):
    """The Label Studio server could not be started, reached or authenticated against."""


class DatasetError(FaZhiError):
    """Building, checking or loading the Hugging Face dataset failed."""


class DataLossError(FaZhiError):
    """The command would delete or overwrite curated data (gold files, an export with more
    annotations); it refuses unless the user passes ``--force``."""


class ArgumentError(FaZhiError):
    """An argument is outside what the computation can honestly do (e.g. a bootstrap over one document)."""


class StaleError(FaZhiError):
    """A committed generated file differs from what the generator produces now (the one exit code 1)."""

    exit_code = 1


class PredictionError(FaZhiError):
    """A prediction file for evaluation is invalid; scoring must not proceed."""


class SubmissionError(FaZhiError):
    """A leaderboard submission folder or its metadata is invalid."""


class BaselineError(FaZhiError):
    """A baseline model could not be trained, saved, loaded or run."""


class LinkError(FaZhiError):
    """A link taxonomy or link file (metric ids, body types) is malformed or disagrees with the gold."""


class ResultFormatError(FaZhiError):
    """A JSON result file does not have the shape its record type (fazhi_ner.results) expects."""

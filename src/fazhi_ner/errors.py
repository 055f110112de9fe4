"""One typed error hierarchy, so callers (and the CLI) can catch everything we raise on purpose.

Messages are one line and name the place (file, line, document, offset), what was expected
and what was found. The CLI prints ``str(error)`` and exits non-zero.
"""

from __future__ import annotations


class FaZhiError(Exception):
    """Base of every error this package raises deliberately."""

    exit_code: int = 1


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

    exit_code = 2


class ArgumentError(FaZhiError):
    """An argument is outside what the computation can honestly do (e.g. a bootstrap over one document)."""

    exit_code = 2


class StaleError(FaZhiError):
    """A committed generated file differs from what the generator produces now."""


class PredictionError(FaZhiError):
    """A prediction file for evaluation is invalid; scoring must not proceed."""

    exit_code = 2


class SubmissionError(FaZhiError):
    """A leaderboard submission folder or its metadata is invalid."""

    exit_code = 2


class BaselineError(FaZhiError):
    """A baseline model could not be trained, saved, loaded or run."""


class LinkError(FaZhiError):
    """A link taxonomy or link file (metric ids, body types) is malformed or disagrees with the gold."""

    exit_code = 2

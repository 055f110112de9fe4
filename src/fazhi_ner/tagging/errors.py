"""Errors of tagging and ingesting a user's report: all are input or usage errors, so the CLI exits 2."""

from __future__ import annotations

from fazhi_ner.errors import FaZhiError


class InputError(FaZhiError):
    """A report to tag or ingest is empty, binary, not Chinese, or in an unreadable encoding."""


class ModelNotReady(FaZhiError):
    """The requested model is unknown or not trained (and training on first use was not allowed)."""


class IngestError(FaZhiError):
    """A report is already ingested, or the user corpus manifest is malformed."""


class BackendUnavailable(FaZhiError):
    """Label Studio (or the ML backend) is not reachable: a usage problem, not a crash."""

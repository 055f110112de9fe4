"""Upload the dataset folder to the Hugging Face Hub, or list exactly what would be uploaded.

The token is read from ``HF_TOKEN`` only and never printed: any error text from the Hub client is
scrubbed of it before it reaches the terminal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.dataset.build import sha256_file, verify_checksums
from fazhi_ner.errors import DatasetError
from fazhi_ner.paths import dataset_dir
from fazhi_ner.version import __version__

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


@dataclass(frozen=True)
class UploadFile:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class PublishPlan:
    repo_id: str
    folder: Path
    files: tuple[UploadFile, ...]
    upload: bool  # False for a dry run (asked for, or no token)


def upload_files(folder: Path) -> tuple[UploadFile, ...]:
    """Every file upload_folder would send, sorted; hidden files and folders are left out."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        files.append(UploadFile(rel, path.stat().st_size, sha256_file(path)))
    return tuple(files)


def plan(repo_id: str, *, dry_run: bool, folder: Path | None = None, token: str | None = None) -> PublishPlan:
    if not _REPO_ID.match(repo_id):
        raise DatasetError(f"--repo-id expected OWNER/NAME, found {repo_id!r}")
    folder = Path(folder) if folder is not None else dataset_dir()
    if not (folder / "README.md").is_file():
        raise DatasetError(f"{folder}: no README.md; run `fazhi dataset build` first")
    verify_checksums(folder)
    return PublishPlan(repo_id, folder, upload_files(folder), upload=not dry_run and bool(token))


def listing(p: PublishPlan) -> str:
    head = "would upload" if not p.upload else "uploading"
    lines = [f"{head} {len(p.files)} files from {p.folder} to datasets/{p.repo_id}:"]
    lines += [f"{f.path}\t{f.size}\t{f.sha256}" for f in p.files]
    return "\n".join(lines)


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text


def publish(repo_id: str, *, dry_run: bool = False, folder: Path | None = None) -> tuple[PublishPlan, str | None]:
    """Upload when a token is set and not a dry run; returns the plan and the commit URL (None when dry)."""
    token = os.environ.get("HF_TOKEN") or None
    p = plan(repo_id, dry_run=dry_run, folder=folder, token=token)
    if not p.upload:
        return p, None
    from huggingface_hub import HfApi

    try:
        api = HfApi(token=token)
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
        info = api.upload_folder(
            folder_path=str(p.folder),
            repo_id=repo_id,
            repo_type="dataset",
            commit_message=f"FaZhi-NER dataset {__version__}",
            ignore_patterns=[".*", "**/.*"],
        )
    except Exception as exc:  # noqa: BLE001 - any Hub failure becomes one scrubbed line
        message = _scrub(f"{type(exc).__name__}: {exc}", token or "").replace("\n", " ")
        raise DatasetError(f"upload to datasets/{repo_id} failed: {message}") from None
    return p, _scrub(str(getattr(info, "commit_url", info)), token or "")

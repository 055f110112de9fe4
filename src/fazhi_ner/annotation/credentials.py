"""Label Studio admin credentials: from FAZHI_LS_* environment variables or generated once.

They live in ``<data dir>/credentials.json`` (mode 0600, git-ignored with the data dir) so the
annotator can log in and the headless commands (push, pull, apply) can reuse the API token.
Secrets are never printed; commands print only the user name and where the file is.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_write_text
from fazhi_ner.errors import ServerError

CREDENTIALS_FILE = "credentials.json"
DEFAULT_USERNAME = "admin@fazhi-ner.local"
ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN = "FAZHI_LS_USERNAME", "FAZHI_LS_PASSWORD", "FAZHI_LS_TOKEN"
# Django REST framework's Token.key is a CharField(max_length=40); Label Studio ignores tokens of <= 5 chars.
TOKEN_MIN, TOKEN_MAX = 6, 40


@dataclass(frozen=True)
class Credentials:
    """The Label Studio admin user and its legacy API token."""

    username: str
    password: str
    token: str


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


def check_token(token: str, *, where: str) -> str:
    if not TOKEN_MIN <= len(token) <= TOKEN_MAX or not token.isascii() or not token.isalnum():
        raise ServerError(
            f"{where}: API token expected {TOKEN_MIN}-{TOKEN_MAX} ASCII letters or digits, found {len(token)} characters"
        )
    return token


def read_credentials(data_dir: Path) -> Credentials | None:
    path = credentials_path(data_dir)
    if not path.is_file():
        return None
    try:
        row = json.loads(path.read_text(encoding="utf-8"))
        creds = Credentials(str(row["username"]), str(row["password"]), str(row["token"]))
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ServerError(f"{path}: malformed credentials file ({exc}); delete it or fix it") from None
    check_token(creds.token, where=str(path))
    return creds


def write_credentials(data_dir: Path, creds: Credentials) -> Path:
    """Write the credentials file readable by the owner only (mkstemp creates it 0600)."""
    path = credentials_path(data_dir)
    atomic_write_text(path, json.dumps(asdict(creds), indent=2, sort_keys=True) + "\n")
    os.chmod(path, 0o600)
    return path


def resolve_credentials(data_dir: Path, environ: dict[str, str] | None = None) -> Credentials:
    """Environment variables win, then the stored file, then freshly generated secrets."""
    env = os.environ if environ is None else environ
    stored = read_credentials(data_dir)
    token = env.get(ENV_TOKEN) or (stored.token if stored else secrets.token_hex(20))
    check_token(token, where=ENV_TOKEN if env.get(ENV_TOKEN) else str(credentials_path(data_dir)))
    return Credentials(
        username=env.get(ENV_USERNAME) or (stored.username if stored else DEFAULT_USERNAME),
        password=env.get(ENV_PASSWORD) or (stored.password if stored else secrets.token_urlsafe(18)),
        token=token,
    )


def token_for_client(data_dir: Path) -> str:
    """The API token for push/pull/apply: ``$FAZHI_LS_TOKEN`` or the credentials file written by ``serve``."""
    env_token = os.environ.get(ENV_TOKEN)
    if env_token:
        return check_token(env_token, where=ENV_TOKEN)
    stored = read_credentials(data_dir)
    if stored is None:
        raise ServerError(
            f"{credentials_path(data_dir)}: no credentials found; start the server with `fazhi annotate serve` "
            f"or set {ENV_TOKEN}"
        )
    return stored.token

"""A PNG of the leaderboard page, rendered by headless Chromium (for people; never committed)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from fazhi_ner.errors import FaZhiError

CHROMIUM = "/usr/bin/chromium"


def screenshot(html: Path, png: Path, *, width: int = 1280, height: int = 1600) -> Path:
    """Render the leaderboard page to a PNG with headless Chromium (for people; not committed)."""
    binary = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if binary is None:
        raise FaZhiError(f"{CHROMIUM}: chromium not found; install it with `apt-get install -y chromium`")
    png = png.resolve()
    with tempfile.TemporaryDirectory() as profile:
        cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
               f"--screenshot={png}", f"--window-size={width},{height}", html.resolve().as_uri()]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0 or not png.is_file():
        raise FaZhiError(f"{html}: chromium screenshot failed (exit {proc.returncode}): {proc.stderr.strip()[-200:]}")
    return png

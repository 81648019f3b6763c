"""Screenshots, videos and captions for the demo catalogue, made once by ``generate`` and kept with the code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MEDIA_DIR = Path(__file__).resolve().parent
MANIFEST = MEDIA_DIR / "media.json"


def manifest() -> dict[str, Any]:
    """The generated guides (steps with image, instruction, alt text, highlight) and videos, by key."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))

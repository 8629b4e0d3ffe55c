"""Where this copy of the project is, and where builds keep what they can reuse."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# PDFs and preview images from earlier builds, kept by a hash of their inputs (pipeline.cache).
CACHE = ROOT / "build" / "cache"

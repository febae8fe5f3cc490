"""salesfaq: turn YAML sales answers into a searchable static site."""

from __future__ import annotations

__version__ = "0.1.0"

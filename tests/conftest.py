"""Shared pytest configuration."""

import sys
from pathlib import Path

# The helpers module lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

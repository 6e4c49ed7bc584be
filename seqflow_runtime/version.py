"""The seqflow version; persisted states record it."""

__version__ = "0.1.0"

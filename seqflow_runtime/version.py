"""The seqflow version; persisted states record it.

This is the one place it is written: the ``seqflow-js`` distribution's
metadata takes it from here (``[tool.setuptools.dynamic]`` in pyproject.toml),
so an installed package and a source checkout report the same version.
"""

__version__ = "0.2.0"

#: The distribution's name on the package index ("seqflow" there is another project).
DISTRIBUTION = "seqflow-js"


def install_hint(extra: str) -> str:
    """The command that installs ``extra``: ``pip install 'seqflow-js[postgres]'``."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"

"""claimtrack: a claims-and-evidence tracker for fact-checkers."""

from claimtrack.core.version import __version__

__all__ = ["__version__"]

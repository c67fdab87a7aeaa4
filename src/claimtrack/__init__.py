"""claimtrack: a claims-and-evidence tracker for fact-checkers."""

__version__ = "0.1.0"

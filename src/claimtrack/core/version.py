"""The version of claimtrack: what the index, the reports and ``--version`` are stamped with."""

__version__ = "0.2.0"

"""Figures as rich tables for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from claimtrack.core.escape import one_line


def _table(title: str, counts: dict[str, int], total: int, top: int | None = None) -> Table:
    table = Table(title=title, title_justify="left", pad_edge=False)
    table.add_column(title.split(" by ")[-1])
    table.add_column("claims", justify="right")
    table.add_column("", no_wrap=True)
    shown = list(counts.items())[:top] if top else counts.items()
    for name, count in shown:
        bar = "█" * (round(20 * count / total) if total else 0)
        table.add_row(Text(one_line(name)), str(count), Text(bar, style="cyan"))
    if len(shown) < len(counts):
        rest = len(counts) - len(shown)
        table.add_row(Text(f"… and {rest} more (--top 0 for all)", style="dim"), "", "")
    return table


def stats_tables(figures: dict[str, Any], top: int = 0) -> Group:
    """The figures as tables; the sources and tags tables show the ``top`` most cited (0: all)."""
    total = figures["claims"]
    head = Text(
        f"{total} claims, {figures['sources']} sources, {figures['files']} files, "
        f"{figures['problems']} problems",
        style="bold",
    )
    conf = figures["confidence"]
    return Group(
        head,
        _table("claims by status", figures["by_status"], total),
        _table("claims by attribution kind", figures["by_attribution_kind"], total),
        _table("claims by source", figures["by_source"], total, top),
        _table("claims by tag", figures["by_tag"], total, top),
        _table("claims by confidence band", conf["bands"], total),
        Text(f"confidence: min {conf['min']}, median {conf['median']}, max {conf['max']}"),
    )

"""`source show`: one registered source, its archive, and the claims that cite it."""

from __future__ import annotations

from collections.abc import Sequence

from claimtrack.core.escape import json_inert, one_line
from claimtrack.core.model import Source
from claimtrack.core.vocab import RELIABILITY_MEANING


def source_text(
    source: Source, cited_by: Sequence[tuple[str, str]], archive: str | None, path: str
) -> str:
    """The source as ``field: value`` lines (every value made one inert line), then its
    archive's state and the claims citing it, each with how."""
    lines = [f"{one_line(source.id)}  ({one_line(path)})"]
    for name, value in source.model_dump(mode="json", exclude_none=True).items():
        if name == "id" or value == []:
            continue
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        if name == "reliability":
            shown += f" ({RELIABILITY_MEANING[str(value)]})"
        lines.append(f"  {name}: {one_line(shown)}")
    if archive is not None:
        lines.append(f"  archive: {one_line(archive)}")
    if cited_by:
        lines.append(f"cited by {len(cited_by)} claim{'s' if len(cited_by) != 1 else ''}:")
        lines += [f"  {one_line(cid)} ({how})" for cid, how in cited_by]
    else:
        lines.append("cited by no claim")
    return "\n".join(lines) + "\n"


def source_json(
    source: Source, cited_by: Sequence[tuple[str, str]], archive: str | None, path: str
) -> str:
    """The same as one JSON object: the source's fields, ``path``, ``archive``, ``cited_by``."""
    import json

    data = {
        **source.model_dump(mode="json", exclude_none=True),
        "path": path,
        "archive": archive,
        "cited_by": [{"claim": cid, "how": how} for cid, how in cited_by],
    }
    return json_inert(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"

"""A new claims folder: its README, its .gitignore and an empty registry."""

from __future__ import annotations

from pathlib import Path

from claimtrack.core.errors import EnvironmentProblem, UsageError
from claimtrack.edit.lock import LOCK_NAME
from claimtrack.io.files import (
    JOURNAL_NAME,
    display_path,
)

CLAIMS_README = """\
# Claims

One claim per YAML file, named after its id (`some-claim-id.yaml`); the sources the claims cite
are in `sources.yaml`. The first line of each file points editors at the JSON Schema in
`../schema/`, so they can check and complete fields as you type.

    claimtrack source add --title "..." --publisher "..." --kind article
    claimtrack add --statement "..." --source SOURCE-ID --attributed-to "..." --kind official
    claimtrack validate

Write with `claimtrack` (add, set, evidence add, edit, mv, rm, fmt): every change is checked
before it is written, files are replaced atomically and comments are kept.
"""


#: What a write may leave beside the claims and git should not pick up.
CLAIMS_GITIGNORE = f"""\
# claimtrack: the write lock, an unfinished `claimtrack edit`, a write cut off mid-way
{LOCK_NAME}
{LOCK_NAME}.soft
{JOURNAL_NAME}
.*.edit.yaml
.*.tmp
"""


def init_folder(project: Path) -> list[Path]:
    """A new ``claims/`` folder (empty registry, a README) and ``schema/`` beside it."""
    from claimtrack.io.atomic import atomic_write
    from claimtrack.io.emit import SOURCES_MODELINE
    from claimtrack.render.json import dumps
    from claimtrack.render.schema import SCHEMA_FILES, build_schema

    claims = project / "claims"
    if claims.exists() and any(claims.iterdir()):
        raise UsageError(f"{display_path(claims)} already exists and is not empty")
    written = []
    try:
        claims.mkdir(parents=True, exist_ok=True)
        (project / "schema").mkdir(exist_ok=True)
        files = {
            claims / "sources.yaml": SOURCES_MODELINE + "sources: []\n",
            claims / "README.md": CLAIMS_README,
            claims / ".gitignore": CLAIMS_GITIGNORE,
        }
        for name, which in SCHEMA_FILES.items():
            files[project / "schema" / name] = dumps(build_schema(which)) + "\n"
        for path, text in files.items():
            atomic_write(path, text)
            written.append(path)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create {display_path(claims)}: {exc.strerror}") from None
    return written

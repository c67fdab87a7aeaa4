"""The canonical layout of claim and registry files: key order, and ``fmt``."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from claimtrack.core.errors import DataError
from claimtrack.core.model import (
    Attribution,
    Claim,
    Confidence,
    Evidence,
    Party,
    Quantity,
    Source,
    Speaker,
)
from claimtrack.core.problem import Level, Problem
from claimtrack.edit.lock import locked
from claimtrack.edit.workspace import Workspace, _is_registry
from claimtrack.io import roundtrip, yamlio
from claimtrack.io.files import (
    display_path,
    iter_yaml_files,
)

#: The order of a claim's keys, as the README documents and the shipped claims use: what is
#: said and where first, then who says it and how likely, then the evidence and the verdict.
CLAIM_KEY_ORDER = (
    "id",
    "statement",
    "quote",
    "prefix",
    "suffix",
    "appears_in",
    "type",
    "attribution",
    "confidence",
    "analytic_confidence",
    "quantity",
    "evidence",
    "disputed_by",
    "negates",
    "status",
    "verdict",
    "tags",
    "notes",
    "date",
)


def key_order(model: type[BaseModel]) -> list[str]:
    return list(CLAIM_KEY_ORDER) if model is Claim else list(model.model_fields)


_NESTED: dict[type[BaseModel] | None, dict[str, type[BaseModel]]] = {
    Claim: {
        "attribution": Attribution,
        "evidence": Evidence,
        "disputed_by": Party,
        "quantity": Quantity,
        "confidence": Confidence,
    },
    Attribution: {"via": Speaker},
}


def _canonical(node: Any, model: type[BaseModel] | None) -> None:
    """Keys in the model's order (comments travel with their keys), every collection in block
    style; ``model`` None only restyles."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for item in node:
            _canonical(item, model)
        return
    if not isinstance(node, CommentedMap):
        return
    node.fa.set_block_style()
    if model is not None:
        order = key_order(model)
        for key in sorted(node, key=lambda k: order.index(k) if k in order else len(order)):
            node.move_to_end(key)
    nested = _NESTED.get(model, {}) if model is not None else {}
    for key in node:
        _canonical(node[key], nested.get(key))


def canonical_text(text: str, kind: str, path: str = "", relative: str = "claim.yaml") -> str:
    """A claim (``kind="claim"``) or registry file in the canonical layout, same data, same
    comments: model key order, two-space indents, dashes at the parent's indent, block style,
    the schema modeline first, resolved from the file's own folder (``relative`` is the file's
    path inside the claims folder); a claimtrack modeline that points elsewhere is corrected."""
    from claimtrack.io.emit import modeline as modeline_for

    doc: Any = roundtrip.load(text, path)
    if kind == "claim":
        _canonical(doc, Claim)
        modeline = modeline_for("claim", relative)
    else:
        if isinstance(doc, dict) and "sources" in doc:
            _canonical(doc.get("sources"), Source)
            _canonical(doc, None)
        else:
            _canonical(doc, Source)
        modeline = modeline_for("sources", relative)
    out = roundtrip.dump(doc, roundtrip.yaml_rt(2, 0))
    first, _, rest = out.partition("\n")
    if _OWN_MODELINE.fullmatch(first):
        out = modeline + rest  # ours, perhaps written before the file moved deeper
    elif "yaml-language-server:" not in text.split("\n", 1)[0]:
        out = modeline + out
    return out


#: A modeline claimtrack wrote: a relative path to one of its own schemas (a user's own
#: modeline, pointing anywhere else, is kept as written).
_OWN_MODELINE = re.compile(
    r"# yaml-language-server: \$schema=(\.\./)+schema/(claim|sources)\.schema\.json"
)


@dataclass(frozen=True)
class FormatResult:
    changed: list[Path]
    skipped: list[Problem]


def format_folder(ws: Workspace, check: bool) -> FormatResult:
    """Put every file in the canonical layout (or, with ``check``, list those that differ).

    A file is rewritten only when its new text reads back as exactly the same data; a file
    that does not parse is skipped and reported."""
    changed: list[Path] = []
    skipped: list[Problem] = []
    with contextlib.ExitStack() as stack:
        if not check:
            stack.enter_context(locked(ws.root, ws.notify))
        for path in iter_yaml_files(ws.root):
            shown = display_path(path)
            try:
                raw = path.read_bytes()
                text = yamlio.decode(raw)
                data = yamlio.load_text(text)
                kind = "registry" if _is_registry(ws.root, path) else "claim"
                relative = path.relative_to(ws.root).as_posix()
                new_text = canonical_text(text, kind, shown, relative)
                same = yamlio.load_text(new_text) == data
            except yamlio.YamlProblem as problem:
                skipped.append(
                    Problem(
                        shown, problem.line, problem.col, Level.ERROR, problem.rule, problem.message
                    )
                )
                continue
            except (OSError, DataError) as exc:
                skipped.append(Problem(shown, 0, 0, Level.ERROR, "file-unreadable", str(exc)))
                continue
            if not same:
                skipped.append(
                    Problem(
                        shown,
                        0,
                        0,
                        Level.ERROR,
                        "fmt-unsafe",
                        "the canonical layout would change the data; left as is",
                    )
                )
                continue
            if new_text.encode("utf-8") == raw:
                continue
            changed.append(path)
            if not check:
                ws.commit(path, new_text, [])
    return FormatResult(changed, skipped)

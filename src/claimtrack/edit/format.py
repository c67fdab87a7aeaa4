"""The canonical layout of claim and registry files: key order, and ``fmt``."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from claimtrack.core.errors import DataError
from claimtrack.core.model import (
    CLAIM_KEY_ORDER,
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


#: A file's verdict: ("same", ""), ("changed", its new text) or (rule, "LINE:COL:message").
_Verdict = tuple[str, str]


#: The largest claim file ``fmt`` lays out (a claim is a few KiB; the round trip of a larger
#: one takes seconds, and one hostile file must not hold up a folder's check).
MAX_FMT_CLAIM_BYTES = 256 * 1024


def _judge(item: tuple[str, str, str, str]) -> _Verdict:
    """One file's canonical layout, judged: unchanged, the new text, or why it is left as is."""
    path, kind, shown, relative = item
    try:
        raw = Path(path).read_bytes()
        if kind == "claim" and len(raw) > MAX_FMT_CLAIM_BYTES:
            size = f"{len(raw) / 1024:,.0f} KiB"
            return "fmt-too-large", f"1:1:a claim file of {size} is left as is (over 256 KiB)"
        text = yamlio.decode(raw)
        data = yamlio.load_text(text)
        new_text = canonical_text(text, kind, shown, relative)
        same = yamlio.load_text(new_text) == data
    except yamlio.YamlProblem as problem:
        return problem.rule, f"{problem.line}:{problem.col}:{problem.message}"
    except (OSError, DataError) as exc:
        return "file-unreadable", f"0:0:{exc}"
    if not same:
        return "fmt-unsafe", "0:0:the canonical layout would change the data; left as is"
    if new_text.encode("utf-8") == raw:
        return "same", ""
    return "changed", new_text


def _judged(items: list[tuple[str, str, str, str]]) -> Iterator[_Verdict]:
    """:func:`_judge` of every file, in order; over the cores for a large folder (the round
    trip costs a few milliseconds a file: 2,000 files would take seconds in one process)."""
    from claimtrack.io.parse import PARALLEL_MIN, end_with_parent, jobs, pool_context

    workers = min(jobs(), len(items) // 100 or 1)
    if len(items) < PARALLEL_MIN or workers < 2:
        yield from map(_judge, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=workers, mp_context=pool_context(), initializer=end_with_parent
    ) as pool:
        yield from pool.map(_judge, items, chunksize=50)


def format_folder(ws: Workspace, check: bool) -> FormatResult:
    """Put every file in the canonical layout (or, with ``check``, list those that differ).

    A file is rewritten only when its new text reads back as exactly the same data; a file
    that does not parse is skipped and reported."""
    changed: list[Path] = []
    skipped: list[Problem] = []
    with contextlib.ExitStack() as stack:
        if not check:
            stack.enter_context(locked(ws.root, ws.notify))
        paths = list(iter_yaml_files(ws.root))
        items = [
            (
                str(path),
                "registry" if _is_registry(ws.root, path) else "claim",
                display_path(path),
                path.relative_to(ws.root).as_posix(),
            )
            for path in paths
        ]
        for path, (_, _, shown, _), (verdict, payload) in zip(
            paths, items, _judged(items), strict=True
        ):
            if verdict == "same":
                continue
            if verdict == "changed":
                changed.append(path)
                if not check:
                    ws.commit(path, payload, [])
                continue
            line, col, message = payload.split(":", 2)
            skipped.append(Problem(shown, int(line), int(col), Level.ERROR, verdict, message))
    return FormatResult(changed, skipped)

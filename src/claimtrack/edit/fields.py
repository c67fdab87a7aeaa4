"""Field values from the command line: which fields can be set, and how a value is parsed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from claimtrack.core.errors import DataError, UsageError
from claimtrack.core.model import (
    Attribution,
    Claim,
    Evidence,
    Party,
    Quantity,
)
from claimtrack.edit.format import key_order
from claimtrack.io.roundtrip import scalar_like


def _insert_in_order(mapping: Any, key: str, value: Any, model: type[BaseModel]) -> None:
    """Set ``key``; a new key goes where the model's field order puts it, not at the end."""
    if key in mapping:
        mapping[key] = scalar_like(mapping[key], value)
        return
    order = key_order(model)
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) > rank:
            position = index
            break
    mapping.insert(position, key, scalar_like(None, value))


def _as_map(values: dict[str, Any], model: type[BaseModel]) -> Any:
    """A new mapping in the model's field order, without empty fields."""
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    for key in model.model_fields:
        value = values.get(key)
        if value is not None and value != []:
            out[key] = scalar_like(None, value)
    return out


#: Fields ``set`` can change, and how its VALUE is read.
SETTABLE: dict[str, str] = {
    "statement": "text",
    "quote": "text",
    "prefix": "text",
    "suffix": "text",
    "appears_in": "text",
    "status": "text",
    "confidence": "confidence",
    "analytic_confidence": "text",
    "type": "text",
    "tags": "list",
    "notes": "text",
    "date": "text",
    "language": "text",
    "attribution.name": "text",
    "attribution.role": "text",
    "attribution.kind": "text",
    "quantity.value": "number",
    "quantity.unit": "text",
    "quantity.approx": "bool",
    "quantity.bound": "text",
    "quantity.as_of": "text",
    "quantity.period": "text",
    "quantity.measure": "text",
}


_SUBMODELS: dict[str, type[BaseModel]] = {"attribution": Attribution, "quantity": Quantity}


def parse_value(field_name: str, raw: str) -> Any:
    """The typed value of ``set FIELD VALUE``."""
    kind = SETTABLE.get(field_name)
    if kind is None:
        from claimtrack.core.wording import did_you_mean

        hint = did_you_mean(field_name, SETTABLE)
        rest = "(use `evidence add`, `dispute` or `edit` for the rest)"
        raise UsageError(
            f"cannot set {field_name!r}{hint}"
            + (f" {rest}" if hint else f"; settable fields: {', '.join(SETTABLE)} {rest}")
        )
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if kind == "number" or (kind == "confidence" and _is_number(raw)):
        if not _is_number(raw):
            raise UsageError(f"{field_name} must be a number, not {raw!r}")
        number = float(raw)
        whole = kind == "number" and number.is_integer() and "." not in raw
        return int(number) if whole else number
    if kind == "bool":
        lowered = raw.strip().lower()
        if lowered not in ("true", "false", "yes", "no"):
            raise UsageError(f"{field_name} must be true or false, not {raw!r}")
        return lowered in ("true", "yes")
    return raw


def _is_number(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return raw.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity")


def set_field(field_name: str, value: Any) -> Callable[[Any], None]:
    """A change that sets (or with ``value=None`` removes) one field."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def mutate(doc: Any) -> None:
        *parents, leaf = field_name.split(".")
        target: Any = doc
        model: type[BaseModel] = Claim
        for part in parents:
            if part not in target or not isinstance(target[part], dict):
                if value is None:
                    return
                _insert_in_order(target, part, CommentedMap(), model)
            target, model = target[part], _SUBMODELS[part]
        if value is None:
            target.pop(leaf, None)
            return
        old = target.get(leaf)
        if isinstance(value, list) and isinstance(old, CommentedSeq):
            old[:] = value  # keeps the list's style (flow or block) and its comments
            return
        _insert_in_order(target, leaf, value, model)

    return mutate


def parse_changes(words: list[str], unset: bool = False) -> list[tuple[str, Any]]:
    """``FIELD VALUE [FIELD VALUE ...]`` (or, with ``unset``, ``FIELD [FIELD ...]``) as typed
    (field, value) pairs, value None for a field to remove; checked before anything is read."""
    if not words:
        raise UsageError("give a FIELD and its VALUE (or FIELD --unset)")
    if unset:
        pairs: list[tuple[str, str | None]] = [(name, None) for name in words]
    else:
        if len(words) % 2:
            raise UsageError(
                f"{words[-1]!r} has no value: give FIELD VALUE pairs (or FIELD --unset)"
            )
        pairs = list(zip(words[::2], words[1::2], strict=True))
    seen: set[str] = set()
    out: list[tuple[str, Any]] = []
    for name, raw in pairs:
        if name in seen:
            raise UsageError(f"{name!r} is given twice")
        seen.add(name)
        typed = parse_value(name, raw if raw is not None else "")
        out.append((name, None if raw is None else typed))
    return out


def set_fields(changes: list[tuple[str, Any]]) -> Callable[[Any], None]:
    """A change that sets (a None value: removes) several fields at once: one write, validated
    as a whole, so a quantity's value, unit and bound can arrive together."""
    steps = [set_field(name, value) for name, value in changes]

    def mutate(doc: Any) -> None:
        for step in steps:
            step(doc)

    return mutate


def append_item(list_field: str, item: dict[str, Any]) -> Callable[[Any], None]:
    """A change that appends an evidence item or a disputing party."""
    from ruamel.yaml.comments import CommentedSeq

    models: dict[str, type[BaseModel]] = {"evidence": Evidence, "disputed_by": Party}
    model = models[list_field]

    def mutate(doc: Any) -> None:
        entry = _as_map(item, model)
        current = doc.get(list_field)
        if current is not None and not isinstance(current, CommentedSeq):
            raise DataError(f"{list_field} is not a list; fix it with `claimtrack edit`")
        if isinstance(current, CommentedSeq) and (len(current) or not current.fa.flow_style()):
            current.append(entry)
            return
        seq = CommentedSeq([entry])
        _insert_in_order(doc, list_field, seq, Claim)
        doc[list_field] = seq

    return mutate

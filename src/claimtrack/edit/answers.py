"""The answers `add` asks for, each checked as it is given (so one bad answer loses nothing
else), and the draft of a claim that could not be written."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from claimtrack.core.errors import UsageError
from claimtrack.core.model import Attribution, Claim
from claimtrack.core.vocab import AttributionKind
from claimtrack.core.wording import did_you_mean, first_error


@dataclass(frozen=True)
class Question:
    """One required field of a new claim: how it is asked, and the option that gives it."""

    prompt: str
    flag: str


#: The fields a new claim needs, in the order they are asked.
QUESTIONS: dict[str, Question] = {
    "statement": Question("Statement (the claim, in your words)", "--statement"),
    "source": Question("Source id it appears in", "--source"),
    "attributed_to": Question("Attributed to (who asserts it)", "--attributed-to"),
    "kind": Question(
        "Speaker kind (" + ", ".join(k.value for k in AttributionKind) + ")", "--kind"
    ),
    "confidence": Question("Confidence (0-1 or an ICD 203 word, e.g. likely)", "--confidence"),
}

#: Where each answer goes in the claim: (model, field).
_FIELDS: dict[str, tuple[Any, str]] = {
    "statement": (Claim, "statement"),
    "source": (Claim, "appears_in"),
    "attributed_to": (Attribution, "name"),
    "kind": (Attribution, "kind"),
    "confidence": (Claim, "confidence"),
}


def check_answer(name: str, raw: str, sources: Collection[str] = ()) -> Any:
    """The value of one answer as the claim will hold it, or a :class:`UsageError` in
    claimtrack's words with the nearest right answer (a source id must be in the registry,
    when there is one)."""
    from claimtrack.edit.fields import parse_value

    text = raw.strip()
    if not text:
        raise UsageError(f"{QUESTIONS[name].flag.lstrip('-')} cannot be empty")
    if name == "source" and sources and text not in sources:
        raise UsageError(
            f"no source {text!r} in the registry{did_you_mean(text, sources)} (add it with "
            "`claimtrack source add`)"
        )
    value: Any = parse_value("confidence", text) if name == "confidence" else text
    model, field = _FIELDS[name]
    info = model.model_fields[field]
    kind: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        message = first_error(exc.errors(include_url=False))
        raise UsageError(message.removeprefix(": ")) from None
    return value


def draft_text(data: dict[str, Any]) -> str:
    """The claim file ``add`` would have written (for a person to keep when it is not)."""
    from claimtrack.io.emit import CLAIM_MODELINE, dump

    def prune(value: Any) -> Any:
        if isinstance(value, dict):
            kept = {k: prune(v) for k, v in value.items()}
            return {k: v for k, v in kept.items() if v is not None and v not in ([], {})}
        return value

    return CLAIM_MODELINE + dump(prune(data))

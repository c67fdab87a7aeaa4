"""Claim records built lazily from JSON, with their status known before the claim is built."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.core.dataset import ClaimRecord
from claimtrack.core.status import Derivation, derive
from claimtrack.core.vocab import Status

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source


class LazyDerivation(Derivation):
    """A derivation whose status is known (from the index) and whose reasons are worked out
    from the claim only when asked for."""

    _record: ClaimRecord
    _sources: Mapping[str, Source]
    _derived: Derivation | None = None

    # Plain attributes (as CachedClaimRecord's): 100k of these are made to list a folder.
    __setattr__ = object.__setattr__

    def __init__(
        self,
        status: Status,
        record: ClaimRecord,
        sources: Mapping[str, Source],
        contradicted_by: tuple[str, ...] = (),
    ) -> None:
        self.status = status  # type: ignore[misc]  # read-only to others; see __setattr__
        self._record = record
        self._sources = sources
        if contradicted_by:
            self._against = contradicted_by

    _against: tuple[str, ...] = ()

    def _full(self) -> Derivation:
        full = self._derived
        if full is None:
            full = self._derived = derive(self._record.claim, self._sources, self._against)
        return full

    def release(self) -> None:
        """Let go of the reasons (they hold parts of the claim); worked out again if asked."""
        self._derived = None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Derivation):
            return (self.status, self.reasons, self.items, self.weak, self.lines) == (
                other.status,
                other.reasons,
                other.items,
                other.weak,
                other.lines,
            )
        return NotImplemented

    __hash__ = Derivation.__hash__

    @property
    def reasons(self) -> tuple[str, ...]:
        return self._full().reasons

    @property
    def items(self) -> tuple[Any, ...]:
        return self._full().items

    @property
    def weak(self) -> bool:
        return self._full().weak

    @property
    def lines(self) -> tuple[tuple[str, ...], ...]:
        return self._full().lines

    @property
    def contradicted_by(self) -> tuple[str, ...]:
        return self._against  # as status.derive has it: sorted


class ClaimJson(Protocol):
    """Where a record fetches its claim's JSON when first read (the index)."""

    def claim_json(self, rel: str, sha: str) -> str | None:
        """The claim of file ``rel`` as it was when its bytes had this sha256, if kept."""

    def kept_record(self, rel: str, sha: str, against: Sequence[str]) -> str | None:
        """The claim of file ``rel`` (with bytes of this sha256, contradicted by the claims
        ``against``) as a JSON record (``list``), if kept."""

    def kept_records(self, wanted: Sequence[tuple[str, str, Sequence[str]]]) -> dict[str, str]:
        """:meth:`kept_record` of many files at once (``(rel, sha, against)`` each), by rel:
        those kept, in one look-up."""

    def keep_record(self, rel: str, sha: str, against: Sequence[str], text: str) -> None:
        """Keep a claim's JSON record for the next time (written by :meth:`flush`)."""

    def discard(self) -> None:
        """Drop the whole index: what it holds no longer reads back."""

    def flush(self) -> None:
        """Write what :meth:`keep_record` was given."""


#: The prefixes of records' paths (one per folder read), each held once.
_PREFIXES: dict[str, str] = {}


class CachedClaimRecord(ClaimRecord):
    """A claim record that builds its pydantic claim from JSON the first time it is read.

    A folder of 100k claims is listed by status without building 100k models (or holding their
    JSON: it is fetched from the index for the claims read); the JSON is validated again when
    the model is built, and if it no longer validates (a damaged index) the claim is read again
    from its file: the index is never trusted over the files.
    """

    _id: str
    _status: str | None
    _root: Path
    _rel: str
    # What most records leave at the default (no instance attribute: 100k records stay small).
    _json: str | None = None
    _claim: Claim | None = None
    _facets: str = ""
    _store: ClaimJson | None = None
    # The file's sha256 as its 32 bytes (half of what its hex takes, 100k times); as given
    # when it is not 64 hex digits (a damaged index: then nothing is found by it).
    _sha: bytes | str = ""
    # The path as shown is made when asked for (``_prefix + _rel``): 100k paths held would cost
    # 10 MB; ``_path`` holds one that is not of that shape.
    _prefix: str = ""
    _path: str | None = None

    # Set like any object's attributes (not frozen), so that 100k records share their dicts'
    # keys: a third of the memory, and quicker to make. Nothing sets them after __init__ but
    # the lazy parts below.
    __setattr__ = object.__setattr__

    def __init__(
        self,
        path: str,
        line: int,
        claim_id: str,
        claim_json: str | None,
        status: str | None,
        root: Path,
        rel: str,
        claim: Claim | None = None,
        facets: str = "",
        store: ClaimJson | None = None,
        sha: str = "",
    ) -> None:
        if path.endswith(rel):  # the usual: the path as shown is a prefix and ``rel``
            if len(path) > len(rel):
                prefix = path[: len(path) - len(rel)]
                self._prefix = _PREFIXES.setdefault(prefix, prefix)  # one string for all
        else:
            self._path = path
        self.line = line  # type: ignore[misc]  # read-only to others; see __setattr__
        self._id = claim_id
        self._status = status
        self._root = root
        self._rel = rel
        if claim_json is not None:
            self._json = claim_json
        if claim is not None:
            self._claim = claim
        if facets:
            self._facets = facets
        if store is not None:
            self._store = store
        if sha:
            try:
                self._sha = bytes.fromhex(sha) if len(sha) == 64 else sha
            except ValueError:
                self._sha = sha

    @property  # read-only: the dataclass field, computed
    def path(self) -> str:
        path = self._path
        return self._prefix + self._rel if path is None else path

    @property
    def sha(self) -> str:
        """The sha256 of the claim's file, in hex ("" when not known)."""
        sha = self._sha
        return sha.hex() if type(sha) is bytes else sha  # type: ignore[return-value]

    @property
    def claim(self) -> Claim:
        claim = self._claim
        if claim is None:
            claim = self._claim = self._build()
        return claim

    def _build(self) -> Claim:
        from pydantic import ValidationError

        from claimtrack.core.model import Claim

        if self._json is None and self._store is not None and self._sha:
            self._json = self._store.claim_json(self._rel, self.sha)
        if self._json is not None:
            try:
                claim = Claim.model_validate_json(self._json)
                self._json = None  # held once, as the model
                return claim
            except ValidationError:
                if self._store is not None:
                    self._store.discard()  # the index is damaged: it is built anew
        from claimtrack.core.errors import DataError
        from claimtrack.io.files import load_claim_file

        record, _ = load_claim_file(self._root / self._rel, self._root)
        if record is None:
            raise DataError(f"{self.path} changed while it was being read; run the command again")
        return record.claim

    @property
    def id(self) -> str:
        return self._id

    @property
    def facets_json(self) -> str:
        return self._facets

    @property
    def parsed_status(self) -> str | None:
        return self._status

    def kept_record(self, against: Sequence[str]) -> str | None:
        """This claim, contradicted by ``against``, as ``list --format json`` writes it, if
        the index kept it."""
        if self._store is None:
            return None
        return self._store.kept_record(self._rel, self.sha, against)

    def kept_key(self) -> tuple[ClaimJson, str, str] | None:
        """Where this claim's kept record is looked up: its store, file and bytes' sha256."""
        if self._store is None or not self._sha:
            return None
        return self._store, self._rel, self.sha

    def keep_record(self, against: Sequence[str], text: str) -> ClaimJson | None:
        """Keep this claim's record for the next time; the store to flush, if any."""
        if self._store is None:
            return None
        self._store.keep_record(self._rel, self.sha, against, text)
        return self._store

    def release(self) -> None:
        if self._store is not None and self._sha:  # its JSON can be fetched again
            self._claim = None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ClaimRecord):  # equal to a plain record of the same claim
            return (self.path, self.line, self.claim) == (other.path, other.line, other.claim)
        return NotImplemented

    __hash__ = ClaimRecord.__hash__

    def derivation(
        self, sources: Mapping[str, Source], contradicted_by: Collection[str] = ()
    ) -> Derivation:
        if self._status is None:
            return derive(self.claim, sources, contradicted_by)
        status: Status = Status._value2member_map_[self._status]  # type: ignore[assignment]
        if contradicted_by and status is not Status.REFUTED:
            # What contradicts a claim makes it contested, unless its evidence refutes it
            # (status.derive): known without building the claim.
            status = Status.CONTESTED
        return LazyDerivation(status, self, sources, tuple(sorted(contradicted_by)))

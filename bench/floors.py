"""The floors the benchmark compares claimtrack with: the least a program must do to read claims.

Usage: ``python bench/floors.py KIND FOLDER`` where KIND is

* ``read``: read the bytes of every claim file;
* ``json``: read the JSON copy of every claim (``FOLDER`` holds ``.json`` files) and validate it
  with pydantic (``Claim.model_validate_json``);
* ``yaml``: parse every claim file with PyYAML's libyaml loader (CSafeLoader) and validate it with
  pydantic, in one process;
* ``yaml2``: the same over two processes;
* ``keep``: ``yaml`` keeping every claim, printing the bytes the parsed claims take (tracemalloc).

Each floor runs in its own process, like the commands, so both include interpreter start-up.
The floors read claim files only, not the archived article texts that ``validate`` and ``verify``
also read.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.rglob(f"*{suffix}") if p.name != f"sources{suffix}")


def _claim_model() -> type:
    """claimtrack's Claim, wherever this version keeps it (``core.model`` since the move into
    subpackages, ``model`` before)."""
    try:
        from claimtrack.core.model import Claim
    except ImportError:
        from claimtrack.model import Claim  # type: ignore[no-redef]
    return Claim


def _valid(validate: object, data: object) -> object:
    """The claim, or None for a file with a mistake (the floor only finds out, as validate does)."""
    from pydantic import ValidationError

    try:
        return validate(data)  # type: ignore[operator]
    except ValidationError:
        return None


def _yaml_chunk(paths: list[str]) -> int:
    import yaml

    Claim = _claim_model()
    for path in paths:
        with open(path, "rb") as handle:
            _valid(Claim.model_validate, yaml.load(handle.read(), Loader=yaml.CSafeLoader))
    return len(paths)


def main() -> None:
    kind, folder = sys.argv[1], Path(sys.argv[2])
    gc.disable()  # as claimtrack does during a bulk load: the floor is the best a program can do
    if kind == "read":
        for path in _files(folder, ".yaml"):
            with open(path, "rb") as handle:
                handle.read()
    elif kind == "json":
        Claim = _claim_model()
        for path in _files(folder, ".json"):
            with open(path, "rb") as handle:
                _valid(Claim.model_validate_json, handle.read())
    elif kind == "yaml":
        _yaml_chunk([str(p) for p in _files(folder, ".yaml")])
    elif kind == "yaml2":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        paths = [str(p) for p in _files(folder, ".yaml")]
        size = max(25, len(paths) // 16)
        chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            sum(pool.map(_yaml_chunk, chunks))
    elif kind == "keep":
        import tracemalloc

        import yaml

        Claim = _claim_model()
        tracemalloc.start()
        kept = []
        for path in _files(folder, ".yaml"):
            with open(path, "rb") as handle:
                data = yaml.load(handle.read(), Loader=yaml.CSafeLoader)
                kept.append(_valid(Claim.model_validate, data))
        print(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
    else:
        raise SystemExit(f"unknown floor {kind!r}")


if __name__ == "__main__":
    main()

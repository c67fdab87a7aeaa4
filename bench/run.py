"""The benchmark: claimtrack's commands against the floors, timed side by side in one run.

Usage: ``python bench/run.py --size 10k`` (also ``1k``, ``100k`` or a number; ``--layouts``,
``--repeat``, ``--work``, ``--src``, ``--timeout``). It generates (once, seeded) a claims folder
per layout under ``--work``, then times every command and every floor as a separate process,
best of ``--repeat``, and prints a table of times, ratios to the floors, peak memory and the
targets. The cold reads and their floor are run in turn (floor, validate, verify, floor, ...),
as are start-up and ``import typer``, so that each ratio is one of runs made under the same
load.

Layouts (see ``generate.py``): ``flat`` and ``nested`` are synthetic claims, every one quoting
its article, whose text is archived (``sources/<id>.txt``, sha256 registered) so that
``validate`` and ``verify`` check every quote; ``replicated`` is the shipped ``claims/`` folder
copied until the size is reached.

Every figure is wall-clock time of a whole process (interpreter start-up included) on a warm
operating-system file cache; "cold" means without claimtrack's index, "warm" with it built.
``--src DIR`` times the claimtrack package found in ``DIR`` (e.g. the ``src`` of a commit
exported with ``git archive``) instead of the installed one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator next to this file)

PYTHON = sys.executable
FLOORS = HERE / "floors.py"
#: Written next to a generated folder once it is complete; a folder from another version of the
#: generator (another marker) is generated again.
DONE = "generated v2: quotes from archived article texts\n"
#: Seconds after which one timed run is stopped (``--timeout``); it is then reported as such.
TIMEOUT = [300.0]
#: claimtrack's model module: ``claimtrack.core.model`` since the move into subpackages,
#: ``claimtrack.model`` before.
IMPORT_MODEL = "try:\n import claimtrack.core.model\nexcept ImportError:\n import claimtrack.model"


@dataclass
class Timing:
    seconds: float
    peak_mb: float
    ok: bool
    timed_out: bool = False

    def shown(self) -> str:
        if self.timed_out:
            return f"> {self.seconds:.0f} TIMEOUT"
        return f"{self.seconds:.3f}" + ("" if self.ok else " FAILED")


def timed(
    args: list[str], env: dict[str, str], repeat: int, ok_codes: tuple[int, ...] = (0, 1)
) -> Timing:
    """Best wall time of ``repeat`` runs, and the largest peak RSS of the process tree.

    Exit code 1 is fine by default: the folder has (deliberate) problems that reads report.
    A run that takes longer than ``TIMEOUT`` is stopped, and the figure says so (no more runs)."""
    best, peak, ok = float("inf"), 0.0, True
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        timer = threading.Timer(TIMEOUT[0], proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
        if elapsed >= TIMEOUT[0]:
            print(f"stopped after {elapsed:.0f} s: {' '.join(args)}", file=sys.stderr)
            return Timing(elapsed, peak, False, timed_out=True)
        ok = ok and proc.returncode in ok_codes
        best = min(best, elapsed)
    return Timing(best, peak, ok)


def timed_in_turn(
    commands: dict[str, list[str]], env: dict[str, str], repeat: int
) -> dict[str, Timing]:
    """:func:`timed` of each command, best of ``repeat``, the commands run in turn (a, b, c, a,
    b, c, ...): a ratio between two of them is then one of runs made under the same load (a
    virtual machine's neighbours come and go; blocks of runs minutes apart measured the same
    code 1.0x and 1.3x the floor)."""
    runs: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, args in commands.items():
            if not any(t.timed_out for t in runs[name]):
                runs[name].append(timed(args, env, 1))
    best = {}
    for name, timings in runs.items():
        stopped = [t for t in timings if t.timed_out]
        chosen = stopped[0] if stopped else min(timings, key=lambda t: t.seconds)
        best[name] = Timing(
            chosen.seconds,
            max(t.peak_mb for t in timings),
            all(t.ok for t in timings),
            chosen.timed_out,
        )
    return best


def timed_warm(args: list[str], env: dict[str, str], repeat: int) -> Timing:
    """:func:`timed`, after one untimed run: what a command keeps with the index's snapshot
    (stats' figures, a rendered report) is there, as for anyone who ran it before."""
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return timed(args, env, repeat)


def timed_edit(folder: Path, claim_id: str, env: dict[str, str], repeat: int) -> Timing:
    """Best of ``repeat`` one-claim edits, ``set ID confidence``, alternating two values so that
    every run writes; the claim's file is put back as it was afterwards."""
    path = next(folder.rglob(f"{claim_id}.yaml"))
    original = path.read_bytes()
    best, peak, ok = float("inf"), 0.0, True
    try:
        for n in range(repeat):
            value = ("0.35", "0.65")[n % 2]
            run = timed(
                claimtrack("--dir", str(folder), "set", claim_id, "confidence", value), env, 1
            )
            best, peak, ok = min(best, run.seconds), max(peak, run.peak_mb), ok and run.ok
    finally:
        path.write_bytes(original)
    return Timing(best, peak, ok)


def timed_after_edit(
    folder: Path, claim_id: str, args: list[str], env: dict[str, str], repeat: int
) -> Timing:
    """Best of ``repeat`` runs of a read command, each right after a one-claim edit (so the
    index has a changed file to read again and no snapshot to answer from); the claim's file is
    put back afterwards."""
    path = next(folder.rglob(f"{claim_id}.yaml"))
    original = path.read_bytes()
    edit = claimtrack("--dir", str(folder), "set", claim_id, "confidence")
    best, peak, ok = float("inf"), 0.0, True
    try:
        for n in range(repeat):
            subprocess.run([*edit, ("0.35", "0.65")[n % 2]], env=env, capture_output=True)
            run = timed(args, env, 1)
            best, peak, ok = min(best, run.seconds), max(peak, run.peak_mb), ok and run.ok
    finally:
        path.write_bytes(original)
    return Timing(best, peak, ok)


def claimtrack(*args: str) -> list[str]:
    return [PYTHON, "-m", "claimtrack", *args]


def is_done(folder: Path) -> bool:
    done = folder / "done"
    return done.is_file() and done.read_text(encoding="utf-8") == DONE


def prepare(work: Path, claims: int, layout: str, broken: float) -> tuple[Path, Path]:
    """The claims folder and its JSON mirror (for the json floor), generated once (every article
    archived, as in the shipped folder)."""
    folder = work / f"{claims}-{layout}" / "claims"
    mirror = work / f"{claims}-{layout}" / "json"
    done = folder.parent / "done"
    if not is_done(folder.parent):
        shutil.rmtree(folder.parent, ignore_errors=True)
        generate.generate(folder, claims, layout, seed=7, broken=broken, archive=True)
        import yaml

        for path in folder.rglob("*.yaml"):
            if path.name == "sources.yaml":
                continue
            target = mirror / path.relative_to(folder).with_suffix(".json")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))), encoding="utf-8"
            )
        done.write_text(DONE, encoding="utf-8")
    return folder, mirror


def sample_id(folder: Path, layout: str) -> str:
    """The claim that ``show`` and the edits use: the 43rd generated one, or, replicated, the
    first claim of the second copy."""
    pattern = f"*{generate.copy_suffix(2)}.yaml" if layout == "replicated" else "*-000042.yaml"
    return sorted(folder.rglob(pattern))[0].stem


def has_command(name: str, env: dict[str, str]) -> bool:
    return subprocess.run(claimtrack(name, "--help"), capture_output=True, env=env).returncode == 0


def bench_layout(
    work: Path, claims: int, layout: str, repeat: int, broken: float
) -> list[list[str]]:
    folder, mirror = prepare(work, claims, layout, broken)
    cache = work / f"cache-{claims}-{layout}"  # its own: a cold build empties it
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("CLAIMTRACK_NO_CACHE", None)
    some_id = sample_id(folder, layout)
    d = ["--dir", str(folder)]

    floors = {
        kind: timed(
            [PYTHON, str(FLOORS), kind, str(mirror if kind == "json" else folder)], env, repeat
        )
        for kind in ("read", "json", "yaml")
    }
    parsed = subprocess.run(
        [PYTHON, str(FLOORS), "keep", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    parsed_mb = int(parsed.stdout.strip()) / 2**20
    models = timed([PYTHON, "-c", IMPORT_MODEL], env, repeat)

    shutil.rmtree(cache, ignore_errors=True)
    # The cold reads and the floor they are held to, in turn: their ratio is of the same load.
    in_turn = timed_in_turn(
        {
            "yaml2": [PYTHON, str(FLOORS), "yaml2", str(folder)],
            "cold": claimtrack(*d, "--no-cache", "validate", "--quiet"),
            "verify": claimtrack(*d, "--no-cache", "verify", "--quiet"),
        },
        env,
        repeat,
    )
    floors["yaml2"], cold, verify_cold = in_turn["yaml2"], in_turn["cold"], in_turn["verify"]
    builds = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        builds.append(timed(claimtrack(*d, "validate", "--quiet"), env, 1))
    build = min(builds, key=lambda t: t.seconds)
    # verify reads every archived text and finds every quote in it; validate does the same when
    # the registry has archived texts, so both figures include quote checking.
    warm: dict[str, Timing] = {
        "validate (warm)": timed_warm(claimtrack(*d, "validate", "--quiet"), env, repeat),
        "verify (warm)": timed_warm(claimtrack(*d, "verify", "--quiet"), env, repeat),
        "list --status contested --format json": timed_warm(
            claimtrack(*d, "list", "--status", "contested", "--format", "json"), env, repeat
        ),
        "list --format json (every claim)": timed_warm(
            claimtrack(*d, "list", "--format", "json"), env, repeat
        ),
        "show ID": timed_warm(claimtrack(*d, "show", some_id), env, repeat),
        "stats": timed_warm(claimtrack(*d, "stats"), env, repeat),
    }
    if has_command("report", env):
        warm["report --format md"] = timed_warm(
            claimtrack(*d, "report", "--format", "md"), env, repeat
        )
    # The same, each right after an edit of one claim: the rows, not the snapshot, answer,
    # and nothing kept with the snapshot (stats' figures, rendered reports) can be used.
    edited = {
        f"{name}, after a one-claim edit": timed_after_edit(
            folder, some_id, claimtrack(*d, *args), env, repeat
        )
        for name, args in (
            ("list --status contested --format json", ["list", "-s", "contested", "-f", "json"]),
            ("stats", ["stats"]),
            ("show ID", ["show", some_id]),
            ("report --format md", ["report", "--format", "md"]),
        )
    }
    small = work / "10-claims"
    if not is_done(small):
        shutil.rmtree(small, ignore_errors=True)
        generate.generate(small / "claims", 10, "flat", seed=7, archive=True)
        (small / "done").write_text(DONE, encoding="utf-8")
    small_id = sorted((small / "claims").glob("*-000004.yaml"))[0].stem
    timed(claimtrack("--dir", str(small / "claims"), "list"), env, 1)  # its index
    show_small = timed(claimtrack("--dir", str(small / "claims"), "show", small_id), env, repeat)
    edit_big = timed_edit(folder, some_id, env, repeat + 2)  # 2 more: an edit is short and noisy
    edit_small = timed_edit(small / "claims", small_id, env, repeat + 2)
    starts = timed_in_turn(
        {
            "typer": [PYTHON, "-c", "import typer"],
            "help": claimtrack("--help"),
            "version": claimtrack("--version"),
        },
        env,
        repeat * 3,
    )
    typer, help_, version = starts["typer"], starts["help"], starts["version"]

    big = "≤ 0.3 s" if claims <= 10_000 else "≤ 1 s"
    two = floors["yaml2"].seconds
    rows = [
        ["floor: read the bytes", floors["read"], "", ""],
        ["floor: json + pydantic", floors["json"], "", ""],
        ["floor: libyaml + pydantic, 1 process", floors["yaml"], "", ""],
        ["floor: libyaml + pydantic, 2 processes", floors["yaml2"], "", ""],
        ["validate, no index (--no-cache)", cold, f"{cold.seconds / two:.2f}× yaml2", "≤ 1.1×"],
        ["validate, building the index", build, f"{build.seconds / two:.2f}× yaml2", ""],
        [
            "verify, no index (--no-cache)",
            verify_cold,
            f"{verify_cold.seconds / two:.2f}× yaml2",
            "",
        ],
    ]
    rows += [
        [
            name,
            t,
            f"{t.seconds / two:.2f}× yaml2",
            "" if "every claim" in name or name.startswith("verify") else big,
        ]
        for name, t in warm.items()
    ]
    rows += [[name, t, f"{t.seconds / two:.2f}× yaml2", ""] for name, t in edited.items()]
    rows += [
        [
            "show ID in a 10-claim folder",
            show_small,
            f"big/small {warm['show ID'].seconds / show_small.seconds:.2f}×",
            "≈ 1×",
        ],
        ["set ID confidence X (a one-claim edit)", edit_big, "", ""],
        [
            "set ID confidence X in a 10-claim folder",
            edit_small,
            f"big/small {edit_big.seconds / edit_small.seconds:.2f}×",
            "≈ 1×",
        ],
        ["python -c 'import typer'", typer, "", ""],
        ["python -c 'import claimtrack.model' (core.model)", models, "", ""],
        ["claimtrack --help", help_, f"{help_.seconds / typer.seconds:.2f}× typer", "≤ 2.5×"],
        [
            "claimtrack --version",
            version,
            f"{version.seconds / typer.seconds:.2f}× typer",
            "≤ 2.5×",
        ],
    ]
    table = []
    for name, t, ratio, target in rows:
        memory = f"{t.peak_mb:.0f} MB"
        if name.startswith(("list --format json", "stats")):
            held = (t.peak_mb - models.peak_mb) / parsed_mb
            memory += f" ({held:.2f}× parsed)"
        table.append([layout, name, t.shown(), ratio, target, memory])
    table.append(
        [layout, f"parsed claims held in memory (tracemalloc): {parsed_mb:.0f} MB", "", "", "", ""]
    )
    return table


def compile_claimtrack() -> Path:
    """Byte-compile claimtrack first, as ``pip install`` does: an editable install run with
    ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module in every timed process.
    Returns the package's folder."""
    import compileall

    import claimtrack

    package = Path(claimtrack.__file__).parent
    compileall.compile_dir(package, quiet=1)
    return package


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 2**20:.1f} GiB memory"
                break
    except OSError:
        pass
    return (
        f"{cpu}, {cores} cores{memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def markdown(rows: list[list[str]]) -> str:
    head = ["layout", "what", "seconds", "ratio", "target", "peak RSS"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1k", help="1k, 10k, 100k or a number of claims")
    parser.add_argument(
        "--layouts", default="flat,nested", help="any of flat, nested, replicated (comma-separated)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the best counts)")
    parser.add_argument(
        "--broken",
        type=float,
        default=0.001,
        help="share of claim files with a mistake (validate reports them)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/claimtrack-bench"),
        help="where the generated folders and the index go",
    )
    parser.add_argument(
        "--src",
        type=Path,
        help="time the claimtrack package in this folder (put first on PYTHONPATH)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT[0],
        help="seconds after which one timed run is stopped and reported as a timeout",
    )
    args = parser.parse_args()
    TIMEOUT[0] = args.timeout
    if args.src is not None:
        src = str(args.src.resolve())
        sys.path.insert(0, src)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (src, os.environ.get("PYTHONPATH")) if p
        )
    package = compile_claimtrack()
    layouts = [layout.strip() for layout in args.layouts.split(",")]
    unknown = set(layouts) - set(generate.LAYOUTS)
    if unknown:
        parser.error(f"unknown layouts {sorted(unknown)}: choose among {generate.LAYOUTS}")
    claims = generate.count(args.size)
    if "replicated" in layouts:
        per_copy = len([p for p in generate.SHIPPED.rglob("*.yaml") if p.name != "sources.yaml"])
        replicated = -(-claims // per_copy) * per_copy
        if replicated != claims:
            print(f"replicated: {replicated} claims (whole copies of {per_copy})", file=sys.stderr)
    rows: list[list[str]] = []
    for layout in layouts:
        rows += bench_layout(args.work, claims, layout, args.repeat, args.broken)
    print(f"{claims} claims; {machine()}; claimtrack from {package}")
    print(markdown(rows))


if __name__ == "__main__":
    main()

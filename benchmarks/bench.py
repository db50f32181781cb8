"""How fast is dlcompare? Start-up against a reference Typer app, and growth with data size.

Run from the checkout, with the interpreter dlcompare is installed in:

    .venv/bin/python benchmarks/bench.py            # 15 runs of each command
    .venv/bin/python benchmarks/bench.py --runs 31  # steadier medians
    .venv/bin/python benchmarks/bench.py --only startup --only sensitivity

Every command runs in a fresh process as `<this python> -m dlcompare ...`, stdout and stderr
to /dev/null, COLUMNS=80. Commands measured together are alternated (round-robin, the starting
command rotating each round) after one unmeasured warm-up run each, so that a noisy moment
hits all of them alike. Each figure is the median wall time of the runs; every ratio divides
two medians of the same run.

Reference rows (issue 16):
- `reference app`: a two-command Typer app whose command has rank-like options (a path, a
  repeated string, a float, three strings) and prints a rich table: what any command of a
  Typer + rich CLI costs before it does its own work.
- `parse`: PyYAML's C loader (`yaml.CSafeLoader`) parsing the same data files, nothing else.

Targets: `show`, `diff`, `rank` on the bundled data <= 1.00x the reference app (issue 27; it
was 1.10x in issue 16), and the commands added since (`check`, `rate`, `schema output`) load
none of their modules at their start-up; `rank` on 1,000 toolkits x 50 criteria without a
cache <= 1.3x the parse of its files, and with the cache <= 1.5x the reference app; the cost
per rating at 5,000 toolkits within 1.3x of that at 100; `rank --sensitivity` with 10,000
samples <= 0.5 s beyond the plain `rank` (issue 16).

Not part of the test suite: timings belong to the machine, not to the code.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PY = sys.executable
FLOOR = [PY, "-c", "import typer, rich.console, rich.table, pydantic, yaml"]
RANK_WEIGHTS = ["-w", "interfaces=1", "-w", "model-deployment=2"]
COMMANDS: dict[str, list[str]] = {
    "show performance": ["show", "performance"],
    "diff tensorflow torch": ["diff", "tensorflow", "torch"],
    "rank -w interfaces=1 -w model-deployment=2": ["rank", *RANK_WEIGHTS],
    "--help": ["--help"],
}
REFERENCE_APP = """\
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


@app.command()
def rank(
    data: Annotated[Path | None, typer.Option("--data")] = None,
    weight: Annotated[list[str] | None, typer.Option("--weight", "-w")] = None,
    threshold: Annotated[float, typer.Option("--threshold")] = 0.0,
    fmt: Annotated[str, typer.Option("--format", "-f")] = "table",
    missing: Annotated[str, typer.Option("--missing")] = "drop",
    as_of: Annotated[str, typer.Option("--as-of")] = "latest",
) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("rank", "toolkit", "score")
    for n, name in enumerate(weight or [], 1):
        table.add_row(str(n), name, f"{threshold:.2f}")
    Console().print(table)


@app.command()
def other() -> None:
    pass


app()
"""
REFERENCE = [PY, "-c", REFERENCE_APP, "rank", "-w", "interfaces=1", "-w", "model-deployment=2"]
"""A Typer + rich command doing nothing of its own: the floor of any dlcompare command."""
PARSE = """\
import sys
from pathlib import Path

import yaml

folder = Path(sys.argv[1])
for path in [folder / "criteria.yaml", folder / "editions.yaml"]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
for path in sorted((folder / "toolkits").glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
"""PyYAML's C loader parsing a data folder's files: the floor of reading them at all."""
START_TARGET = 1.00
NEWER_COMMANDS = {
    "check": ("cli.check", "check", "checking", "links", "package_index", "refresh", "web"),
    "rate": ("cli.files", "rate", "scaffold"),
    "schema output": ("cli.catalog", "outputs"),
}
"""Modules of dlcompare these commands need and show, diff and rank do not: a start-up of
show, diff or rank that loaded one would pay for a command it is not."""
SCALE_SIZES = (100, 1_000, 5_000)
LEAVES = 50
COLD_TARGET = 1.3
"""rank on 1,000 x 50 without a cache, as a multiple of the parse of its files."""
WARM_TARGET = 1.5
"""rank on 1,000 x 50 with the cache, as a multiple of the reference app."""
LINEAR_TARGET = 1.3
SENSITIVITY_TARGET = 0.5
SECTIONS = ("startup", "scale", "sensitivity")


def dlcompare(*args: str) -> list[str]:
    return [PY, "-m", "dlcompare", *args]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["COLUMNS"] = "80"
    # PYTHONDONTWRITEBYTECODE would make every run compile dlcompare afresh, which no user
    # pays: let the warm-up run write the .pyc files, as the first run after an install does.
    for name in (
        "FORCE_COLOR",
        "DLCOMPARE_DATA",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    env.update(extra)
    return env


ENV = _env()
COLD = _env(DLCOMPARE_NO_CACHE="1")
"""No parsed-data cache: every run reads and checks the YAML files as the first run does."""
FIRST_RUN = "BENCH_FIRST_RUN"
FIRST = _env(**{FIRST_RUN: "1"})
"""A user's first run: the cache on, and emptied before each run (it reads and writes it)."""

Command = tuple[list[str], dict[str, str]]
"""argv and environment; a first run with the cache (see `_first_run`) also empties it."""


def run_once(command: Command) -> float:
    argv, env = command
    fresh = env.get("DLCOMPARE_CACHE_DIR") if env.get(FIRST_RUN) else None
    if fresh:  # a first run: nothing cached yet
        shutil.rmtree(fresh, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(
        argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"bench: {' '.join(a for a in argv if len(a) < 200)} exited {done.returncode}:\n"
            f"{done.stderr.decode(errors='replace')[-2000:]}"
        )
    return elapsed


def measure(commands: dict[str, Command], runs: int) -> dict[str, float]:
    """Median wall time of each command, the commands alternated round-robin."""
    names = list(commands)
    for name in names:  # warm-up: page cache, .pyc files
        run_once(commands[name])
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(run_once(commands[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        return "  ".join(
            [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    print()


# --- start-up -----------------------------------------------------------------------------


def bench_startup(runs: int) -> None:
    reference_name = "reference app: Typer, rank-like options, a rich table"
    commands: dict[str, Command] = {reference_name: (REFERENCE, ENV)}
    commands["floor: python -c 'import typer, rich.console, rich.table, pydantic, yaml'"] = (
        FLOOR,
        ENV,
    )
    commands |= {f"dlcompare {name}": (dlcompare(*args), ENV) for name, args in COMMANDS.items()}
    cold_name = "dlcompare show performance, no cache (first run)"
    commands[cold_name] = (dlcompare(*COMMANDS["show performance"]), COLD)
    medians = measure(commands, runs)
    reference = medians[reference_name]
    rows = []
    for name, median in medians.items():
        ratio = median / reference
        measured = name.startswith("dlcompare ") and name not in (cold_name, "dlcompare --help")
        target = verdict(ratio <= START_TARGET) if measured else ""
        rows.append([name, f"{median * 1000:.0f} ms", f"{ratio:.2f}", target])
    print(
        f"Start-up: median of {runs} runs, ratio to the reference app (target <= {START_TARGET} "
        "for show, diff and rank)"
    )
    print_table(["command", "median", "ratio", "target"], rows)
    newer = [
        [f"dlcompare {name}", ", ".join(loaded_of_newer(args)) or "none"]
        for name, args in COMMANDS.items()
    ]
    print("Modules of the commands added since issue 16 (check, rate, schema output) loaded")
    print_table(["command", "loaded"], newer)


def loaded_of_newer(args: Sequence[str]) -> list[str]:
    """The modules of NEWER_COMMANDS that `dlcompare ARGS` imports (`-X importtime`)."""
    done = subprocess.run(
        [PY, "-X", "importtime", "-m", "dlcompare", *args],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines()}
    return sorted(
        f"{module} ({command})"
        for command, modules in NEWER_COMMANDS.items()
        for module in modules
        if f"dlcompare.{module}" in imported
    )


# --- scale --------------------------------------------------------------------------------


def leaf_paths() -> list[str]:
    """50 leaves: 46 criteria without parts and 2 criteria with 2 parts each."""
    plain = [f"criterion-{i:02d}" for i in range(1, 47)]
    parted = [f"split-{i}.{part}" for i in (1, 2) for part in ("alpha", "beta")]
    return plain + parted


def write_dataset(folder: Path, toolkits: int, seed: int = 8) -> int:
    """A valid data folder in the format of data/: 50 leaf criteria, 2 editions, `toolkits`
    toolkit files. Every toolkit is rated on every leaf in the first edition, and on every
    tenth leaf again in the second. Returns the number of assessments written."""
    rng = random.Random(seed)
    lines = ["scale: {min: 0, max: 5}", "criteria:"]
    for i in range(1, 47):
        lines += [
            f"  - id: criterion-{i:02d}",
            f"    name: Criterion {i}",
            f"    description: Synthetic criterion number {i}, for the benchmark.",
        ]
    for i in (1, 2):
        lines += [
            f"  - id: split-{i}",
            f"    name: Split {i}",
            "    description: A synthetic criterion rated per part.",
            "    parts:",
        ]
        for part in ("alpha", "beta"):
            lines += [
                f"      - id: {part}",
                f"        name: {part.title()}",
                f"        description: Part {part} of split {i}.",
            ]
    (folder / "criteria.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "editions.yaml").write_text(
        "editions:\n"
        "  - date: 2020-01-15\n"
        "    url: https://example.org/evaluation/2020\n"
        "    evaluator: Benchmark team\n"
        "    summary: First synthetic edition.\n"
        "  - date: 2021-06-01\n"
        "    url: https://example.org/evaluation/2021\n"
        "    evaluator: Benchmark team\n"
        "    summary: Second synthetic edition, revising a tenth of the ratings.\n",
        encoding="utf-8",
    )
    toolkit_dir = folder / "toolkits"
    toolkit_dir.mkdir()
    paths = leaf_paths()
    written = 0
    for n in range(toolkits):
        ident = f"toolkit-{n:05d}"
        out = [
            f"id: {ident}",
            f"name: Toolkit {n}",
            f"aliases: [tk-{n:05d}]",
            f"homepage: https://example.org/{ident}",
            "ratings:",
        ]
        for i, path in enumerate(paths):
            out.append(f"  {path}:")
            days = ["2020-01-15", "2021-06-01"] if i % 10 == 0 else ["2020-01-15"]
            for day in days:
                out += [
                    f"    {day}:",
                    f"      score: {rng.randint(0, 10) / 2}",
                    f"      summary: Synthetic assessment of toolkit {n} on {path} ({day}).",
                    f"      sources: [https://example.org/{ident}/{i}]",
                ]
                written += 1
        (toolkit_dir / f"{ident}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return written


SCALE_COMMANDS = ("parse", "validate", "rank", "rank, no cache", "rank, first run")
"""`parse`: the reference C loader; `rank, first run`: the cache on but empty (written)."""
REFERENCE_ROW = "reference app"


def bench_scale(runs: int, sizes: Sequence[int], fmt: str) -> None:
    weights = [f"{path}={1 + i % 3}" for i, path in enumerate(leaf_paths()) if i % 5 == 0]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="dlcompare-bench-") as tmp:
        first_cache = Path(tmp) / "first-run-cache"
        first = dict(FIRST, DLCOMPARE_CACHE_DIR=str(first_cache))
        for size in (1, *sizes):  # 1 toolkit: the fixed cost, subtracted for the per-rating cost
            folder = Path(tmp) / f"n{size}"
            folder.mkdir()
            write_dataset(folder, size)
            rank_argv = dlcompare("rank", "--data", str(folder), "--no-bundled", "-f", fmt)
            for weight in weights:
                rank_argv += ["-w", weight]
            results[size] = measure(
                {
                    REFERENCE_ROW: (REFERENCE, ENV),
                    "parse": ([PY, "-c", PARSE, str(folder)], ENV),
                    "validate": (dlcompare("validate", "--no-bundled", str(folder)), ENV),
                    "rank": (rank_argv, ENV),
                    "rank, no cache": (rank_argv, COLD),
                    "rank, first run": (rank_argv, first),
                },
                runs,
            )
    base = results[1]
    print(
        f"Scale: {LEAVES} leaf criteria, 2 editions, 55 assessments per toolkit; median of {runs} "
        f"runs. `rank --data DIR --no-bundled` weights {len(weights)} criteria and prints "
        f"--format {fmt}; `validate --no-bundled DIR`. 'parse': yaml.CSafeLoader reading the "
        "same files, nothing else. 'no cache': DLCOMPARE_NO_CACHE=1. 'first run': the cache on "
        "and emptied before each run, so the run reads and writes it. Per rating: (time - time "
        f"at 1 toolkit) / (toolkits x {LEAVES}). Ratios: the cold rank runs to 'parse' of the "
        "same size, the cached rank to the reference app measured in the same rounds."
    )
    rows = []
    per_rating: dict[tuple[str, int], float] = {}
    for size in sizes:
        found = results[size]
        for command in SCALE_COMMANDS:
            median = found[command]
            cost = (median - base[command]) / ((size - 1) * LEAVES)
            per_rating[command, size] = cost
            ratio = target = ""
            if command in ("rank, no cache", "rank, first run"):
                ratio = f"{median / found['parse']:.2f}x parse"
                if size == 1_000:
                    target = f"<= {COLD_TARGET}: {verdict(median / found['parse'] <= COLD_TARGET)}"
            elif command == "rank":
                ratio = f"{median / found[REFERENCE_ROW]:.2f}x app"
                if size == 1_000:
                    ok = median / found[REFERENCE_ROW] <= WARM_TARGET
                    target = f"<= {WARM_TARGET}: {verdict(ok)}"
            rows.append(
                [
                    f"{command} {size:,} x {LEAVES}",
                    f"{median:.3f} s",
                    f"{cost * 1e6:.1f} us",
                    ratio,
                    target,
                ]
            )
        rows.append([f"{REFERENCE_ROW} (at {size:,})", f"{found[REFERENCE_ROW]:.3f} s", "", "", ""])
    for command in SCALE_COMMANDS:
        rows.append([f"{command} 1 x {LEAVES} (fixed cost)", f"{base[command]:.3f} s", "", "", ""])
    print_table(["command", "median", "per rating", "ratio", "target"], rows)
    small, large = min(sizes), max(sizes)
    for command in SCALE_COMMANDS[1:]:
        growth = per_rating[command, large] / per_rating[command, small]
        print(
            f"{command}: per-rating cost at {large:,} / at {small:,} = {growth:.2f} "
            f"(target <= {LINEAR_TARGET}: {verdict(growth <= LINEAR_TARGET)})"
        )
    print()


# --- sensitivity --------------------------------------------------------------------------


def bench_sensitivity(runs: int) -> None:
    help_text = subprocess.run(
        dlcompare("rank", "--help"), check=False, capture_output=True, text=True, env=ENV
    ).stdout
    if "--sensitivity" not in help_text:
        print("Sensitivity: not available (`rank --sensitivity` does not exist yet)\n")
        return
    plain = dlcompare("rank", *RANK_WEIGHTS)
    sampled = [*plain, "--sensitivity", "--samples", "10000"]
    medians = measure({"rank": (plain, ENV), "rank --sensitivity": (sampled, ENV)}, runs)
    extra = medians["rank --sensitivity"] - medians["rank"]
    print(f"Sensitivity: median of {runs} runs, bundled data, 10,000 samples")
    print_table(
        ["command", "median", "beyond rank", "target"],
        [
            ["rank " + " ".join(RANK_WEIGHTS), f"{medians['rank']:.3f} s", "", ""],
            [
                "... --sensitivity --samples 10000",
                f"{medians['rank --sensitivity']:.3f} s",
                f"{extra:.3f} s",
                f"<= {SENSITIVITY_TARGET} s: {verdict(extra <= SENSITIVITY_TARGET)}",
            ],
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="Runs of each command (min 15).")
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        action="append",
        help="Run only this part (repeatable). Default: all of them.",
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SCALE_SIZES), help="Toolkit counts."
    )
    parser.add_argument(
        "--format", dest="fmt", default="json", help="Output format of the scale rank runs."
    )
    args = parser.parse_args()
    if args.runs < 15:
        parser.error("--runs must be 15 or more")
    yaml_c = subprocess.run(
        [PY, "-c", "import yaml; print(yaml.__with_libyaml__)"],
        check=False,
        capture_output=True,
        text=True,
    ).stdout.strip()
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown CPU",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    print(
        f"Machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"libyaml: {yaml_c}\nCommands: {PY} -m dlcompare ...\n"
    )
    sections = args.only or SECTIONS
    # A cache of its own, so that the runs start from nothing and leave the user's alone.
    with tempfile.TemporaryDirectory(prefix="dlcompare-bench-cache-") as cache:
        for env in (ENV, COLD):
            env["DLCOMPARE_CACHE_DIR"] = cache
        if "startup" in sections:
            bench_startup(args.runs)
        if "scale" in sections:
            bench_scale(args.runs, args.sizes, args.fmt)
        if "sensitivity" in sections:
            bench_sensitivity(args.runs)


if __name__ == "__main__":
    main()

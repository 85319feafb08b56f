"""Run every benchmark at both ledger sizes and write bench/RESULTS.md.

    .venv/bin/python bench/run_all.py [--backend sqlite|postgresql] [--rows N] [--reseed] [--quick]

Seeds (or reuses) the cached ledgers first, then runs each benchmark script in its own process
and collects their rows into one markdown report with the machine, the date and the command
lines that reproduce it.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psycopg
import sqlalchemy

import benchlib
from benchlib import BENCH_DIR, ROOT, Result, log

SCRIPTS = ["postings.py", "hot_item.py", "reads.py", "reconcile.py", "bulk_import.py", "orders.py"]
SCALE_LIMIT = 1.5


def _machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with psycopg.connect(benchlib.PG_ADMIN) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
        settings = dict(
            conn.execute(
                "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN "
                "('shared_buffers', 'synchronous_commit', 'fsync', 'max_connections')"
            ).fetchall()
        )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {mem:.0f} GiB; {platform.platform()}",
        f"- Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, psycopg {psycopg.__version__}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg} "
        f"({', '.join(f'{k}={v}' for k, v in sorted(settings.items()))}), local TCP 127.0.0.1",
    ]


def _cmd(script: str, args) -> list[str]:
    cmd = [".venv/bin/python", f"bench/{script}"]
    for b in args.backend or []:
        cmd += ["--backend", b]
    for r in args.rows or []:
        cmd += ["--rows", str(r)]
    if args.quick:
        cmd.append("--quick")
    return cmd


def _scale_rows(results: list[Result]) -> list[str]:
    by_op: dict[tuple[str, str], dict[int, Result]] = defaultdict(dict)
    for r in results:
        by_op[(r.operation, r.backend)][r.rows] = r
    lines = []
    for (op, backend), sizes in by_op.items():
        if len(sizes) < 2:
            continue
        small, large = sizes[min(sizes)], sizes[max(sizes)]
        slow = small.stockdesk / large.stockdesk
        raw_slow = f"{small.raw / large.raw:.2f}x" if small.raw and large.raw else "-"
        linear = op.startswith("reconcile")
        verdict = "n/a (reads the whole ledger)" if linear else ("PASS" if slow <= SCALE_LIMIT else "FAIL")
        lines.append(
            f"| {op} | {backend} | {small.rows:,} -> {large.rows:,} | {benchlib.fmt_rate(small.stockdesk)} -> "
            f"{benchlib.fmt_rate(large.stockdesk)} | {slow:.2f}x | {raw_slow} | <= {SCALE_LIMIT}x | {verdict} |"
        )
    return lines


def write_report(results: list[Result], commands: list[str], timings: list[str], path: Path) -> None:
    out = [
        "# StockDesk benchmark results",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M %Z')} by `bench/run_all.py`. What each benchmark does, how the raw "
        "baseline is written and the analysis of the misses: [README.md](README.md). "
        "These are measurements, not tests.",
        "",
        "## Machine",
        "",
        *_machine(),
        "",
        "## StockDesk vs raw DB-API",
        "",
        "`sd/raw` is StockDesk's throughput as a fraction of raw (in brackets: how many times raw's time it takes).",
        "",
        "| " + " | ".join(benchlib.HEADER) + " |",
        "|" + "---|" * len(benchlib.HEADER),
        *("| " + " | ".join(row) + " |" for row in benchlib.table_rows(results)),
        "",
        "## Scale: 10,000 vs 5,500,000 ledger rows (StockDesk)",
        "",
        "| operation | backend | ledger rows | stockdesk ops/s | slowdown | raw slowdown | target | result |",
        "|---|---|---|---|---|---|---|---|",
        *_scale_rows(results),
        "",
        "## Reproduce",
        "",
        "```sh",
        "cd /work/main",
        *commands,
        "```",
        "",
        "## Run log",
        "",
        *timings,
        "",
    ]
    path.write_text("\n".join(out))


def main() -> None:
    p = benchlib.parser(__doc__)
    p.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md")
    args = p.parse_args()
    os.chdir(ROOT)
    commands, timings = [], []
    seed_cmd = _cmd("seed_ledger.py", args) + (["--reseed"] if args.reseed else [])
    commands.append(shlex.join(seed_cmd) + "   # cached; add --reseed to rebuild")
    started = time.perf_counter()
    subprocess.run(seed_cmd, check=True)
    timings.append(f"- seed_ledger.py: {time.perf_counter() - started:.0f} s")
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for script in SCRIPTS:
            if not (BENCH_DIR / script).exists():
                timings.append(f"- {script}: not present, skipped")
                continue
            out = Path(tmp) / f"{script}.jsonl"
            cmd = _cmd(script, args)
            commands.append(shlex.join(cmd))
            log(f"running {shlex.join(cmd)}")
            started = time.perf_counter()
            done = subprocess.run([*cmd, "--json", str(out)])
            took = time.perf_counter() - started
            status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
            timings.append(f"- {script}: {took:.0f} s, {status}")
            if out.exists():
                results += [Result(**json.loads(line)) for line in out.read_text().splitlines()]
    write_report(results, commands, timings, args.out)
    log(f"wrote {args.out}")
    print()
    benchlib.print_table(results)
    if any("FAILED" in t for t in timings):
        sys.exit(1)


if __name__ == "__main__":
    main()

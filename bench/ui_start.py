"""Cold start of the desktop app to a usable window, in a fresh process each time.

    .venv/bin/python bench/ui_start.py [--backend sqlite|postgresql] [--reseed] [--quick]

Each run starts a new Python process that runs the real entry point, `stockdesk.app.main`, with
`--db URL --user owner` on a copy of the 50,000-variant x 10-site seed (seed_stock.py), offscreen,
and stops it once the main window is shown and the stock screen's first page is in its table and
painted. The clock starts in this process just before the child is spawned, so interpreter start,
imports, the schema check, signing in and the first page all count. Reported: the median of N
runs, with where the time went (imports done / window shown / first page shown). Target < 1.5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import benchlib
import seed_stock
from benchlib import ROOT, log

TARGET_S = 1.5
CHILD = """
import sys, time
marks = {}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from stockdesk import app as desktop
from stockdesk.ui.main_window import MainWindow
marks["imports"] = time.monotonic()
qt = QApplication(sys.argv[:1])

def check():
    for window in qt.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            marks.setdefault("window", time.monotonic())
            screen = window.screens[0]
            if screen.model.rowCount():
                screen.table.viewport().repaint()
                marks["page"] = time.monotonic()
                print(" ".join(f"{k}={v:.6f}" for k, v in marks.items()), flush=True)
                qt.exit(0)

poll = QTimer()
poll.timeout.connect(check)
poll.start(1)
desktop.main(["--db", sys.argv[1], "--user", "owner"])
"""


def one_start(url: str, home: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home}
    env["PYTHONPATH"] = str(ROOT / "src")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    marks = dict(part.split("=") for line in done.stdout.splitlines() if "page=" in line for part in line.split())
    if "page" not in marks:
        raise SystemExit(f"the app did not show its first page:\n{done.stdout}\n{done.stderr}")
    return {name: float(value) - started for name, value in marks.items()}


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    runs = 3 if args.quick else 9
    lines = []
    for backend in args.backend or ("sqlite", "postgresql"):
        seed = seed_stock.ensure(backend, reseed=args.reseed)
        with (
            benchlib.working_copy(backend, seed, f"start_{os.getpid()}") as url,
            tempfile.TemporaryDirectory() as home,
        ):
            one_start(url, home)  # warm the OS file cache, as a second start of the day would find it
            starts = [one_start(url, home) for _ in range(runs)]
        median = {k: statistics.median(s[k] for s in starts) for k in ("imports", "window", "page")}
        slowest = max(s["page"] for s in starts)
        verdict = "PASS" if median["page"] < TARGET_S else "FAIL"
        log(f"{backend}: first page after {median['page']:.2f} s (median of {runs}; slowest {slowest:.2f} s)")
        lines.append(
            f"{backend:<10}  {median['imports']:>7.2f}  {median['window']:>13.2f}  {median['page']:>10.2f}  "
            f"{slowest:>7.2f}  < {TARGET_S} s  {verdict}"
        )
    print()
    print("backend     imports  window shown  first page  slowest  target    result")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""`alc compile --watch`: compile, then compile again each time a file of the project changes.

Changes are found by polling: every ``interval`` seconds the project's files (hidden folders
left out, as the compile leaves them out) are listed with their size and time of change; a
difference from the last listing, once it has held still for one more poll (an editor saving
several files), starts a compile. No thread and no new dependency: the compile forks its
workers from this one process. Ctrl-C ends the watch cleanly with exit 0, also during a
compile (its workers end with it; the package and the cache are written atomically, so
neither is left half-written).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, Optional

from .incremental import project_files

__all__ = ["snapshot", "watch"]


def snapshot(project: str, skip: tuple = ()) -> dict:
    """path -> (size, time of change in ns) of the project's files; ``skip``: paths left out (reports
    the compile writes), and packages (`.app`: the compile writes one, none is an input)."""
    out = {}
    for path in project_files([project], skip=skip):
        if path.lower().endswith(".app"):
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        out[path] = (st.st_size, st.st_mtime_ns)
    return out


def watch(compile_once: Callable[[], int], project: str, skip: tuple = (), interval: float = 0.5,
          rounds: Optional[int] = None, out=None) -> int:
    """Run ``compile_once`` now and after each change of the project's files, until Ctrl-C
    (or ``rounds`` compiles, for tests). Returns the exit code."""
    out = out or sys.stdout
    skip = tuple(p for p in skip if p)
    done = 0
    try:
        while True:
            before = snapshot(project, skip)
            compile_once()
            done += 1
            print(f"[watch] waiting for changes in {project} (Ctrl-C stops)", file=out, flush=True)
            if rounds is not None and done >= rounds:
                return 0
            _wait_for_change(project, skip, before, interval)
            print("[watch] files changed: compiling again", file=out, flush=True)
    except KeyboardInterrupt as exc:
        if type(exc) is not KeyboardInterrupt:
            raise              # SIGTERM, SIGHUP (cli.Terminated): exit as the command line does for them
        print("\n[watch] stopped", file=out, flush=True)
        return 0


def _wait_for_change(project: str, skip: tuple, before: dict, interval: float) -> None:
    """Return once the files differ from ``before`` and have held still for one poll."""
    seen = before
    while True:
        time.sleep(interval)
        now = snapshot(project, skip)
        if now == seen and now != before:
            return
        seen = now

"""What `alc build` shows while it works, and its summary.

On a terminal: a live table (rich) with each project's status, files and elapsed time, redrawn
by the build loop itself (no refresh thread, so forking the compile processes stays safe), the
diagnostics of each project printed above it as the project ends. Elsewhere (a pipe, a CI log):
one plain line per event. Then a summary table: project, status, objects, errors, warnings,
seconds.
"""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

__all__ = ["PlainView", "LiveView", "CompileProgress", "summary_lines", "make_view", "print_summary"]

_STAGE_TEXT = {"manifest": "reading app.json", "dependencies": "resolving dependencies", "parse": "parsing",
               "check": "checking", "emit": "writing the package", "done": "finishing"}


def _stage_text(stage: str, files: int) -> str:
    text = _STAGE_TEXT.get(stage, stage)
    return f"{text} {files} files" if stage == "parse" and files else text


def _result_text(r) -> str:
    if r.status == "ok":
        return f"ok: {r.objects} objects from {r.files} files, {r.warnings} warnings, {r.seconds:.1f} s"
    return f"{r.status}: {r.message}"


class PlainView:
    """One line per event, with the time since the build started."""

    def __init__(self, out: TextIO = sys.stdout, quiet_warnings: bool = False):
        self.out = out
        self.t0 = time.perf_counter()
        self.quiet_warnings = quiet_warnings

    def __enter__(self) -> "PlainView":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def _say(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.t0:7.1f}s] {text}", file=self.out, flush=True)

    def event(self, kind: str, project, data: dict) -> None:
        if kind == "start":
            self._say(f"{project.label}: started ({data['slots']} core{'s' if data['slots'] > 1 else ''})")
        elif kind == "stage" and data["stage"] in ("parse", "check", "emit"):
            self._say(f"{project.label}: {_stage_text(data['stage'], data['files'])}")
        elif kind == "done":
            r = data["result"]
            for line in r.lines:
                if not (self.quiet_warnings and " warning " in line):
                    print(line, file=self.out)
            self._say(f"{project.label}: {_result_text(r)}")


class LiveView:
    """A live table on a terminal (rich)."""

    def __init__(self, out: TextIO = sys.stdout, quiet_warnings: bool = False):
        from rich.console import Console
        self.console = Console(file=out, highlight=False)
        self.rows: dict = {}                 # project path -> [label, status, files, start, end]
        self.t0 = time.perf_counter()
        self.live = None
        self.quiet_warnings = quiet_warnings

    def __enter__(self) -> "LiveView":
        from rich.live import Live
        self.live = Live(self._table(), console=self.console, auto_refresh=False, transient=True)
        self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def _table(self):
        from rich.table import Table
        now = time.perf_counter()
        done = sum(1 for r in self.rows.values() if r[4] is not None)
        table = Table(title=f"alc build: {done}/{len(self.rows)} projects, {now - self.t0:.0f} s", title_justify="left",
                      expand=False)
        for col, justify in (("project", "left"), ("status", "left"), ("files", "right"), ("elapsed", "right")):
            table.add_column(col, justify=justify)
        active = [r for r in self.rows.values() if r[3] is not None and r[4] is None]
        waiting = [r for r in self.rows.values() if r[3] is None]
        finished = [r for r in self.rows.values() if r[4] is not None]
        shown = active + finished[-max(0, 12 - len(active)):]
        for label, status, files, start, end in shown:
            elapsed = (end or now) - start if start is not None else 0.0
            table.add_row(label, status, str(files or ""), f"{elapsed:.1f} s")
        if waiting:
            table.add_row(f"... {len(waiting)} waiting", "", "", "")
        return table

    def event(self, kind: str, project, data: dict) -> None:
        now = time.perf_counter()
        if kind == "planned":
            self.rows[project.path] = [project.label, "waiting", 0, None, None]
        elif kind == "start":
            self.rows[project.path][1:4] = ["starting", 0, now]
        elif kind == "stage":
            row = self.rows[project.path]
            row[1] = _stage_text(data["stage"], 0)
            row[2] = data["files"] or row[2]
        elif kind == "done":
            r = data["result"]
            row = self.rows.setdefault(project.path, [project.label, "", 0, now, None])
            if row[3] is None:
                row[3] = now
            row[1], row[2], row[4] = ("[green]ok[/]" if r.status == "ok" else f"[red]{r.status}[/]"), r.files, now
            for line in r.lines:
                if not (self.quiet_warnings and " warning " in line):
                    self.console.print(line, markup=False, soft_wrap=True)
            if r.status != "ok":
                self.console.print(f"{project.label}: {r.status}: {r.message}", markup=False)
        if self.live is not None:
            self.live.update(self._table(), refresh=True)


def make_view(out: TextIO = sys.stdout, terminal: Optional[bool] = None, quiet_warnings: bool = False):
    terminal = out.isatty() if terminal is None else terminal
    return LiveView(out, quiet_warnings) if terminal else PlainView(out, quiet_warnings)


def summary_lines(result) -> list[str]:
    """The summary table as plain text (also what the rich table shows)."""
    rows = [("project", "status", "objects", "errors", "warnings", "seconds")]
    for r in result.results:
        rows.append((r.name, r.status, str(r.objects), str(r.errors), str(r.warnings), f"{r.seconds:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) if i < 2 else row[i].rjust(widths[i]) for i in range(6)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    ok = sum(1 for r in result.results if r.status == "ok")
    lines.append(f"{ok} of {len(result.results)} projects built in {result.seconds:.1f} s on {result.jobs} "
                 f"core{'s' if result.jobs > 1 else ''}")
    return lines


def print_summary(result, out: TextIO = sys.stdout, terminal: bool = False) -> None:
    if not terminal:
        for line in summary_lines(result):
            print(line, file=out)
        return
    from rich.console import Console
    from rich.table import Table
    table = Table(title="alc build summary", title_justify="left")
    for col, justify in (("project", "left"), ("status", "left"), ("objects", "right"), ("errors", "right"),
                         ("warnings", "right"), ("seconds", "right")):
        table.add_column(col, justify=justify)
    for r in result.results:
        status = "[green]ok[/]" if r.status == "ok" else f"[red]{r.status}[/]"
        table.add_row(r.name, status, str(r.objects), str(r.errors), str(r.warnings), f"{r.seconds:.1f}")
    console = Console(file=out, highlight=False)
    console.print(table)
    console.print(summary_lines(result)[-1], markup=False)


class CompileProgress:
    """`alc compile` on a terminal: one transient line with the stage, the files and the time,
    redrawn when a stage starts (no refresh thread: the compile forks its workers)."""

    def __init__(self, out: TextIO, name: str):
        from rich.console import Console
        self.console = Console(file=out, highlight=False)
        self.name = name
        self.t0 = time.perf_counter()
        self.files = 0
        self.live = None

    def __enter__(self) -> "CompileProgress":
        from rich.live import Live
        self.live = Live("", console=self.console, auto_refresh=False, transient=True)
        self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def stage(self, stage: str, files: int) -> None:
        self.files = files or self.files
        text = f"alc compile {self.name}: {_stage_text(stage, files)} ({time.perf_counter() - self.t0:.1f} s)"
        if self.live is not None:
            self.live.update(text, refresh=True)

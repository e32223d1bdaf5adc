"""What every benchmark records besides pytest-benchmark's wall-clock rounds.

The machine is shared: other jobs take turns on its two cores, so wall time
varies from run to run. Each benchmark therefore also measures the CPU time
of every round, its own process's plus that of the worker processes it
forked and waited for (``--benchmark-timer time.process_time`` would miss
the compile workers), and ``finish`` stores the median as ``cpu_median_s``
in ``extra_info``, with the load average at the end of the benchmark and
the peak memory measured in a separate process (:mod:`benchmarks.memory`).
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from typing import Callable, Optional

from .memory import peak_memory

__all__ = ["CpuClock", "finish"]


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class CpuClock:
    """Wraps the timed function; ``seconds`` holds the CPU time of each call."""

    def __init__(self) -> None:
        self.seconds: list = []

    def wrap(self, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            start = _cpu_now()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds.append(_cpu_now() - start)
        return timed

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def finish(benchmark, clock: CpuClock, memory: Optional[tuple] = None, **info) -> None:
    """Store ``info``, the median CPU time, the load average and (``memory`` =
    (task, arguments)) the peak memory in the benchmark's ``extra_info``."""
    benchmark.extra_info.update(info)
    benchmark.extra_info["cpu_median_s"] = round(clock.median, 4)
    benchmark.extra_info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    if memory is not None:
        task, arguments = memory
        benchmark.extra_info.update(peak_memory(task, **arguments))

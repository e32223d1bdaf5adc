"""What a compile adds to a package besides metadata and symbols, for the
generated base application's objects (parsed once, outside the timing):
the trans-units of the generated XLIFF file and its bytes, the documented
members, the implicit entitlements, navigation items and layout/add-in file
references (`emit.resources.share_resources`, which every compile worker
runs on its objects), and the XLIFF document.

``objects_per_s`` is objects / median wall seconds; it should stay far above
the parse rate (bench_parse), so that packing never dominates a compile.
"""

from __future__ import annotations

from alc import parse_source
from alc.appmodel import AppManifest, Version
from alc.emit.resources import generated_translation, share_resources
from alc.source import SourceFile

from .measure import CpuClock, finish

ROUNDS = {"1k": 5, "10k": 3, "100k": 1}

_APP = AppManifest("0d3e1f52-7a5c-4c1b-9e8a-6f2b3c4d5e99", "Bench", "alc", Version(1, 0, 0, 0),
                   features=("TranslationFile",))


def _resources(objects: list) -> int:
    shared = share_resources(objects, _APP)
    _, data = generated_translation(_APP, shared.translations)
    return len(data)


def bench_resources_base(benchmark, generated):
    objects = [o for path, text in generated.base_sources
               for o in parse_source(SourceFile(path, text), lazy_bodies=True).objects]
    clock = CpuClock()
    benchmark.group = f"resources {generated.size}"
    size = benchmark.pedantic(clock.wrap(_resources), args=(objects,), rounds=ROUNDS[generated.size], iterations=1)
    assert size > 0
    shared = share_resources(objects, _APP)
    median = benchmark.stats.stats.median
    finish(benchmark, clock, objects=len(objects), xliff_bytes=size,
           trans_units=sum(len(units) for _, units in shared.translations),
           entitlements=len(shared.entitlements), objects_per_s=round(len(objects) / median, 1),
           cpu_objects_per_s=round(len(objects) / clock.median, 1))

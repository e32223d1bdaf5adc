"""benchmarks/report.py: the figures it writes from pytest-benchmark JSON."""

import json

from benchmarks import report


def _bench(name, params, median, **info):
    return {"name": name, "fullname": f"benchmarks/x.py::{name}", "params": params, "group": "",
            "stats": {"median": median, "rounds": 3}, "extra_info": {"cpu_median_s": median, **info}}


def _run(tmp_path, benchmarks):
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"machine_info": {"cpu": {"brand_raw": "Test CPU", "count": 2}, "memory_gb": 8,
                                                 "python_version": "3.11"},
                                "datetime": "2026-11-21T05:00:00", "benchmarks": benchmarks}))
    return str(path)


def test_growth_exponent_and_targets(tmp_path):
    path = _run(tmp_path, [
        _bench("bench_check[1k]", {"generated": "1k"}, 1.0, objects=1_000, graph_peak_rss_mb=100.0,
               peak_rss_mb=50.0),
        _bench("bench_check[10k]", {"generated": "10k"}, 20.0, objects=10_000, graph_peak_rss_mb=500.0,
               peak_rss_mb=80.0),
        _bench("bench_check_10k", {}, 3.0, objects=11_000, load_s=1.0, merge_s=2.0),
        _bench("bench_resolve[1000]", {"count": 1000}, 0.25, apps=1_002),
    ])
    machine, benchmarks = report.load_runs([path])
    text = report.render(machine, benchmarks)
    assert "Test CPU, 2 cores, 8 GB" in text
    # time ∝ size^k: 20 × the time for 10 × the objects is k = 1.30, flagged.
    assert "| check | 1k | 10k | 1,000 → 10,000 | 1.30 **> 1.1** | 1.30 |" in text
    assert "| dependency resolution of 1,000 apps: < 0.5 s | 250.0 ms | met |" in text
    assert "missed by 1.00 s (1.5 × the target)" in text                        # check-10k: 3 s against 2 s
    # Memory: the largest size's whole-graph peak, scaled to 100,000 objects (500 MB × 10 > 4 GB).
    memory = next(line for line in text.splitlines() if line.startswith("| memory of a 100,000-object graph"))
    assert "4.88 GB" in memory and "missed" in memory


def test_readme_markers_are_rewritten(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.BEGIN}\nold\n{report.END}\nrest\n")
    report.rewrite_readme(f"{report.BEGIN}\nnew\n{report.END}", str(readme))
    assert readme.read_text() == f"intro\n{report.BEGIN}\nnew\n{report.END}\nrest\n"


def test_deploy_targets_use_the_largest_server(tmp_path):
    path = _run(tmp_path, [
        _bench("bench_deploy_install[10 tenants]", {"size": "10 tenants"}, 0.2, apps=210),
        _bench("bench_deploy_install[100 tenants]", {"size": "100 tenants"}, 0.6, apps=2100),
        _bench("bench_deploy_install_cold[100 tenants]", {"size": "100 tenants"}, 0.9, apps=2100),
        _bench("bench_deploy_tenant_add[100 tenants]", {"size": "100 tenants"}, 0.1, apps=2100),
    ])
    text = report.render(*report.load_runs([path]))
    install = next(line for line in text.splitlines() if line.startswith("| `alc server install`"))
    assert "600.0 ms (100 tenants;" in install and "as a new process: 900.0 ms" in install
    assert "missed by 100.0 ms (1.2 × the target)" in install
    assert "| a new tenant with the base installed: < 0.3 s | 100.0 ms (100 tenants; CPU 100.0 ms) | met |" in text
    assert "| deploy_install | 10 tenants | 100 tenants | 210 → 2,100 | 0.48 | 0.48 |" in text

"""The `alc` command as a process."""

import subprocess
import sys


def test_the_command_exits_with_mains_code_and_flushed_output(tmp_path):
    """`python -m alc` (and the `alc` script) end with os._exit after flushing."""
    ok = subprocess.run([sys.executable, "-m", "alc", "explain", "ALC0101"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("ALC0101")
    bad = subprocess.run([sys.executable, "-m", "alc", "parse", str(tmp_path / "missing")], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "no such file" in bad.stderr

"""Hostile paths (issue 14, items 3 and 7): outputs are written only over a
regular file or nothing, checked before any work, never leave a temporary
file behind; unreadable folders and files are diagnostics, special files are
refused without being read, file names that are not UTF-8 are handled."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile

import pytest

from alc.cli import main
from alc.output import clean_stale, output_problem, write_atomic, OutputError
from hardkit import ROOT, alc, temp_files, without_dac, write_project


def _lines(text: str) -> list:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def project(tmp_path):
    return write_project(str(tmp_path / "p"))


# ------------------------------------------------------------------ outputs --

def _targets(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo.app"
    os.mkfifo(fifo)
    real = tmp_path / "real.app"
    real.write_bytes(b"keep me")
    link = tmp_path / "link.app"
    link.symlink_to(real)
    plain = tmp_path / "plain"
    plain.write_text("x")
    return {"/dev/null": "a character device", str(folder): "is a folder", str(fifo): "a FIFO",
            str(link): "is a symbolic link", str(tmp_path / "missing" / "x.app"): "its folder does not exist",
            str(plain / "x.app"): "not a directory"}


def test_compile_refuses_an_output_that_is_not_a_regular_file_before_compiling(tmp_path, project, capsys):
    """Exit 2 at once with one line; the sources (one with a syntax error) are never read."""
    with open(os.path.join(project, "Broken.al"), "w") as f:
        f.write("codeunit 50900 Broken { procedure X( }")
    for target, reason in _targets(tmp_path).items():
        code = main(["compile", "--project", project, "--out", target, "-j", "1"])
        out, err = capsys.readouterr()
        lines = _lines(out + err)
        assert code == 2, (target, out, err)
        if reason == "its folder does not exist":   # said by the command line, before the compile starts
            assert lines == [f"alc: error: the folder of --out does not exist: {os.path.dirname(target)}"], lines
            continue
        assert len(lines) == 1 and "ALC0440" in lines[0] and target in lines[0] and reason in lines[0], lines
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.path.islink(tmp_path / "link.app") and (tmp_path / "real.app").read_bytes() == b"keep me"
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo.app").st_mode)


def test_compile_refuses_the_default_output_when_it_is_a_folder(project, capsys):
    os.mkdir(os.path.join(project, "Me_H_1.0.0.0.app"))
    assert main(["compile", "--project", project, "-j", "1"]) == 2
    out, err = capsys.readouterr()
    assert _lines(out + err) == [f"error ALC0440: cannot write `{os.path.join(project, 'Me_H_1.0.0.0.app')}`: "
                                 "is a folder"]


def test_errorlog_that_is_a_link_or_device_is_refused_before_compiling(tmp_path, project, capsys):
    for target in ("/dev/stderr", "/dev/null", str(tmp_path)):
        assert main(["compile", "--project", project, "--errorlog", target, "-j", "1"]) == 2
        out, err = capsys.readouterr()
        assert len(_lines(out + err)) == 1 and f"cannot write `{target}`" in err
    assert not any(n.endswith(".app") for n in os.listdir(project))


def test_a_read_only_output_folder_is_refused_at_once(tmp_path, project):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    os.chmod(tmp_path, 0o755)
    run = alc(["compile", "--project", project, "--out", str(ro / "x.app"), "-j", "1"], prefix=without_dac())
    assert run.code == 2, run
    assert _lines(run.out + run.err) == [f"error ALC0440: cannot write `{ro / 'x.app'}`: its folder is not "
                                         "writable (permission denied)"]
    assert os.listdir(ro) == []


def test_write_atomic_replaces_a_regular_file_and_nothing_else(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["a.bin"]
    with pytest.raises(OutputError, match="is a symbolic link"):
        os.symlink(target, tmp_path / "l")
        write_atomic(str(tmp_path / "l"), b"x")
    assert target.read_bytes() == b"new" and output_problem(str(tmp_path / "new.bin")) is None


_SLOW_WRITE = r"""
import os, sys, time
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = slow_fsync
sys.argv = ["alc"] + sys.argv[1:]
from alc.cli import run
run()
"""


def _writing(args, cwd):
    """An `alc` child that stops inside its write (fsync made slow), once its temporary file exists."""
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITE, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT), text=True)
    assert proc.stdout.readline().strip() == "writing", proc.communicate()
    return proc


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_no_temporary_file_outlives_a_caught_signal(tmp_path, project, signum):
    out = tmp_path / "out"
    out.mkdir()
    proc = _writing(["compile", "--project", project, "--out", str(out / "x.app"), "-j", "1"], project)
    assert len(temp_files(str(out))) == 1  # the write is under way
    proc.send_signal(signum)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert os.listdir(out) == []


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path, project):
    out = tmp_path / "out"
    out.mkdir()
    proc = _writing(["compile", "--project", project, "--out", str(out / "x.app"), "-j", "1"], project)
    proc.kill()
    proc.communicate(timeout=60)
    left = temp_files(str(out))
    assert len(left) == 1 and str(proc.pid) in left[0]
    run = alc(["compile", "--project", project, "--out", str(out / "x.app"), "-j", "1"])
    assert run.code == 0, run
    assert os.listdir(out) == ["x.app"]


def test_clean_stale_leaves_the_files_of_running_writers(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".x.app.{sleeper.pid}.abcd.alc-tmp"
        live.write_bytes(b"")
        other = tmp_path / ".notes.tmp"
        other.write_bytes(b"")
        done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        dead = tmp_path / f".x.app.{done.stdout.strip()}.efgh.alc-tmp"
        dead.write_bytes(b"")
        assert clean_stale(str(tmp_path)) == [dead.name]
        assert sorted(os.listdir(tmp_path)) == sorted([live.name, other.name])
    finally:
        sleeper.kill()
        sleeper.wait()


# -------------------------------------------------------------------- files --

def test_fifo_and_device_sources_are_refused_without_reading(tmp_path, project):
    os.mkfifo(os.path.join(project, "Pipe.al"))
    os.symlink("/dev/zero", os.path.join(project, "Zero.al"))
    for args in (["compile", "--project", project, "--out", str(tmp_path / "x.app"), "-j", "1"],
                 ["parse", project, "-j", "1"]):
        run = alc(args, timeout=60)
        assert run.code == 1, run
        assert "Pipe.al(1,1): error ALC0100: cannot read file: not a regular file (a FIFO)" in run.out
        assert "Zero.al(1,1): error ALC0100: cannot read file: not a regular file (a character device)" in run.out
        assert run.peak_mb < 400
    assert not (tmp_path / "x.app").exists()


def test_inspect_refuses_special_files_without_reading(tmp_path):
    os.mkfifo(tmp_path / "pipe.app")
    for path in ("/dev/zero", str(tmp_path / "pipe.app")):
        run = alc(["inspect", path], timeout=60)
        assert run.code == 2 and "error ALC0420: cannot read package: not a regular file" in run.err, run
        assert run.seconds < 20 and run.peak_mb < 300


def test_special_files_in_the_package_cache_are_not_read(tmp_path, project):
    cache = tmp_path / "cache"
    cache.mkdir()
    os.mkfifo(cache / "pipe.app")
    os.symlink("/dev/zero", cache / "zero.app")
    run = alc(["compile", "--project", project, "--packagecachepath", str(cache), "--out", str(tmp_path / "x.app"),
               "-j", "1"], timeout=60)
    assert run.code == 0, run


def test_unreadable_folders_and_files_are_diagnostics_not_silence(tmp_path):
    project = write_project(str(tmp_path / "p"))
    hidden = os.path.join(project, "Locked")
    os.mkdir(hidden)
    with open(os.path.join(hidden, "Lost.Codeunit.al"), "w") as f:
        f.write("codeunit 50500 Lost { }")
    secret = os.path.join(project, "Secret.Codeunit.al")
    with open(secret, "w") as f:
        f.write("codeunit 50501 Secret { }")
    os.chmod(hidden, 0)
    os.chmod(secret, 0)
    for path in (tmp_path, project):
        os.chmod(path, 0o755)
    try:
        for args in (["compile", "--project", project, "--out", str(tmp_path / "x.app"), "-j", "1"],
                     ["parse", project, "-j", "1"]):
            run = alc(args, cwd=project, prefix=without_dac())
            assert run.code == 1, run
            assert "Locked(1,1): error ALC0100: cannot read folder: permission denied" in run.out, run
            assert "Secret.Codeunit.al(1,1): error ALC0100: cannot read file: permission denied" in run.out, run
    finally:
        os.chmod(hidden, 0o755)
        os.chmod(secret, 0o644)
    assert not (tmp_path / "x.app").exists()


def test_file_names_that_are_not_utf8(tmp_path):
    project = write_project(str(tmp_path / "p"))
    name = os.path.join(os.fsencode(project), b"Caf\xe9.Codeunit.al")
    with open(name, "w") as f:
        f.write("codeunit 50600 Cafe { }")
    parsed = alc(["parse", project, "--stats", "-j", "1"])
    assert parsed.code == 0 and "objects: 3 (codeunit 3)" in parsed.out, parsed
    compiled = alc(["compile", "--project", project, "--out", str(tmp_path / "x.app"), "-j", "1"])
    assert compiled.code == 1, compiled
    assert ("error ALC0100: the file name `Caf\\xe9.Codeunit.al` is not UTF-8; a package cannot hold it: "
            "rename the file") in compiled.out
    assert "internal error" not in compiled.out + compiled.err
    os.unlink(name)
    assert alc(["compile", "--project", project, "--out", str(tmp_path / "x.app"), "-j", "1"]).code == 0
    assert temp_files(str(tmp_path)) == []

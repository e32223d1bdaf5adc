"""Writing output files safely: only over a regular file (or nothing), through
a temporary file in the same folder renamed into place, never leaving the
temporary file behind.

``output_problem`` says, before any work is done, why a path cannot take an
output: its folder is missing, not a folder or not writable, or the path is
something other than a regular file (a folder, a device such as `/dev/null`,
a FIFO, a symbolic link such as `/dev/stderr`). ``write_atomic`` checks the
same again and writes. Its temporary file is named after the output and the
writing process (`.<name>.<pid>.<random>.alc-tmp`): the ``finally`` of the
write removes it on any exception (the command line turns SIGTERM and SIGHUP
into one), and a later write to the same folder removes those of processes
that no longer run (a run killed with SIGKILL).

>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> write_atomic(os.path.join(d, "a.txt"), b"hi")
>>> open(os.path.join(d, "a.txt"), "rb").read(), os.listdir(d)
(b'hi', ['a.txt'])
>>> output_problem(d)
'is a folder'
>>> output_problem("/dev/null")
'is not a regular file (a character device)'
>>> output_problem(os.path.join(d, "missing", "a.txt"))
'its folder does not exist'
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from typing import Optional

__all__ = ["OutputError", "output_problem", "write_atomic", "clean_stale", "TEMP_SUFFIX"]

TEMP_SUFFIX = ".alc-tmp"


class OutputError(Exception):
    """An output that cannot be written; ``str`` is one line naming the path."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"cannot write `{path}`: {problem}")
        self.path = path
        self.problem = problem


_KINDS = ((stat.S_ISDIR, "is a folder"), (stat.S_ISLNK, "is a symbolic link"),
          (stat.S_ISCHR, "is not a regular file (a character device)"),
          (stat.S_ISBLK, "is not a regular file (a block device)"),
          (stat.S_ISFIFO, "is not a regular file (a FIFO)"), (stat.S_ISSOCK, "is not a regular file (a socket)"))


def output_problem(path: str) -> Optional[str]:
    """Why ``path`` cannot take an output, or None. The folder is probed by
    creating (and removing) a temporary file in it, which is the only test
    that holds for root, read-only mounts and ACLs alike."""
    problem = _kind_problem(path)
    if problem:
        return problem
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return "its folder does not exist" if not os.path.lexists(folder) else "its folder is not a folder"
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                     dir=folder)
    except OSError as exc:
        return f"its folder is not writable ({_reason(exc)})"
    os.close(fd)
    os.unlink(probe)
    return None


def _kind_problem(path: str) -> Optional[str]:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _reason(exc)
    if stat.S_ISREG(st.st_mode):
        return None
    return next((text for test, text in _KINDS if test(st.st_mode)), "is not a regular file")


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower() if exc.errno != errno.EACCES else "permission denied"


def clean_stale(folder: str) -> list[str]:
    """Remove the temporary files (``*.alc-tmp``) that processes which no
    longer run left in ``folder``; returns their names. Files of running
    processes (another alc writing now) are left alone."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        pid = _writer_pid(name)
        if pid is None or pid == os.getpid() or _running(pid):
            continue
        try:
            os.unlink(os.path.join(folder, name))
            removed.append(name)
        except OSError:
            pass
    return removed


def _writer_pid(name: str) -> Optional[int]:
    """`.<name>.<pid>.<random>.alc-tmp` -> pid.

    >>> _writer_pid(".x.app.4242.k2j3.alc-tmp"), _writer_pid("x.app"), _writer_pid(".x.app.tmp")
    (4242, None, None)
    """
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    parts = name[:-len(TEMP_SUFFIX)].split(".")
    return int(parts[-2]) if len(parts) >= 3 and parts[-2].isascii() and parts[-2].isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid: leave it
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: bytes, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place;
    OutputError when the path is not a regular file (or absent) or the write
    fails. The temporary file never outlives the call, whatever is raised."""
    problem = output_problem(path)
    if problem:
        raise OutputError(path, problem)
    folder = os.path.dirname(os.path.abspath(path))
    clean_stale(folder)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                   dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if fsync:
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output is an ordinary file
        problem = _kind_problem(path)  # the path may have changed while we wrote
        if problem:
            raise OutputError(path, problem)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass

"""Run a terminal program under a pseudo-terminal and time its first painted frame.

Used by bench.py. The child gets a real terminal (130 x 40 by default), so Textual uses
its normal Linux driver and renders every frame to escape sequences exactly as it would
for a user. The parent reads the terminal's output, strips the escape sequences and
notes the moment a marker text (e.g. the first account's name) has arrived: that is the
first frame showing it. Then it presses Ctrl+Q and waits for the child to exit (TERM,
then KILL, if it does not). With `quit_after`, Ctrl+Q waits until that text has arrived
too (saletui's status line once the whole list is loaded, after its first frame), so the
peak memory below is that of the app with everything loaded, not of its first frame.

Peak memory is the child's VmHWM (/proc/PID/status), sampled every few milliseconds
until it exits; it is a high-water mark, so the last sample is the peak up to then.
`ru_maxrss` from `os.wait4` is kept too but is not the child's own figure: on Linux,
exec records the high-water mark of the address space it replaces, and posix_spawn
(like vfork) runs the exec in the parent's address space, so ru_maxrss is never below
the parent's own peak (a benchmark that has just generated a database: 260 MB).
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass

# CSI ... final byte, OSC ... BEL/ST, DCS/APC/PM ... ST, and two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-~]"
)
CTRL_Q = b"\x11"


@dataclass
class PtyRun:
    first_frame: float | None  # seconds from spawn until the marker was on the terminal
    total: float  # seconds from spawn until the process was reaped
    peak_rss_kb: int  # the child's VmHWM (KiB): its own peak resident set size
    ru_maxrss_kb: int  # from os.wait4; includes the parent's peak, see the module doc
    status: int  # wait status
    killed: bool  # had to be terminated
    tail: str  # last visible output, for error messages

    @property
    def ok(self) -> bool:
        """The marker appeared (the timing is valid)."""
        return self.first_frame is not None

    @property
    def quit_cleanly(self) -> bool:
        """It also quit on the quit keys, with exit code 0."""
        return not self.killed and os.waitstatus_to_exitcode(self.status) == 0


def visible_text(terminal_output: str) -> str:
    """The characters a terminal would print, escape sequences removed."""
    return _ESCAPES.sub("", terminal_output)


def run(
    argv: list[str],
    env: dict[str, str],
    marker: str,
    *,
    cols: int = 130,
    rows: int = 40,
    timeout: float = 60.0,
    quit_timeout: float = 10.0,
    quit_keys: bytes = CTRL_Q,
    spawn_stamp_env: str | None = None,
    quit_after: str | None = None,
) -> PtyRun:
    """Run `argv` (argv[0] an absolute path) on a fresh pseudo-terminal; see the module doc.

    `spawn_stamp_env`: if given, that environment variable tells the child the parent's
    `time.monotonic()` just before the spawn (CLOCK_MONOTONIC is system-wide on Linux).
    """
    master, slave = os.openpty()  # both close-on-exec; the child gets dup2'ed copies
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        actions = [(os.POSIX_SPAWN_DUP2, slave, fd) for fd in (0, 1, 2)]
        if spawn_stamp_env:
            env = {**env, spawn_stamp_env: repr(time.monotonic())}
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)
    except BaseException:
        os.close(master)
        os.close(slave)
        raise
    os.close(slave)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    raw = ""
    first_frame: float | None = None
    quit_sent_at: float | None = None
    killed = False
    reaped: tuple[int, int, object] | None = None
    peak_kb = 0
    status_file = f"/proc/{pid}/status"
    try:
        while reaped is None:
            now = time.perf_counter()
            if quit_sent_at is None and now - start > timeout:
                quit_sent_at = quit_sent_at or now
                killed = True
                _signal(pid, signal.SIGKILL)
            elif quit_sent_at is not None and now - quit_sent_at > quit_timeout and not killed:
                killed = True
                _signal(pid, signal.SIGTERM)
                time.sleep(0.5)
                _signal(pid, signal.SIGKILL)
            ready, _, _ = select.select([master], [], [], 0.005)
            if ready:
                try:
                    data = os.read(master, 1 << 16)
                except OSError:  # EIO: the child closed the terminal
                    data = b""
                if data:
                    raw += decoder.decode(data)
                    if first_frame is None and marker in visible_text(raw):
                        first_frame = time.perf_counter() - start
                    if (
                        first_frame is not None
                        and quit_sent_at is None
                        and (quit_after is None or quit_after in visible_text(raw[-20_000:]))
                    ):
                        os.write(master, quit_keys)
                        quit_sent_at = time.perf_counter()
                    if len(raw) > 4_000_000:  # keep memory bounded after the first frame
                        raw = raw[-200_000:]
                    continue
            peak_kb = max(peak_kb, _vm_hwm_kb(status_file))
            pid_done, status, usage = os.wait4(pid, os.WNOHANG)
            if pid_done:
                reaped = (status, usage.ru_maxrss, time.perf_counter() - start)
    finally:
        if reaped is None:  # interrupted: never leave the child behind
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(master)
    status, max_rss, total = reaped
    tail = visible_text(raw)[-600:]
    return PtyRun(first_frame, total, peak_kb, int(max_rss), status, killed, tail)


def _vm_hwm_kb(status_file: str) -> int:
    """VmHWM of a live process in KiB; 0 once it has exited (a zombie has no memory)."""
    try:
        with open(status_file, "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)  # the child leads its own session and process group

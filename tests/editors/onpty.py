#!/usr/bin/env python3
"""tests/editors/onpty.py ROWS COLS TIMEOUT CMD...: run CMD on a pseudo-terminal
of ROWS x COLS (TERM=xterm), discard what it draws, exit with its status
(124 after TIMEOUT seconds). Vim redraws for real only on a terminal, so the
scroll benchmark runs it here rather than under -es."""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main():
    rows, cols, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    cmd = sys.argv[4:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['TERM'] = 'xterm'
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    end = time.monotonic() + timeout
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            print('pty.py: %s timed out after %gs' % (cmd[0], timeout), file=sys.stderr)
            sys.exit(124)
        try:
            if not os.read(fd, 65536):
                break
        except OSError:  # EIO: the child closed the terminal
            break
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


main()

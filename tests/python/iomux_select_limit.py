"""CPython oracle for the iomux lesson: where select() stops accepting fds, and what it says.

Prints one JSON object: the exception type and message select.select() raises for an fd past
FD_SETSIZE, the highest fd it accepts and the first it refuses, and whether poll and epoll take
the same fd.
"""
import json
import os
import resource
import select
import socket


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 1100
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    a, b = socket.socketpair()
    out = {}

    def accepted(fd):
        try:
            select.select([fd], [], [], 0)
            return True
        except ValueError as e:
            out["type"] = type(e).__name__
            out["message"] = str(e)
            return False

    fds = {n: os.dup2(a.fileno(), n) for n in (1023, 1024, 1030)}
    out["accepts_1023"] = accepted(fds[1023])
    out["accepts_1024"] = accepted(fds[1024])
    out["accepts_1030"] = accepted(fds[1030])

    p = select.poll()
    p.register(fds[1030], select.POLLIN)
    p.poll(0)
    out["poll_accepts_1030"] = True
    ep = select.epoll()
    ep.register(fds[1030], select.EPOLLIN)
    ep.poll(0)
    out["epoll_accepts_1030"] = True
    ep.close()
    for fd in fds.values():
        os.close(fd)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

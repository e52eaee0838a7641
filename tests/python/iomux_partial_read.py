"""CPython oracle for the iomux lesson: one round of the echo server with partial reads.

Usage: iomux_partial_read.py MESSAGE_BYTES READ_CHUNK ACTIVE IDLE_TIMEOUT_S

`ACTIVE` clients each write MESSAGE_BYTES; the server waits with select.epoll, edge-triggered
(EPOLLET) and level-triggered, reads READ_CHUNK bytes per reported fd and echoes them, until all
bytes are echoed or a wait reports nothing within IDLE_TIMEOUT_S (the same loop as the engine's
server). Then every client closes its end and the server runs the snippet's loop until nothing is
registered (or a wait reports nothing): recv, echo (BrokenPipeError if the client left with bytes
unread), unregister and close on b'' or a broken pipe. Prints JSON {"et": {...}, "lt": {...}} with
the waits, the idle waits, the fds reported per wait, the echo bytes each client got, how many
clients stalled, and what the hang-up did: fds closed, broken pipes, fds left open.
"""
import json
import select
import socket
import sys


def one_round(edge, message_bytes, chunk, active, idle):
    pairs = [socket.socketpair() for _ in range(active)]
    ep = select.epoll()
    by_fd = {}
    for server_end, client_end in pairs:
        server_end.setblocking(False)
        client_end.setblocking(False)
        ep.register(server_end.fileno(), select.EPOLLIN | (select.EPOLLET if edge else 0))
        by_fd[server_end.fileno()] = server_end
    for _, client_end in pairs:
        client_end.send(b"m" * message_bytes)

    expected = message_bytes * active
    echoed = waits = idle_waits = reported = 0
    while echoed < expected:
        events = ep.poll(idle)
        waits += 1
        if not events:
            idle_waits += 1
            break
        reported += len(events)
        for fd, _ in events:
            conn = by_fd[fd]
            data = conn.recv(chunk)
            conn.send(data)
            echoed += len(data)

    echo_bytes = []
    unread = []
    for server_end, client_end in pairs:
        try:
            echo_bytes.append(len(client_end.recv(message_bytes)))
        except BlockingIOError:
            echo_bytes.append(0)
        try:
            unread.append(len(server_end.recv(65536, socket.MSG_PEEK)))
        except BlockingIOError:
            unread.append(0)

    # hang_up(): every client leaves; the server closes what reports it.
    for _, client_end in pairs:
        client_end.close()
    closed = broken_pipes = 0
    while by_fd:
        events = ep.poll(idle)
        if not events:
            break
        for fd, _ in events:
            conn = by_fd[fd]
            data = conn.recv(chunk)
            if data:
                try:
                    conn.send(data)
                    continue
                except BrokenPipeError:
                    broken_pipes += 1
            ep.unregister(fd)
            conn.close()
            del by_fd[fd]
            closed += 1
    left_open = len(by_fd)
    for conn in by_fd.values():
        conn.close()
    ep.close()
    return {
        "waits": waits,
        "idle_waits": idle_waits,
        "ready_per_wait": reported / waits,
        "echo_bytes": echo_bytes,
        "left_unread": unread,
        "stalled": sum(1 for n in echo_bytes if n < message_bytes),
        "closed_on_hangup": closed,
        "broken_pipes": broken_pipes,
        "left_open": left_open,
    }


def main():
    message_bytes, chunk, active = (int(x) for x in sys.argv[1:4])
    idle = float(sys.argv[4])
    print(json.dumps({
        "et": one_round(True, message_bytes, chunk, active, idle),
        "lt": one_round(False, message_bytes, chunk, active, idle),
    }))


if __name__ == "__main__":
    main()

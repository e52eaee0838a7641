#include "lockstep/io/BlockingFd.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/engine/RunContext.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace lockstep {

bool waitFd(RunContext& ctx, int fd, short events, int timeoutMs)
{
    for (;;) {
        pollfd fds[2] = { { fd, events, 0 }, { ctx.cancelFd(), POLLIN, 0 } };
        const int rc = ::poll(fds, 2, timeoutMs);
        ctx.throwIfCancelled();
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        if (rc == 0) return false;
        if (fds[0].revents != 0) return true;
    }
}

std::size_t readSome(RunContext& ctx, int fd, void* buf, std::size_t size)
{
    for (;;) {
        ctx.throwIfCancelled();
        const ssize_t n = ::read(fd, buf, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            waitFd(ctx, fd, POLLIN);
        else if (errno != EINTR)
            throw std::runtime_error(std::string("read: ") + std::strerror(errno));
    }
}

namespace {

// send() with MSG_NOSIGNAL on a socket, write() on anything else: a pipe has no such flag, and
// lockstep and lockstep-cli ignore SIGPIPE from the start, as CPython does, so it is EPIPE there.
ssize_t writeNoSignal(int fd, const void* p, std::size_t size, bool& socket)
{
    if (socket) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n >= 0 || errno != ENOTSOCK) return n;
        socket = false;
    }
    return ::write(fd, p, size);
}

} // namespace

void writeAll(RunContext& ctx, int fd, const void* buf, std::size_t size)
{
    const char* p = static_cast<const char*>(buf);
    bool socket = true;
    while (size > 0) {
        ctx.throwIfCancelled();
        const ssize_t n = writeNoSignal(fd, p, size, socket);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                waitFd(ctx, fd, POLLOUT);
            else if (errno == EPIPE || errno == ECONNRESET)
                throw PyError(errno == EPIPE ? "BrokenPipeError" : "ConnectionResetError",
                    std::string("[Errno ") + std::to_string(errno) + "] " + std::strerror(errno));
            else if (errno != EINTR)
                throw std::runtime_error(std::string("write: ") + std::strerror(errno));
            continue;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void setNonBlocking(int fd)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

} // namespace lockstep

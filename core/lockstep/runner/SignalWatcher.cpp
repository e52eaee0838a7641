#include "lockstep/runner/SignalWatcher.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace lockstep {

namespace {
sigset_t terminationSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}
} // namespace

void SignalWatcher::blockTerminationSignals()
{
    const sigset_t set = terminationSignals();
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void(int)> onFirst) : m_onFirst(std::move(onFirst))
{
    // Blocking here too keeps the watcher correct if main() forgot; threads started before this
    // point would still take the signal's default action, which is why main() should block first.
    blockTerminationSignals();
    const sigset_t set = terminationSignals();
    m_signalFd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    m_stopFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_signalFd < 0 || m_stopFd < 0) {
        const int err = errno;
        if (m_signalFd >= 0) ::close(m_signalFd);
        if (m_stopFd >= 0) ::close(m_stopFd);
        throw std::runtime_error(std::string("signalfd/eventfd: ") + std::strerror(err));
    }
    m_thread = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_stopFd, &one, sizeof one);
    if (m_thread.joinable()) m_thread.join();
    ::close(m_signalFd);
    ::close(m_stopFd);
}

void SignalWatcher::watch()
{
    for (;;) {
        pollfd fds[2] = { { m_signalFd, POLLIN, 0 }, { m_stopFd, POLLIN, 0 } };
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents != 0) return;
        signalfd_siginfo info {};
        while (::read(m_signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
            const int signo = static_cast<int>(info.ssi_signo);
            int expected = 0;
            if (m_first.compare_exchange_strong(expected, signo, std::memory_order_acq_rel)) {
                if (m_onFirst) m_onFirst(signo);
            } else {
                // The user insists: leave without joining or writing anything.
                ::_exit(exitCode(expected));
            }
        }
    }
}

} // namespace lockstep

#pragma once

#include <vector>

namespace lockstep {

class RunContext;

// Connected AF_UNIX stream socket pairs, both ends non-blocking and close-on-exec. The server ends
// keep the lowest free fd numbers (so that select can watch them); every client end is moved to
// clientBase or above with fcntl(F_DUPFD) right after it is created, so the two ranges never mix.
// With a RunContext every fd is tracked by the run, which closes them when the run ends (on every
// path, cancel included); without one the set closes them itself.
class ConnectionSet {
public:
    explicit ConnectionSet(RunContext* ctx = nullptr);
    ~ConnectionSet();
    ConnectionSet(const ConnectionSet&) = delete;
    ConnectionSet& operator=(const ConnectionSet&) = delete;

    // Opens `count` more connections. Throws std::system_error (what was opened stays owned).
    void open(int count, int clientBase);

    [[nodiscard]] int size() const { return static_cast<int>(m_server.size()); }
    [[nodiscard]] int serverFd(int i) const { return m_server[static_cast<std::size_t>(i)]; }
    [[nodiscard]] int clientFd(int i) const { return m_client[static_cast<std::size_t>(i)]; }
    [[nodiscard]] int highestServerFd() const;

private:
    RunContext* m_ctx = nullptr;
    std::vector<int> m_server;
    std::vector<int> m_client;
};

} // namespace lockstep

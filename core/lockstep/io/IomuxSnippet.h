#pragma once

#include <cstdint>

namespace lockstep {

// Lines of the Python snippet in lessons/iomux.json that the engine's events point at. Keep in step
// with the snippet (tests/lessons/test_iomux.cpp checks them against the lesson file).
struct IomuxSnippet {
    static constexpr std::int32_t kRegister = 7;     // sel.register(server_end, selectors.EVENT_READ)
    static constexpr std::int32_t kRecv = 10;        // data = conn.recv(CHUNK)
    static constexpr std::int32_t kSend = 13;        // conn.send(data)
    static constexpr std::int32_t kBrokenPipe = 15;  // except BrokenPipeError:
    static constexpr std::int32_t kUnregister = 17;  // sel.unregister(conn)
    static constexpr std::int32_t kClose = 18;       // conn.close()
    static constexpr std::int32_t kClientSend = 22;  // c.send(msg)
    static constexpr std::int32_t kClientRecv = 24;  // c.recv(len(msg))
    static constexpr std::int32_t kClientClose = 28; // client_end.close()
    static constexpr std::int32_t kSelect = 31;      // events = sel.select(timeout=IDLE)
    static constexpr std::int32_t kScan = 32;        // for key, mask in events:
};

} // namespace lockstep

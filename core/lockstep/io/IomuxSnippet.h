#pragma once

#include <cstdint>

namespace lockstep {

// Lines of the Python snippet in lessons/iomux.json that the engine's events point at. Keep in step
// with the snippet (tests/lessons/test_iomux.cpp checks them against the lesson file).
struct IomuxSnippet {
    static constexpr std::int32_t kRegister = 7;     // sel.register(server_end, selectors.EVENT_READ)
    static constexpr std::int32_t kRecv = 10;        // data = conn.recv(CHUNK)
    static constexpr std::int32_t kSend = 11;        // conn.send(data)
    static constexpr std::int32_t kClientSend = 15;  // c.send(msg)
    static constexpr std::int32_t kClientRecv = 17;  // c.recv(len(msg))
    static constexpr std::int32_t kSelect = 20;      // events = sel.select(timeout=IDLE)
    static constexpr std::int32_t kScan = 21;        // for key, mask in events:
};

} // namespace lockstep

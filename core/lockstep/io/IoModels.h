#pragma once
// The five Unix I/O models (Stevens, UNIX Network Programming, 6.2) on a real loopback TCP
// connection: a client thread sends one message after `delay_ms`; a receiver thread gets it with
// one model, and each receive has the two phases the course notes draw: waiting for the data to
// arrive, then copying it from the kernel to the process.
//
//   blocking       recv() blocks through both phases (the thread sleeps in the kernel)
//   non-blocking   recv(MSG_DONTWAIT) in a loop: every EAGAIN is a system call, and the thread burns
//                  CPU while it waits
//   multiplexing   select() blocks until the socket is readable, then recv() copies
//   signal-driven  F_SETOWN_EX + O_ASYNC: the kernel sends SIGIO to the thread when data arrives
//                  (taken with sigtimedwait, SIGIO blocked), then recv() copies
//   asynchronous   io_uring (liburing): one read is submitted at once, and its completion arrives
//                  with the data already copied; the thread is free meanwhile
//
// What each model cost is measured, not assumed: the system calls it made, EAGAINs, its thread's CPU
// time, how long it waited (from starting to receive until the data was ready, or until the
// completion came) and how long the copy took (the recv() that moved the bytes; io_uring copies in
// the kernel before the completion is posted, so there the copy is part of the completion).

#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/ConfigReader.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lockstep {

enum class IoModel { Blocking, NonBlocking, Multiplexing, SignalDriven, Asynchronous };
[[nodiscard]] const char* ioModelName(IoModel m); // "blocking", "non-blocking", ...

struct IoModelsConfig {
    std::vector<IoModel> models; // run one after another, each on a fresh connection
    int delayMs = 200; // the client sends after this long
    int bytes = 16 * 1024; // the message

    // Throws InputError located with `where`. model: one of the names above, or "all".
    static IoModelsConfig parse(const nlohmann::json& config, const ConfigReader::Where& where);
};

class IoModelsProgram {
public:
    IoModelsProgram(RunContext& ctx, IoModelsConfig config);
    // Runs every model in turn (each receiver and its client are engine threads) and fills the
    // summary: `models` [{model, syscalls, eagain, cpu_ms, wait_ms, copy_us, thread_blocked,
    // bytes, available, reason}].
    void run(nlohmann::json& summary);

private:
    RunContext& m_ctx;
    IoModelsConfig m_cfg;
};

} // namespace lockstep

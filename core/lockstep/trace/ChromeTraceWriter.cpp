#include "lockstep/trace/ChromeTraceWriter.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace lockstep {

namespace {

constexpr int kExecutorPid = 1;
constexpr int kResourcePid = 2;

int pidOf(const ActorInfo& a) { return isExecutor(a.kind) ? kExecutorPid : kResourcePid; }

std::string quoted(std::string_view s) { return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// Microseconds with ns precision, as Chrome's format allows fractional ts.
std::string micros(std::int64_t ns)
{
    const std::int64_t whole = ns / 1000;
    const std::int64_t frac = ns % 1000;
    std::string s = std::to_string(whole);
    if (frac) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(frac));
        s += buf;
    }
    return s;
}

class Emitter {
public:
    explicit Emitter(std::ostream& out) : m_out(out) {}
    std::ostream& next()
    {
        m_out << (m_first ? "\n" : ",\n");
        m_first = false;
        return m_out;
    }

private:
    std::ostream& m_out;
    bool m_first = true;
};

} // namespace

void ChromeTraceWriter::write(const Trace& trace, std::ostream& out, const nlohmann::json& metadata)
{
    out << "{\"displayTimeUnit\":\"ns\",\"otherData\":" << (metadata.is_object() ? metadata.dump() : "{}")
        << ",\"traceEvents\":[";
    Emitter em(out);
    const std::string title = metadata.is_object() && metadata.contains("lesson") && metadata["lesson"].is_string()
                                  ? "Lockstep: " + metadata["lesson"].get<std::string>()
                                  : std::string("Lockstep");
    em.next() << R"({"ph":"M","name":"process_name","pid":1,"tid":0,"args":{"name":)" << quoted(title) << "}}";
    em.next() << R"({"ph":"M","name":"process_name","pid":2,"tid":0,"args":{"name":"resources"}})";
    for (const auto& a : trace.actors()) {
        const int tid = static_cast<int>(a.id.value) + 1;
        em.next() << R"({"ph":"M","name":"thread_name","pid":)" << pidOf(a) << ",\"tid\":" << tid
                  << ",\"args\":{\"name\":" << quoted(a.name) << "}}";
        em.next() << R"({"ph":"M","name":"thread_sort_index","pid":)" << pidOf(a) << ",\"tid\":" << tid
                  << ",\"args\":{\"sort_index\":" << tid << "}}";
    }

    // State spans as complete events.
    for (const auto& a : trace.actors()) {
        const auto& spans = trace.spans(a.id);
        const int tid = static_cast<int>(a.id.value) + 1;
        for (std::size_t i = 0; i < spans.size(); ++i) {
            const auto& s = spans[i];
            if (s.state == State::Terminated || s.state == State::GenClosed) continue;
            const std::int64_t end = trace.spanEnd(a.id, i);
            auto& o = em.next();
            o << R"({"ph":"X","cat":"state","name":)" << quoted(stateName(s.state)) << ",\"pid\":" << pidOf(a)
              << ",\"tid\":" << tid << ",\"ts\":" << micros(s.start) << ",\"dur\":" << micros(end - s.start);
            if (s.target.valid()) o << ",\"args\":{\"on\":" << quoted(trace.actorName(s.target)) << "}";
            o << "}";
        }
    }

    // Other events as instants, plus counters.
    std::int64_t gilSwitches = 0;
    ActorId lastHolder;
    for (const Event& e : trace.events()) {
        if (e.kind == EventKind::StateChange || e.kind == EventKind::ActorCreated) continue;
        const ActorInfo* a = trace.actor(e.actor);
        const int pid = a ? pidOf(*a) : kExecutorPid;
        const int tid = e.actor.valid() ? static_cast<int>(e.actor.value) + 1 : 0;
        if (e.kind == EventKind::LineReached) continue; // one per bytecode-ish step: too dense for instants
        auto& o = em.next();
        o << R"({"ph":"i","s":"t","cat":"event","name":)" << quoted(eventKindName(e.kind)) << ",\"pid\":" << pid
          << ",\"tid\":" << tid << ",\"ts\":" << micros(e.ts) << ",\"args\":{\"value\":" << e.value;
        if (e.target.valid()) o << ",\"target\":" << quoted(trace.actorName(e.target));
        if (e.text.valid() && !trace.text(e.text).empty()) o << ",\"text\":" << quoted(trace.text(e.text));
        if (e.line) o << ",\"line\":" << e.line;
        o << "}}";
        if (e.kind == EventKind::GilTaken) {
            if (lastHolder.valid() && lastHolder != e.actor) ++gilSwitches;
            lastHolder = e.actor;
            em.next() << R"({"ph":"C","name":"gil_switches","pid":1,"tid":0,"ts":)" << micros(e.ts)
                      << ",\"args\":{\"switches\":" << gilSwitches << "}}";
        } else if (e.kind == EventKind::MuxWaitEnd) {
            em.next() << R"({"ph":"C","name":"ready_fds","pid":1,"tid":0,"ts":)" << micros(e.ts)
                      << ",\"args\":{\"ready\":" << e.value << "}}";
        } else if (e.kind == EventKind::Counter) {
            em.next() << R"({"ph":"C","name":)" << quoted(trace.text(e.text)) << R"(,"pid":1,"tid":0,"ts":)"
                      << micros(e.ts) << ",\"args\":{\"value\":" << e.value << "}}";
        }
    }
    out << "\n]}\n";
}

bool ChromeTraceWriter::writeFile(const Trace& trace, const std::string& path, const nlohmann::json& metadata,
                                  std::string* error)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        if (error) *error = path + ": cannot write: " + std::strerror(errno);
        return false;
    }
    write(trace, out, metadata);
    out.flush();
    if (!out) {
        if (error) *error = path + ": write failed: " + std::strerror(errno);
        return false;
    }
    return true;
}

} // namespace lockstep

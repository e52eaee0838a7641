#include "views/ServersModel.h"

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

ServersModel::Server* ServersModel::server(const Trace& trace, ActorId id)
{
    for (Server& s : m_servers)
        if (s.id == id) return &s;
    const ActorInfo* info = trace.actor(id);
    if (!info || info->name.rfind("server (", 0) != 0 || info->name.back() != ')') return nullptr;
    Server s;
    s.id = id;
    s.design = info->name.substr(8, info->name.size() - 9);
    m_servers.push_back(std::move(s));
    return &m_servers.back();
}

void ServersModel::apply(const Trace& trace, const Event& e)
{
    if (e.kind != EventKind::Counter) return;
    const std::string_view name = trace.text(e);
    if (name == "latency_us") {
        // A client's request: it belongs to the server running now, the last one that started.
        if (m_servers.empty()) return;
        Server& s = m_servers.back();
        s.latencyUs.push_back(e.value);
        if (s.firstTs < 0) s.firstTs = e.ts;
        s.lastTs = e.ts;
        return;
    }
    Server* s = server(trace, e.actor);
    if (!s) return;
    if (name == "rss_kb") {
        if (s->startRssKb < 0) s->startRssKb = e.value;
        s->peakRssKb = std::max(s->peakRssKb, e.value);
        return;
    }
    const int v = static_cast<int>(e.value);
    if (name == "threads") {
        s->threads = v;
        s->maxThreads = std::max(s->maxThreads, v);
    } else if (name == "processes") {
        s->processes = v;
        s->maxProcesses = std::max(s->maxProcesses, v);
    } else if (name == "fds") {
        s->fds = v;
        s->maxFds = std::max(s->maxFds, v);
    }
}

double ServersModel::percentileMs(const Server& s, double q)
{
    if (s.latencyUs.empty()) return 0;
    std::vector<std::int64_t> v = s.latencyUs;
    const auto i = std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
    return static_cast<double>(v[i]) / 1000.0;
}

} // namespace lockstep::ui

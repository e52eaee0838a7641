#include "views/IoModelsModel.h"

namespace lockstep::ui {

IoModelsModel::Receiver* IoModelsModel::receiver(const Trace& trace, ActorId id)
{
    for (Receiver& r : m_receivers)
        if (r.id == id) return &r;
    const ActorInfo* info = trace.actor(id);
    // "recv (blocking)": the lane of one model's receiver.
    if (!info || info->kind != ActorKind::Thread || info->name.rfind("recv (", 0) != 0 || info->name.back() != ')')
        return nullptr;
    Receiver r;
    r.id = id;
    r.model = info->name.substr(6, info->name.size() - 7);
    m_receivers.push_back(r);
    return &m_receivers.back();
}

void IoModelsModel::apply(const Trace& trace, const Event& e)
{
    Receiver* r = nullptr;
    switch (e.kind) {
    case EventKind::StateChange:
        if ((r = receiver(trace, e.actor))) r->state = e.state;
        break;
    case EventKind::Mark: {
        if (!(r = receiver(trace, e.actor))) break;
        const std::string_view text = trace.text(e);
        if (text == "waiting for data") {
            r->phase = Phase::Waiting;
            r->startTs = e.ts;
        } else if (text == "data ready") {
            r->readyTs = e.ts;
            // io_uring's completion comes with the copy done: nothing more happens after it.
            if (r->phase != Phase::Done) r->phase = Phase::Copying;
        } else if (text == "copying") {
            r->phase = Phase::Copying;
            r->copyTs = e.ts;
        } else if (text.rfind("copied ", 0) == 0 || text.rfind("completion: ", 0) == 0) {
            r->phase = Phase::Done;
            r->doneTs = e.ts;
            if (r->readyTs < 0) r->readyTs = e.ts;
        } else if (text.rfind("io_uring is not permitted", 0) == 0) {
            r->unavailable = std::string(text);
            r->phase = Phase::Done;
        }
        break;
    }
    case EventKind::Counter: {
        if (!(r = receiver(trace, e.actor))) break;
        const std::string_view name = trace.text(e);
        if (name == "syscalls") r->syscalls = e.value;
        else if (name == "eagain") r->eagain = e.value;
        else if (name == "cpu_us") r->cpuUs = e.value;
        else if (name == "wait_us") r->waitUs = e.value;
        else if (name == "copy_ns") r->copyNs = e.value;
        else if (name == "other_work") r->otherWork = e.value;
        else if (name == "copied_by_kernel") r->copiedByKernel = e.value != 0;
        else if (name == "thread_blocked") r->threadBlocked = e.value != 0;
        break;
    }
    default:
        break;
    }
}

} // namespace lockstep::ui

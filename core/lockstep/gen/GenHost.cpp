#include "lockstep/gen/GenHost.h"

#include "lockstep/engine/RunContext.h"

#include <algorithm>
#include <utility>

namespace lockstep::gen {

GenHost::GenHost(RunContext* ctx, ActorId caller) : m_ctx(ctx), m_caller(caller) {}

void GenHost::setSnippet(std::string_view python)
{
    m_defLines.clear();
    int line = 1;
    for (std::size_t pos = 0; pos <= python.size(); ++line) {
        const std::size_t end = std::min(python.find('\n', pos), python.size());
        const std::string_view text = python.substr(pos, end - pos);
        if (text.starts_with("def ")) {
            const std::size_t paren = text.find('(');
            if (paren != std::string_view::npos) m_defLines.emplace(std::string(text.substr(4, paren - 4)), line);
        }
        pos = end + 1;
    }
}

int GenHost::defLine(std::string_view function) const
{
    const auto it = m_defLines.find(function);
    return it == m_defLines.end() ? 0 : it->second;
}

ActorId GenHost::addCoroutine(const std::string& name, ActorId parent)
{
    if (!m_ctx) return {};
    return m_ctx->addActor(ActorKind::Coroutine, name, parent);
}

void GenHost::passGate() { m_ctx->gate().pass(m_caller); }

void GenHost::record(EventKind kind, ActorId actor, ActorId target, std::string_view text, int line)
{
    if (!m_ctx) return;
    if (text.empty()) m_ctx->recorder().record(kind, actor, target, 0, {}, line);
    else m_ctx->recorder().recordText(kind, actor, text, target, 0, line);
}

void GenHost::setState(ActorId actor, State state, ActorId target, int line)
{
    if (m_ctx && actor.valid()) m_ctx->setState(actor, state, target, false, line);
}

void GenHost::reach(ActorId actor, int line)
{
    if (m_ctx && line > 0) m_ctx->recorder().record(EventKind::LineReached, actor, {}, 0, {}, line);
}

void GenHost::print(ActorId actor, std::string_view text, int line)
{
    reach(actor, line);
    record(EventKind::Say, actor, {}, text, line);
    for (std::size_t pos = 0;;) {
        const std::size_t end = text.find('\n', pos);
        m_output.emplace_back(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
}

std::vector<std::string> GenHost::takeOutput() { return std::exchange(m_output, {}); }

} // namespace lockstep::gen

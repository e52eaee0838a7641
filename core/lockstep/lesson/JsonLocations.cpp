#include "lockstep/lesson/JsonLocations.h"

#include "lockstep/lesson/JsonPath.h"

#include <charconv>

namespace lockstep {

std::size_t JsonLocations::addRoot(Position value)
{
    m_nodes.clear();
    m_members.clear();
    m_elements.clear();
    m_nodes.push_back({value, {0, 0}});
    return 0;
}

std::size_t JsonLocations::addMember(std::size_t parent, const std::string& key, Position keyAt)
{
    m_nodes.push_back({{0, 0}, keyAt});
    const std::size_t node = m_nodes.size() - 1;
    m_members.emplace(std::make_pair(parent, key), node);
    return node;
}

std::size_t JsonLocations::addElement(std::size_t parent, std::size_t index)
{
    m_nodes.push_back({{0, 0}, {0, 0}});
    const std::size_t node = m_nodes.size() - 1;
    m_elements.emplace(std::make_pair(parent, index), node);
    return node;
}

std::size_t JsonLocations::resolve(const std::string& pointer) const
{
    if (m_nodes.empty()) return kNone;
    std::size_t node = 0;
    if (pointer.empty()) return node;
    for (const std::string& token : JsonPath::segments(pointer)) {
        // A member of that name first; otherwise an array index.
        if (const auto it = m_members.find(std::make_pair(node, token)); it != m_members.end()) {
            node = it->second;
            continue;
        }
        std::size_t index = 0;
        const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
        if (ec != std::errc() || end != token.data() + token.size()) return kNone;
        const auto it = m_elements.find(std::make_pair(node, index));
        if (it == m_elements.end()) return kNone;
        node = it->second;
    }
    return node;
}

const JsonLocations::Position* JsonLocations::find(const std::string& pointer) const
{
    const std::size_t node = resolve(pointer);
    if (node == kNone || m_nodes[node].value.first == 0) return nullptr;
    return &m_nodes[node].value;
}

const JsonLocations::Position* JsonLocations::findKey(const std::string& pointer) const
{
    const std::size_t node = resolve(pointer);
    if (node == kNone || m_nodes[node].key.first == 0) return nullptr;
    return &m_nodes[node].key;
}

} // namespace lockstep

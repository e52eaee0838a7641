#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lockstep {

// Where every value of a parsed JSON text sits (and, for object members, where its key sits), as
// a tree of nodes: one small record per value plus each member's key once. Looked up by RFC 6901
// JSON pointer, which is walked, never stored: storing the pointer text of every value costs
// key length x number of values (a 200,000-character key above 20,000 values took 3.9 GB).
// Lines and columns are 1-based.
class JsonLocations {
public:
    using Position = std::pair<int, int>;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    std::size_t addRoot(Position value);
    std::size_t addMember(std::size_t parent, const std::string& key, Position keyAt);
    std::size_t addElement(std::size_t parent, std::size_t index);
    void setValue(std::size_t node, Position at) { m_nodes[node].value = at; }

    // Position of the value at `pointer`, or nullptr when there is none.
    [[nodiscard]] const Position* find(const std::string& pointer) const;
    // Position of the key of the member at `pointer`, or nullptr (not a member, or unknown).
    [[nodiscard]] const Position* findKey(const std::string& pointer) const;
    [[nodiscard]] std::size_t size() const { return m_nodes.size(); }

private:
    struct Node {
        Position value{0, 0};
        Position key{0, 0}; // (0, 0) for array elements and the root
    };
    [[nodiscard]] std::size_t resolve(const std::string& pointer) const;

    std::vector<Node> m_nodes;
    std::map<std::pair<std::size_t, std::string>, std::size_t, std::less<>> m_members;
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> m_elements;
};

} // namespace lockstep

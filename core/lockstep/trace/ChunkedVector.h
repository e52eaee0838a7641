#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace lockstep {

// An append-only sequence stored in fixed-size chunks that are shared, never moved, between the
// writer and any number of immutable snapshots. Taking a snapshot copies chunk pointers only, so a
// live view of a million events costs a few hundred pointer copies per frame, not a million events.
// Readers only ever read elements below their snapshot's size; the writer only writes above it.
template <typename T, std::size_t ChunkBits = 14>
class ChunkedView {
public:
    static constexpr std::size_t kChunkSize = std::size_t{1} << ChunkBits;
    using Chunk = std::array<T, kChunkSize>;

    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        const_iterator(const ChunkedView* view, std::size_t index) : m_view(view), m_index(index) {}
        reference operator*() const { return (*m_view)[m_index]; }
        pointer operator->() const { return &(*m_view)[m_index]; }
        reference operator[](difference_type n) const { return (*m_view)[m_index + n]; }
        const_iterator& operator++() { ++m_index; return *this; }
        const_iterator operator++(int) { auto t = *this; ++m_index; return t; }
        const_iterator& operator--() { --m_index; return *this; }
        const_iterator operator--(int) { auto t = *this; --m_index; return t; }
        const_iterator& operator+=(difference_type n) { m_index += n; return *this; }
        const_iterator& operator-=(difference_type n) { m_index -= n; return *this; }
        friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
        friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
        friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const_iterator a, const_iterator b)
        {
            return static_cast<difference_type>(a.m_index) - static_cast<difference_type>(b.m_index);
        }
        friend bool operator==(const_iterator a, const_iterator b) { return a.m_index == b.m_index; }
        friend auto operator<=>(const_iterator a, const_iterator b) { return a.m_index <=> b.m_index; }
        [[nodiscard]] std::size_t index() const { return m_index; }

    private:
        const ChunkedView* m_view = nullptr;
        std::size_t m_index = 0;
    };

    ChunkedView() = default;

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    const T& operator[](std::size_t i) const
    {
        assert(i < m_size);
        return (*m_chunks[i >> ChunkBits])[i & (kChunkSize - 1)];
    }
    const T& front() const { return (*this)[0]; }
    const T& back() const { return (*this)[m_size - 1]; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }

protected:
    std::vector<std::shared_ptr<Chunk>> m_chunks;
    std::size_t m_size = 0;
};

template <typename T, std::size_t ChunkBits = 14>
class ChunkedVector : public ChunkedView<T, ChunkBits> {
    using Base = ChunkedView<T, ChunkBits>;

public:
    void push_back(const T& value)
    {
        const std::size_t slot = this->m_size & (Base::kChunkSize - 1);
        if (slot == 0) this->m_chunks.push_back(std::make_shared<typename Base::Chunk>());
        (*this->m_chunks.back())[slot] = value;
        ++this->m_size;
    }
    // An immutable view of everything appended so far.
    [[nodiscard]] Base view() const { return static_cast<const Base&>(*this); }
};

} // namespace lockstep

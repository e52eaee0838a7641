#pragma once

#include "lockstep/trace/IndexIterator.h"

#include <bit>
#include <cassert>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace lockstep {

template <typename T, std::size_t ChunkBits = 14, std::size_t FirstBits = 3> class ChunkedVector;

// An append-only sequence stored in chunks that are shared, never moved, between the writer and
// any number of immutable snapshots. Chunks grow geometrically from 2^FirstBits elements up to
// 2^ChunkBits, then stay at that size: an actor with three events costs a few hundred bytes, not a
// full chunk, and a long sequence still has few chunks. Readers only ever read elements below
// their snapshot's size; the writer only writes above it.
//
// The chunk list itself is shared too: a snapshot copies one pointer and a size. Once a list has
// been handed to a snapshot the writer never touches it again; the next chunk it adds goes into a
// fresh copy of the list (a few dozen pointers), so readers never see it change under them.
template <typename T, std::size_t ChunkBits = 14, std::size_t FirstBits = 3> class ChunkedView {
    static_assert(FirstBits <= ChunkBits);

public:
    static constexpr std::size_t kChunkSize = std::size_t { 1 } << ChunkBits; // the largest chunk
    static constexpr std::size_t kFirstChunk = std::size_t { 1 } << FirstBits;

    using const_iterator = IndexIterator<ChunkedView, T>;

    ChunkedView() = default;

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    const T& operator[](std::size_t i) const
    {
        assert(i < m_size);
        const auto [chunk, offset] = locate(i);
        return m_list->chunks[chunk][offset];
    }
    const T& front() const { return (*this)[0]; }
    const T& back() const { return (*this)[m_size - 1]; }
    const_iterator begin() const { return { this, 0 }; }
    const_iterator end() const { return { this, m_size }; }

    // True when both views read the same chunk storage (a later snapshot of the same sequence
    // shares every chunk the earlier one saw; this compares the first chunk).
    [[nodiscard]] bool sharesStorageWith(const ChunkedView& other) const
    {
        return m_list && other.m_list && !m_list->chunks.empty() && !other.m_list->chunks.empty()
            && m_list->chunks.front() == other.m_list->chunks.front();
    }

    // Elements chunk `k` holds.
    static constexpr std::size_t chunkCapacity(std::size_t k)
    {
        return k <= ChunkBits - FirstBits ? kFirstChunk << k : kChunkSize;
    }

private:
    template <typename, std::size_t, std::size_t> friend class ChunkedVector;

    struct List {
        std::vector<std::shared_ptr<T[]>> chunks;
    };

    // Chunk k < kGrowing holds 2^(FirstBits+k) elements and starts at 2^FirstBits * (2^k - 1);
    // every later chunk holds kChunkSize.
    static constexpr std::size_t kGrowing = ChunkBits - FirstBits + 1;
    static constexpr std::size_t kGrowingTotal = (kChunkSize << 1) - kFirstChunk;

    static std::pair<std::size_t, std::size_t> locate(std::size_t i)
    {
        if (i < kGrowingTotal) {
            const std::size_t shifted = i + kFirstChunk;
            const std::size_t bits = static_cast<std::size_t>(std::bit_width(shifted)) - 1;
            return { bits - FirstBits, shifted - (std::size_t { 1 } << bits) };
        }
        const std::size_t j = i - kGrowingTotal;
        return { kGrowing + (j >> ChunkBits), j & (kChunkSize - 1) };
    }

    std::shared_ptr<const List> m_list;
    std::size_t m_size = 0;
};

template <typename T, std::size_t ChunkBits, std::size_t FirstBits> class ChunkedVector {
    using View = ChunkedView<T, ChunkBits, FirstBits>;

    using List = typename View::List;

public:
    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    const T& back() const { return m_tail[m_size - m_tailStart - 1]; }

    void push_back(const T& value)
    {
        if (m_size == m_capacity) addChunk();
        m_tail[m_size - m_tailStart] = value;
        ++m_size;
    }

    // An immutable view of everything appended so far. Shares the chunks and the chunk list.
    [[nodiscard]] View view() const
    {
        View v;
        if (m_list) {
            m_shared = true;
            v.m_list = m_list;
        }
        v.m_size = m_size;
        return v;
    }

    // Bytes of element storage allocated (grows with the elements, never a fixed reservation).
    [[nodiscard]] std::size_t chunkBytes() const { return m_capacity * sizeof(T); }

private:
    void addChunk()
    {
        if (!m_list)
            m_list = std::make_shared<List>();
        else if (m_shared)
            m_list = std::make_shared<List>(*m_list); // snapshots keep the old list
        m_shared = false;
        const std::size_t n = View::chunkCapacity(m_list->chunks.size());
        m_list->chunks.push_back(std::make_shared<T[]>(n));
        m_tail = m_list->chunks.back().get();
        m_tailStart = m_capacity;
        m_capacity += n;
    }

    std::shared_ptr<List> m_list;
    mutable bool m_shared = false; // m_list has been handed to a view: copy before changing it
    T* m_tail = nullptr;
    std::size_t m_tailStart = 0;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
};

} // namespace lockstep

#pragma once

#include <cstddef>
#include <iterator>

namespace lockstep {

// A random-access const iterator over any container that answers operator[](std::size_t) with a
// const T&: a position and the container, so that chunked storage (ChunkedView, the timeline's
// HoldList) works with the standard algorithms (lower_bound, upper_bound) like a vector.
template <typename Container, typename T> class IndexIterator {
public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    IndexIterator() = default;
    IndexIterator(const Container* container, std::size_t index) : m_container(container), m_index(index) { }
    reference operator*() const { return (*m_container)[m_index]; }
    pointer operator->() const { return &(*m_container)[m_index]; }
    reference operator[](difference_type n) const { return (*m_container)[m_index + n]; }
    IndexIterator& operator++()
    {
        ++m_index;
        return *this;
    }
    IndexIterator operator++(int)
    {
        auto t = *this;
        ++m_index;
        return t;
    }
    IndexIterator& operator--()
    {
        --m_index;
        return *this;
    }
    IndexIterator operator--(int)
    {
        auto t = *this;
        --m_index;
        return t;
    }
    IndexIterator& operator+=(difference_type n)
    {
        m_index += n;
        return *this;
    }
    IndexIterator& operator-=(difference_type n)
    {
        m_index -= n;
        return *this;
    }
    friend IndexIterator operator+(IndexIterator it, difference_type n) { return it += n; }
    friend IndexIterator operator+(difference_type n, IndexIterator it) { return it += n; }
    friend IndexIterator operator-(IndexIterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(IndexIterator a, IndexIterator b)
    {
        return static_cast<difference_type>(a.m_index) - static_cast<difference_type>(b.m_index);
    }
    friend bool operator==(IndexIterator a, IndexIterator b) { return a.m_index == b.m_index; }
    friend auto operator<=>(IndexIterator a, IndexIterator b) { return a.m_index <=> b.m_index; }
    [[nodiscard]] std::size_t index() const { return m_index; }

private:
    const Container* m_container = nullptr;
    std::size_t m_index = 0;
};

} // namespace lockstep

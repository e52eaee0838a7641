// The three multiplexers on their own, over real socket pairs: what sel.unregister() means to each.

#include "lockstep/io/Multiplexer.h"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <vector>

using namespace lockstep;

namespace {

struct Pairs {
    std::vector<std::array<int, 2>> fds;
    explicit Pairs(int n)
    {
        for (int i = 0; i < n; ++i) {
            std::array<int, 2> sv{-1, -1};
            EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv.data()), 0);
            fds.push_back(sv);
        }
    }
    ~Pairs()
    {
        for (const auto& sv : fds)
            for (const int fd : sv)
                if (fd >= 0) ::close(fd);
    }
    Pairs(const Pairs&) = delete;
    Pairs& operator=(const Pairs&) = delete;
    void write(int i) { ASSERT_EQ(::write(fds[static_cast<std::size_t>(i)][1], "x", 1), 1); }
    void hangUp(int i)
    {
        ::close(fds[static_cast<std::size_t>(i)][1]);
        fds[static_cast<std::size_t>(i)][1] = -1;
    }
    [[nodiscard]] int server(int i) const { return fds[static_cast<std::size_t>(i)][0]; }
};

class MultiplexerKinds : public ::testing::TestWithParam<MuxKind> {};

} // namespace

TEST_P(MultiplexerKinds, RemovedFdsAreNeitherReportedNorHandedIn)
{
    Pairs pairs(6);
    auto mux = makeMultiplexer(GetParam(), -1);
    for (int i = 0; i < 6; ++i) mux->add(pairs.server(i));
    for (int i = 0; i < 6; ++i) pairs.write(i);
    // Remove from the middle, the front and the back (poll moves the last entry into the hole).
    mux->remove(pairs.server(2));
    mux->remove(pairs.server(0));
    mux->remove(pairs.server(5));
    mux->remove(pairs.server(5)); // twice: ignored
    EXPECT_EQ(mux->size(), 3u);
    EXPECT_EQ(mux->handedPerWait(), GetParam() == MuxKind::Select || GetParam() == MuxKind::Poll ? 3 : 0);
    std::vector<int> ready;
    const MuxWaitResult r = mux->wait(1000, ready);
    std::sort(ready.begin(), ready.end());
    EXPECT_EQ(ready, (std::vector<int>{pairs.server(1), pairs.server(3), pairs.server(4)}));
    EXPECT_EQ(r.ready, 3);
    // Added again after a removal, an fd is watched again.
    mux->add(pairs.server(2));
    EXPECT_EQ(mux->size(), 4u);
    (void)mux->wait(1000, ready);
    EXPECT_NE(std::find(ready.begin(), ready.end(), pairs.server(2)), ready.end());
}

TEST_P(MultiplexerKinds, AHangUpIsReportedAsReadableWithNothingToRead)
{
    Pairs pairs(3);
    auto mux = makeMultiplexer(GetParam(), -1);
    for (int i = 0; i < 3; ++i) mux->add(pairs.server(i));
    pairs.hangUp(1);
    std::vector<int> ready;
    const MuxWaitResult r = mux->wait(1000, ready);
    ASSERT_EQ(ready, std::vector<int>{pairs.server(1)});
    EXPECT_EQ(r.ready, 1);
    char c = 0;
    EXPECT_EQ(::read(pairs.server(1), &c, 1), 0); // b'': end of file
}

INSTANTIATE_TEST_SUITE_P(Every, MultiplexerKinds,
                         ::testing::Values(MuxKind::Select, MuxKind::Poll, MuxKind::EpollLT, MuxKind::EpollET),
                         [](const ::testing::TestParamInfo<MuxKind>& info) {
                             std::string name(muxKindName(info.param));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

#include "lockstep/scenarios/IomuxScenario.h"

#include "lockstep/engine/ThreadScope.h"
#include "lockstep/io/ConnectionSet.h"
#include "lockstep/io/EchoClients.h"
#include "lockstep/io/EchoServer.h"
#include "lockstep/io/FdBoard.h"
#include "lockstep/io/FdBudget.h"
#include "lockstep/io/IomuxConfig.h"
#include "lockstep/io/RoundChannel.h"
#include "lockstep/io/SelectMultiplexer.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace lockstep {

namespace {

IomuxConfig parseConfig(const ScenarioInput& in)
{
    return IomuxConfig::parse(in.config, [&](const std::string& pointer) { return in.where(pointer); });
}

// The key an fd-count problem is reported at: the sweep if there is one, else fds.
std::string countKey(const IomuxConfig& c) { return c.swept() ? "sweep" : "fds"; }

void checkBudget(const ScenarioInput& in, const IomuxConfig& c, const FdBudget& budget)
{
    if (!budget.fits()) throw InputError(in.where("/" + countKey(c)) + ": " + countKey(c) + ": " + budget.shortfall());
}

double round1(double v) { return std::round(v * 10) / 10; }

// Runs `body` as an engine thread body; any failure ends the whole run at once, so that the other
// thread is not left waiting for a partner that is gone.
template <typename F>
std::function<void()> failFast(RunContext& ctx, F body)
{
    return [&ctx, body = std::move(body)] {
        try {
            body();
        } catch (const Cancelled&) {
            throw;
        } catch (...) {
            ctx.cancel(RunOutcome::Failed);
            throw;
        }
    };
}

class IomuxScenario final : public Scenario {
public:
    void validate(const ScenarioInput& in) const override
    {
        const IomuxConfig c = parseConfig(in);
        checkBudget(in, c, FdBudget(c.maxPoint()));
    }

    void run(RunContext& ctx, const ScenarioInput& in, nlohmann::json& summary) override
    {
        const IomuxConfig c = parseConfig(in);
        const int connections = c.maxPoint();
        // Everything is checked before the first fd is opened.
        FdBudget budget(connections);
        checkBudget(in, c, budget);
        const std::uint64_t softBefore = budget.softLimit();
        const bool raised = budget.raiseSoftLimit();
        if (raised) ctx.restoreFdSoftLimitOnRelease(softBefore);
        if (c.mux == MuxKind::Select) SelectMultiplexer::checkFd(ctx.cancelFd());

        ConnectionSet conns(&ctx);
        conns.open(connections, budget.clientBase());
        if (c.mux == MuxKind::Select) {
            // Refuse before any FD_SET could touch memory outside the fd_set (CPython's check too).
            for (int i = 0; i < conns.size(); ++i) {
                if (conns.serverFd(i) >= SelectMultiplexer::kSetSize)
                    throw InputError(in.where("/" + countKey(c)) + ": " + countKey(c) + ": " +
                                     SelectMultiplexer::outOfRangeMessage(conns.serverFd(i)));
            }
        }
        FdBoard board(ctx, conns);
        RoundChannel channel(ctx);
        std::vector<EchoPoint> points;
        for (const int n : c.points) {
            EchoPoint p;
            p.fds = n;
            p.active = std::min(c.active, n);
            points.push_back(p);
        }

        EchoServer server(ctx, c, conns, board, channel, points);
        EchoClients clients(ctx, c, conns, board, channel, points, in.seed);
        ThreadScope threads(ctx);
        // The client driver starts first so that the server knows whom it waits for.
        const ActorId clientsId = ctx.spawn("clients", failFast(ctx, [&] {
            clients.run([&] { return server.actor(); });
        }));
        ctx.spawn("server", failFast(ctx, [&, clientsId] { server.run(clientsId); }));
        ctx.joinAll();

        nlohmann::json results = nlohmann::json::array();
        int mismatched = 0;
        for (const auto& p : points) {
            const WaitStats& s = p.stats;
            results.push_back({
                {"mux", std::string(muxKindName(c.mux))},
                {"fds", p.fds},
                {"active", p.active},
                {"rounds", p.rounds},
                {"waits", s.waits()},
                {"idle_waits", s.idleWaits()},
                {"ns_per_wait", round1(s.medianNs())},
                {"ns_p10", round1(s.percentileNs(0.1))},
                {"ns_p90", round1(s.percentileNs(0.9))},
                {"handed_per_wait", round1(s.handedPerWait())},
                {"ready_per_wait", std::round(s.readyPerWait() * 100) / 100},
                {"scanned_per_wait", std::round(s.scannedPerWait() * 100) / 100},
                {"stalled", p.stalled},
            });
            mismatched += p.mismatched;
        }
        summary["mux"] = std::string(muxKindName(c.mux));
        summary["partial_read"] = c.partialRead;
        summary["message_bytes"] = c.messageBytes;
        if (c.partialRead) summary["read_chunk"] = c.readChunk;
        summary["results"] = results;
        summary["stalled_fds"] = clients.stalledFds().size();
        summary["stalled"] = clients.stalledFds();
        summary["echo_mismatches"] = mismatched;
        // hang_up(): the server closed every connection it heard hang up.
        summary["closed_on_hangup"] = server.closedOnHangUp();
        summary["left_open"] = server.leftOpen();
        nlohmann::json notes = nlohmann::json::array();
        if (!c.skipped.empty()) {
            std::string list;
            for (const int n : c.skipped) list += (list.empty() ? "" : ", ") + std::to_string(n);
            notes.push_back("select: skipped the sweep points " + list + ": more than " +
                            std::to_string(IomuxConfig::kSelectMaxConnections) +
                            " connections put fds past FD_SETSIZE (1024) (filedescriptor out of range in select())");
            summary["skipped"] = c.skipped;
        }
        for (const auto& p : points) {
            if (p.active < c.active) {
                notes.push_back("at " + std::to_string(p.fds) + " connections only " + std::to_string(p.active) +
                                " clients can be active (active = " + std::to_string(c.active) + ")");
            }
        }
        if (raised) {
            notes.push_back("raised the open-file soft limit (RLIMIT_NOFILE) from " + std::to_string(softBefore) +
                            " to " + std::to_string(budget.softLimit()) + " for " + std::to_string(connections) +
                            " connections");
        }
        summary["notes"] = notes;
        summary["client_fd_base"] = budget.clientBase();
        summary["server_fd_range"] = {conns.size() ? conns.serverFd(0) : -1, conns.highestServerFd()};
    }
};

} // namespace

std::unique_ptr<Scenario> makeIomuxScenario() { return std::make_unique<IomuxScenario>(); }

} // namespace lockstep

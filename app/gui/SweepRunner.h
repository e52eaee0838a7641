#pragma once

#include "lockstep/runner/LessonRunner.h"

#include <nlohmann/json.hpp>

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace lockstep::ui {

// Runs several variants of a lesson one after another, unthrottled and off the GUI thread, to
// compare their numbers side by side. Each finished run's summary is handed back on the GUI thread.
class SweepRunner : public QObject {
    Q_OBJECT
public:
    explicit SweepRunner(QObject* parent = nullptr);
    ~SweepRunner() override; // cancels and waits

    // Queues one run per request. Returns false if a sweep is already going.
    bool start(std::vector<RunRequest> requests);
    void cancel();
    [[nodiscard]] bool running() const { return m_running; }

Q_SIGNALS:
    void progress(int done, int total, const QString& variant);
    void runFinished(const nlohmann::json& summary);
    void runFailed(const QString& variant, const QString& error);
    void finished(bool cancelled);

private:
    void runAll(std::vector<RunRequest> requests);

    QThreadPool m_pool;
    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    std::mutex m_mutex;                          // guards m_current
    std::shared_ptr<LessonRunner> m_current;
};

} // namespace lockstep::ui

#include "gui/SweepRunner.h"

#include <exception>

namespace lockstep::ui {

SweepRunner::SweepRunner(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

SweepRunner::~SweepRunner()
{
    cancel();
    m_pool.waitForDone();
}

bool SweepRunner::start(std::vector<RunRequest> requests)
{
    if (m_running || requests.empty()) return false;
    m_running = true;
    m_cancel = false;
    m_pool.start([this, requests = std::move(requests)]() mutable { runAll(std::move(requests)); });
    return true;
}

void SweepRunner::cancel()
{
    m_cancel = true;
    std::lock_guard lock(m_mutex);
    if (m_current) m_current->cancel();
}

void SweepRunner::runAll(std::vector<RunRequest> requests)
{
    const int total = static_cast<int>(requests.size());
    int done = 0;
    for (RunRequest& request : requests) {
        if (m_cancel) break;
        const QString variant = QString::fromStdString(request.variant);
        QMetaObject::invokeMethod(this, [this, done, total, variant] { Q_EMIT progress(done, total, variant); },
                                  Qt::QueuedConnection);
        try {
            auto runner = std::make_shared<LessonRunner>(std::move(request));
            {
                std::lock_guard lock(m_mutex);
                m_current = runner;
                if (m_cancel) break;
            }
            runner->start();
            RunResult result = runner->wait();
            {
                std::lock_guard lock(m_mutex);
                m_current.reset();
            }
            if (!m_cancel) {
                QMetaObject::invokeMethod(
                    this, [this, summary = std::move(result.summary)] { Q_EMIT runFinished(summary); },
                    Qt::QueuedConnection);
            }
        } catch (const std::exception& e) {
            const QString error = QString::fromStdString(e.what());
            QMetaObject::invokeMethod(this, [this, variant, error] { Q_EMIT runFailed(variant, error); },
                                      Qt::QueuedConnection);
        }
        ++done;
    }
    {
        std::lock_guard lock(m_mutex);
        m_current.reset();
    }
    const bool cancelled = m_cancel;
    QMetaObject::invokeMethod(this, [this, done, total, cancelled] {
        m_running = false;
        Q_EMIT progress(done, total, QString());
        Q_EMIT finished(cancelled);
    }, Qt::QueuedConnection);
}

} // namespace lockstep::ui

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EngineText</name>
    <message>
        <source>every thread is waiting and none can wake another</source>
        <translation>每个线程都在等待，没有谁能唤醒别人</translation>
    </message>
    <message>
        <source>time limit reached</source>
        <translation>到达时间上限</translation>
    </message>
    <message>
        <source>back off and retry</source>
        <translation>退让后重试</translation>
    </message>
    <message>
        <source>%1 waits for %2, held by %3: one holder at a time</source>
        <translation>%1 在等待被 %3 持有的 %2：同一时间只能有一个持有者</translation>
    </message>
    <message>
        <source>no thread waits for a held lock</source>
        <translation>没有线程在等待已被持有的锁</translation>
    </message>
    <message>
        <source>%1 holds %2 while it waits for %3 (with a timeout)</source>
        <translation>%1 持有 %2，同时等待 %3（带超时）</translation>
    </message>
    <message>
        <source>%1 holds %2 while it waits for %3</source>
        <translation>%1 持有 %2，同时等待 %3</translation>
    </message>
    <message>
        <source>no thread waits while holding a lock</source>
        <translation>没有线程在持有锁的同时等待</translation>
    </message>
    <message>
        <source>only %1 can release %2: nobody can take it away</source>
        <translation>只有 %1 能释放 %2：没有人能把它夺走</translation>
    </message>
    <message>
        <source>%1 gave %2 back after a failed timed acquire of %3 (trylock): no preemption broken</source>
        <translation>%1 带超时获取 %3 失败后交还了 %2（尝试加锁）：不可抢占被打破</translation>
    </message>
    <message>
        <source>%1: every thread in the cycle waits for the next, without a timeout</source>
        <translation>%1：环中每个线程都在不带超时地等待下一个</translation>
    </message>
    <message>
        <source>%1 no longer waits for %2: the cycle is broken</source>
        <translation>%1 不再等待 %2：环被打破</translation>
    </message>
    <message>
        <source>calibrating the countdown loop to CPython&apos;s pace</source>
        <translation>把倒数循环校准到 CPython 的速度</translation>
    </message>
    <message>
        <source>machine busy: %1 of %2 cores were free, this mode needs %3: what it shows here is not what a quiet machine shows</source>
        <translation>机器忙：%2 个核心中只有 %1 个空闲，这个模式需要 %3 个：这里显示的不是空闲机器上的样子</translation>
    </message>
    <message>
        <source>one turn of `while n &gt; 0: n -= 1` now costs %1 ns (target %2 ns)</source>
        <translation>`while n &gt; 0: n -= 1` 每转一圈现在花 %1 纳秒（目标 %2 纳秒）</translation>
    </message>
    <message>
        <source>client of fd %1 got %2 of %3 echo bytes: the server was not told about the rest</source>
        <translation>fd %1 的客户端只收到 %3 个回显字节中的 %2 个：剩下的没有通知服务器</translation>
    </message>
    <message>
        <source>%1: watching %2 fds (registered once with epoll_ctl)</source>
        <translation>%1：监视 %2 个 fd（用 epoll_ctl 只注册一次）</translation>
    </message>
    <message>
        <source>%1: watching %2 fds (handed in on every call)</source>
        <translation>%1：监视 %2 个 fd（每次调用都重新传入）</translation>
    </message>
    <message>
        <source>%1 watched fds never reported their hang-up: the run closes them</source>
        <translation>%1 个被监视的 fd 始终没有报告挂断：由本次运行关闭它们</translation>
    </message>
    <message>
        <source>BrokenPipeError: the client of fd %1 left before its echo</source>
        <translation>BrokenPipeError：fd %1 的客户端在收到回显之前就走了</translation>
    </message>
</context>
<context>
    <name>MarkerStyle</name>
    <message>
        <source>notify</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>GIL drop request</source>
        <translation>GIL 释放请求</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>deadlock</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>停滞</translation>
    </message>
    <message>
        <source>fork</source>
        <translation>fork</translation>
    </message>
    <message>
        <source>exit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>reap</source>
        <translation>回收</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>mark</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>generator</source>
        <translation>生成器</translation>
    </message>
</context>
<context>
    <name>Metrics</name>
    <message>
        <source>Wall time (ms)</source>
        <translation>墙钟时间（毫秒）</translation>
    </message>
    <message>
        <source>Events recorded</source>
        <translation>记录的事件数</translation>
    </message>
    <message>
        <source>GIL switches</source>
        <translation>GIL 切换次数</translation>
    </message>
    <message>
        <source>GIL switches per second</source>
        <translation>每秒 GIL 切换次数</translation>
    </message>
    <message>
        <source>Switch interval (ms)</source>
        <translation>切换间隔（毫秒）</translation>
    </message>
    <message>
        <source>I/O latency, median (ms)</source>
        <translation>I/O 延迟中位数（毫秒）</translation>
    </message>
    <message>
        <source>I/O latency, 99th percentile (ms)</source>
        <translation>I/O 延迟 99 分位（毫秒）</translation>
    </message>
    <message>
        <source>Deadlock detected after (ms)</source>
        <translation>检测到死锁用时（毫秒）</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <source>Meals eaten</source>
        <translation>吃饭次数</translation>
    </message>
    <message>
        <source>Waits</source>
        <translation>等待次数</translation>
    </message>
    <message>
        <source>Notifies</source>
        <translation>通知次数</translation>
    </message>
    <message>
        <source>Lost updates</source>
        <translation>丢失的更新</translation>
    </message>
    <message>
        <source>Final counter</source>
        <translation>计数器最终值</translation>
    </message>
    <message>
        <source>ns per wait against fds</source>
        <translation>每次等待耗时（纳秒）与 fd 数</translation>
    </message>
    <message>
        <source>fds scanned per wait against fds</source>
        <translation>每次等待扫描的 fd 数与 fd 数</translation>
    </message>
    <message>
        <source>Ready fds per wait against fds</source>
        <translation>每次等待就绪的 fd 数与 fd 数</translation>
    </message>
    <message>
        <source>Waits against fds</source>
        <translation>等待次数与 fd 数</translation>
    </message>
    <message>
        <source>Time per thread, latest run (ms)</source>
        <translation>各线程时间，最近一次运行（毫秒）</translation>
    </message>
    <message>
        <source>Stalled fds</source>
        <translation>停滞的 fd</translation>
    </message>
    <message>
        <source>Throughput (requests/s)</source>
        <translation>吞吐量（请求/秒）</translation>
    </message>
    <message>
        <source>Latency, p50 and p99 (ms)</source>
        <translation>延迟，p50 与 p99（毫秒）</translation>
    </message>
    <message>
        <source>Peak threads, processes and fds</source>
        <translation>线程、进程和 fd 的峰值</translation>
    </message>
    <message>
        <source>Peak memory (kB)</source>
        <translation>内存峰值（kB）</translation>
    </message>
    <message>
        <source>Memory added while serving (kB)</source>
        <translation>服务期间新增的内存（kB）</translation>
    </message>
    <message>
        <source>Requests served</source>
        <translation>已处理的请求</translation>
    </message>
    <message>
        <source>Slow client&apos;s request (ms)</source>
        <translation>慢客户端的请求（毫秒）</translation>
    </message>
    <message>
        <source>System calls</source>
        <translation>系统调用</translation>
    </message>
    <message>
        <source>EAGAIN returns</source>
        <translation>EAGAIN 次数</translation>
    </message>
    <message>
        <source>CPU time (ms)</source>
        <translation>CPU 时间（毫秒）</translation>
    </message>
    <message>
        <source>Waiting for the data (ms)</source>
        <translation>等待数据（毫秒）</translation>
    </message>
    <message>
        <source>Copying the data (µs)</source>
        <translation>复制数据（微秒）</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>processes</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>fds</source>
        <translation>fd</translation>
    </message>
    <message>
        <source>Race</source>
        <translation>竞速</translation>
    </message>
    <message>
        <source>I/O models</source>
        <translation>I/O 模型</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>阻塞</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>sleeping</source>
        <translation>睡眠</translation>
    </message>
    <message>
        <source>zombie</source>
        <translation>僵尸</translation>
    </message>
    <message>
        <source>done</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>blocked on I/O</source>
        <translation>阻塞于 I/O</translation>
    </message>
    <message>
        <source>terminated</source>
        <translation>已终止</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>suspended</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>held</source>
        <translation>被持有</translation>
    </message>
    <message>
        <source>readable</source>
        <translation>可读</translation>
    </message>
    <message>
        <source>writable</source>
        <translation>可写</translation>
    </message>
    <message>
        <source>hung up</source>
        <translation>已挂断</translation>
    </message>
</context>
<context>
    <name>ProcessTreePainter</name>
    <message>
        <source>No process has been forked yet.</source>
        <translation>还没有 fork 出任何进程。</translation>
    </message>
    <message>
        <source>in the process table: %1 · zombies: %2</source>
        <translation>进程表中：%1 · 僵尸：%2</translation>
    </message>
    <message>
        <source>STAT as ps shows it: R running or runnable · S sleeping · D uninterruptible · Z zombie (exited, not yet reaped)</source>
        <translation>STAT 与 ps 显示的一致：R 运行或可运行 · S 睡眠 · D 不可中断 · Z 僵尸（已退出，尚未回收）</translation>
    </message>
    <message>
        <source>waitpid</source>
        <translation>waitpid</translation>
    </message>
    <message>
        <source>PID %1</source>
        <translation>PID %1</translation>
    </message>
    <message>
        <source>PPID %1</source>
        <translation>PPID %1</translation>
    </message>
    <message>
        <source>reaped by %1, exit status %2</source>
        <translation>已被 %1 回收，退出状态 %2</translation>
    </message>
    <message>
        <source>exit status %1, not reaped yet</source>
        <translation>退出状态 %1，尚未回收</translation>
    </message>
    <message>
        <source>orphan, adopted by %1</source>
        <translation>孤儿，已被 %1 收养</translation>
    </message>
    <message>
        <source>child subreaper: adopts orphans</source>
        <translation>child subreaper：收养孤儿</translation>
    </message>
    <message>
        <source>reads+writes</source>
        <translation>读+写</translation>
    </message>
    <message>
        <source>writes</source>
        <translation>写</translation>
    </message>
    <message>
        <source>reads</source>
        <translation>读</translation>
    </message>
    <message>
        <source>pipe (kernel buffer)</source>
        <translation>管道（内核缓冲区）</translation>
    </message>
    <message>
        <source>shared memory (MAP_SHARED)</source>
        <translation>共享内存（MAP_SHARED）</translation>
    </message>
    <message>
        <source>semaphore (shared counter)</source>
        <translation>信号量（共享计数器）</translation>
    </message>
    <message>
        <source>%1 blocked on it · </source>
        <translation>%1 个阻塞在这里 · </translation>
    </message>
    <message>
        <source>%1 of %2 KiB in the pipe</source>
        <translation>管道里有 %1 / %2 KiB</translation>
    </message>
    <message>
        <source>%1 KiB in the pipe</source>
        <translation>管道里有 %1 KiB</translation>
    </message>
    <message>
        <source>count %1 of %2 · %3 waiting in acquire()</source>
        <translation>计数 %1 / %2 · %3 个在 acquire() 里等待</translation>
    </message>
    <message>
        <source>value = %1</source>
        <translation>值 = %1</translation>
    </message>
    <message>
        <source>buffer in the putting process</source>
        <translation>放数据进程里的缓冲区</translation>
    </message>
    <message>
        <source>%1 items for the feeder thread</source>
        <translation>%1 个数据等待 feeder 线程</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Paused (step mode)</source>
        <translation>已暂停（单步模式）</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Replaying</source>
        <translation>回放中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>deadlocked</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>停滞</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>stopped at a limit</source>
        <translation>已达上限而停止</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>TimelineExporter</name>
    <message>
        <source>%1: the image is too large to allocate</source>
        <translation>%1：图像太大，无法分配内存</translation>
    </message>
    <message>
        <source>cannot start the SVG painter</source>
        <translation>无法启动 SVG 绘制器</translation>
    </message>
</context>
<context>
    <name>TimelineRenderer</name>
    <message>
        <source>thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>coroutine</source>
        <translation>协程</translation>
    </message>
    <message>
        <source>lock</source>
        <translation>锁</translation>
    </message>
    <message>
        <source>rlock</source>
        <translation>可重入锁</translation>
    </message>
    <message>
        <source>condition</source>
        <translation>条件变量</translation>
    </message>
    <message>
        <source>semaphore</source>
        <translation>信号量</translation>
    </message>
    <message>
        <source>event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>fd</source>
        <translation>fd</translation>
    </message>
    <message>
        <source>GIL</source>
        <translation>GIL</translation>
    </message>
    <message>
        <source>multiplexer</source>
        <translation>多路复用器</translation>
    </message>
    <message>
        <source>pipe</source>
        <translation>管道</translation>
    </message>
    <message>
        <source>shared memory</source>
        <translation>共享内存</translation>
    </message>
    <message>
        <source>events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>GIL / lock lanes: colour of the holder</source>
        <translation>GIL / 锁泳道：持有者的颜色</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>于 %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>from %1 for %2</source>
        <translation>从 %1 起，持续 %2</translation>
    </message>
    <message>
        <source>waits for %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <source>(held by %1)</source>
        <translation>（被 %1 持有）</translation>
    </message>
    <message>
        <source>held by %1</source>
        <translation>被 %1 持有</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>另有 %1 个</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>future</source>
        <translation>future 对象</translation>
    </message>
</context>
<context>
    <name>Topic</name>
    <message>
        <source>Basics</source>
        <translation>基础</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>Locks</source>
        <translation>锁</translation>
    </message>
    <message>
        <source>Synchronisation</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Race conditions</source>
        <translation>竞态条件</translation>
    </message>
    <message>
        <source>Deadlock</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>The GIL</source>
        <translation>GIL</translation>
    </message>
    <message>
        <source>Python internals</source>
        <translation>Python 内部机制</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>条件变量</translation>
    </message>
    <message>
        <source>I/O multiplexing</source>
        <translation>I/O 多路复用</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>Coroutines</source>
        <translation>协程</translation>
    </message>
    <message>
        <source>Generators</source>
        <translation>生成器</translation>
    </message>
    <message>
        <source>Async</source>
        <translation>异步</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>ViewPainter</name>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>%1 ns</source>
        <translation>%1 纳秒</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 微秒</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::ActorListModel</name>
    <message>
        <source>Actor</source>
        <translation>参与者</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::ConditionView</name>
    <message>
        <source>Condition</source>
        <translation>条件变量</translation>
    </message>
    <message>
        <source>This run has no Condition yet.</source>
        <translation>这次运行还没有条件变量。</translation>
    </message>
    <message>
        <source>Condition %1</source>
        <translation>条件变量 %1</translation>
    </message>
    <message>
        <source>waits %1 · notifies %2</source>
        <translation>等待 %1 次 · 通知 %2 次</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <source>owner: %1</source>
        <translation>持有者：%1</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>empty: nobody is waiting</source>
        <translation>空：没有人在等待</translation>
    </message>
    <message>
        <source>own lock: %1</source>
        <translation>自己的锁：%1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>%1 raised %2</source>
        <translation>%1 抛出了 %2</translation>
    </message>
    <message>
        <source>Stalled: %1</source>
        <translation>停滞：%1</translation>
    </message>
    <message>
        <source>Stalled: every thread waits and nobody can notify.</source>
        <translation>停滞：所有线程都在等待，没有人能发出通知。</translation>
    </message>
    <message>
        <source>Dialogue</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Nobody has spoken yet.</source>
        <translation>还没有人说话。</translation>
    </message>
    <message>
        <source>1 · lock</source>
        <translation>1 · 锁</translation>
    </message>
    <message>
        <source>held around wait() and notify()</source>
        <translation>在 wait() 和 notify() 期间持有</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>2 · waiters</source>
        <translation>2 · 等待者</translation>
    </message>
    <message>
        <source>FIFO; each sleeps on its own lock</source>
        <translation>先进先出；每个等待者睡在自己的锁上</translation>
    </message>
    <message>
        <source>took its own lock</source>
        <translation>拿到了自己的锁</translation>
    </message>
    <message>
        <source>notified by %1</source>
        <translation>被 %1 通知</translation>
    </message>
    <message>
        <source>+%1 more waiting</source>
        <translation>还有 %1 个在等待</translation>
    </message>
    <message>
        <source>%1 called notify() with nobody waiting: the notify is lost</source>
        <translation>%1 在没有人等待时调用了 notify()：这次通知丢失了</translation>
    </message>
    <message>
        <source>%1 called notify_all(): woke %2</source>
        <translation>%1 调用了 notify_all()：唤醒了 %2</translation>
    </message>
    <message>
        <source>%1 called notify(): woke %2</source>
        <translation>%1 调用了 notify()：唤醒了 %2</translation>
    </message>
    <message>
        <source>notify history</source>
        <translation>通知历史</translation>
    </message>
    <message>
        <source>#%1  %2 → nobody waiting: lost</source>
        <translation>#%1  %2 → 无人等待：丢失</translation>
    </message>
    <message>
        <source>#%1  %2 → woke %3</source>
        <translation>#%1  %2 → 唤醒了 %3</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::EventTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>参与者</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::ExportController</name>
    <message>
        <source>There is no trace yet: run the lesson first.</source>
        <translation>还没有轨迹：请先运行课程。</translation>
    </message>
    <message>
        <source>outcome: %1</source>
        <translation>结果：%1</translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
    <message>
        <source>No run has finished yet.</source>
        <translation>还没有运行结束。</translation>
    </message>
    <message>
        <source>The timeline could not be rendered.</source>
        <translation>无法绘制时间线。</translation>
    </message>
    <message>
        <source>Export timeline as PNG</source>
        <translation>导出时间线为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export timeline as SVG</source>
        <translation>导出时间线为 SVG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>导出轨迹</translation>
    </message>
    <message>
        <source>Chrome trace JSON (*.json)</source>
        <translation>Chrome 轨迹 JSON (*.json)</translation>
    </message>
    <message>
        <source>Export run summary</source>
        <translation>导出运行摘要</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Saved %1 — open it in ui.perfetto.dev or chrome://tracing</source>
        <translation>已保存 %1——可在 ui.perfetto.dev 或 chrome://tracing 中打开</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::FdGridView</name>
    <message>
        <source>fd grid</source>
        <translation>fd 网格</translation>
    </message>
    <message>
        <source>No file descriptors in this run yet.</source>
        <translation>这次运行还没有文件描述符。</translation>
    </message>
    <message>
        <source>FD_SETSIZE = %1: select() cannot watch beyond</source>
        <translation>FD_SETSIZE = %1：select() 无法监视更高的 fd</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>multiplexer</source>
        <translation>多路复用器</translation>
    </message>
    <message>
        <source>fds watched</source>
        <translation>监视的 fd 数</translation>
    </message>
    <message>
        <source>copied per call (epoll_ctl registered them once)</source>
        <translation>每次调用复制（epoll_ctl 只注册一次）</translation>
    </message>
    <message>
        <source>copied into the kernel per call</source>
        <translation>每次调用复制进内核</translation>
    </message>
    <message>
        <source>examined per call: the ready list only</source>
        <translation>每次调用检查：只看就绪列表</translation>
    </message>
    <message>
        <source>examined in user space per call</source>
        <translation>每次调用在用户态检查</translation>
    </message>
    <message>
        <source>returned ready by the last call</source>
        <translation>上次调用返回的就绪数</translation>
    </message>
    <message>
        <source>calls so far</source>
        <translation>目前调用次数</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>readable</source>
        <translation>可读</translation>
    </message>
    <message>
        <source>writable</source>
        <translation>可写</translation>
    </message>
    <message>
        <source>hang-up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>swept by the scan</source>
        <translation>被扫描经过</translation>
    </message>
    <message numerus="yes">
        <source>%n fd(s)</source>
        <translation>
            <numerusform>%n 个 fd</numerusform>
        </translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>not watched by this call</source>
        <translation>本次调用未监视</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::FuturesView</name>
    <message>
        <source>Pool and futures</source>
        <translation>线程池与 future</translation>
    </message>
    <message>
        <source>Nothing has been submitted yet.</source>
        <translation>还没有提交任何任务。</translation>
    </message>
    <message>
        <source>work queue: %1</source>
        <translation>工作队列：%1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>任务 %1</translation>
    </message>
    <message>
        <source>None (shutdown)</source>
        <translation>None（关闭）</translation>
    </message>
    <message>
        <source>workers: %1</source>
        <translation>工作线程：%1</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>futures (as CPython names their states)</source>
        <translation>future（状态名与 CPython 一致）</translation>
    </message>
    <message>
        <source>#%1 back: %2</source>
        <translation>第 %1 个返回：%2</translation>
    </message>
    <message>
        <source>call queue: %1</source>
        <translation>调用队列：%1</translation>
    </message>
    <message>
        <source>in the call queue</source>
        <translation>在调用队列中</translation>
    </message>
    <message>
        <source>MainThread got</source>
        <translation>MainThread 收到的</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::GeneratorView</name>
    <message>
        <source>Generator</source>
        <translation>生成器</translation>
    </message>
    <message>
        <source>next()</source>
        <translation>next()</translation>
    </message>
    <message>
        <source>send(%1)</source>
        <translation>send(%1)</translation>
    </message>
    <message>
        <source>throw(%1)</source>
        <translation>throw(%1)</translation>
    </message>
    <message>
        <source>close()</source>
        <translation>close()</translation>
    </message>
    <message>
        <source>yield %1</source>
        <translation>yield %1</translation>
    </message>
    <message>
        <source>return (StopIteration)</source>
        <translation>return（StopIteration）</translation>
    </message>
    <message>
        <source>return %1 (StopIteration)</source>
        <translation>return %1（StopIteration）</translation>
    </message>
    <message>
        <source>raise %1</source>
        <translation>raise %1</translation>
    </message>
    <message>
        <source>No generator in this run yet.</source>
        <translation>这次运行还没有生成器。</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>caller&apos;s stack</source>
        <translation>调用者的栈</translation>
    </message>
    <message>
        <source>%1() runs on top of this stack</source>
        <translation>%1() 运行在这个栈的顶部</translation>
    </message>
    <message>
        <source>generator frames (running)</source>
        <translation>生成器帧（运行中）</translation>
    </message>
    <message>
        <source>generator frames (kept alive, off the stack)</source>
        <translation>生成器帧（保持存活，不在栈上）</translation>
    </message>
    <message>
        <source>↓ yield from</source>
        <translation>↓ yield from</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>created, not started:
the first call must be next()</source>
        <translation>已创建，未启动：
第一次调用必须是 next()</translation>
    </message>
    <message>
        <source>No transfer yet.</source>
        <translation>还没有控制权转移。</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>nothing printed yet</source>
        <translation>还没有输出</translation>
    </message>
    <message>
        <source>called</source>
        <translation>调用了</translation>
    </message>
    <message>
        <source>generator frames</source>
        <translation>生成器帧</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::GilView</name>
    <message>
        <source>GIL</source>
        <translation>GIL</translation>
    </message>
    <message>
        <source>No thread has asked for the GIL yet.</source>
        <translation>还没有线程请求 GIL。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>switch interval %1%2</source>
        <translation>切换间隔 %1%2</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>held by</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>the GIL is</source>
        <translation>GIL 当前</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>for %1</source>
        <translation>已持续 %1</translation>
    </message>
    <message>
        <source>drop request set by %1</source>
        <translation>%1 设置了释放请求</translation>
    </message>
    <message>
        <source>no drop request</source>
        <translation>没有释放请求</translation>
    </message>
    <message>
        <source>switches so far</source>
        <translation>目前切换次数</translation>
    </message>
    <message>
        <source>%1 per second</source>
        <translation>每秒 %1 次</translation>
    </message>
    <message>
        <source>waiting for the GIL</source>
        <translation>等待 GIL</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无人</translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation>还有 %1 个</translation>
    </message>
    <message>
        <source>next in line: its timeout sets the drop request</source>
        <translation>下一个：它的超时会设置释放请求</translation>
    </message>
    <message>
        <source>time holding the GIL</source>
        <translation>持有 GIL 的时间</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source> (measured)</source>
        <translation>（实测）</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::IoModelsView</name>
    <message>
        <source>I/O models</source>
        <translation>I/O 模型</translation>
    </message>
    <message>
        <source>No receiver has started yet.</source>
        <translation>还没有接收方开始。</translation>
    </message>
    <message>
        <source>One message, two phases: waiting for the data, then copying it into the process</source>
        <translation>一条消息，两个阶段：先等待数据，再把它拷贝进进程</translation>
    </message>
    <message>
        <source>waiting: asleep in recv()</source>
        <translation>等待：睡在 recv() 里</translation>
    </message>
    <message>
        <source>waiting: recv() → EAGAIN, again and again</source>
        <translation>等待：recv() → EAGAIN，一遍又一遍</translation>
    </message>
    <message>
        <source>waiting: asleep in select()</source>
        <translation>等待：睡在 select() 里</translation>
    </message>
    <message>
        <source>waiting: own work until SIGIO</source>
        <translation>等待：做自己的工作，直到 SIGIO</translation>
    </message>
    <message>
        <source>waiting: own work until the completion</source>
        <translation>等待：做自己的工作，直到完成事件</translation>
    </message>
    <message>
        <source>1 system call</source>
        <translation>1 次系统调用</translation>
    </message>
    <message>
        <source>%1 system calls</source>
        <translation>%1 次系统调用</translation>
    </message>
    <message>
        <source>%1 EAGAIN</source>
        <translation>%1 次 EAGAIN</translation>
    </message>
    <message>
        <source>CPU %1 ms</source>
        <translation>CPU %1 毫秒</translation>
    </message>
    <message>
        <source>waited %1 ms</source>
        <translation>等待了 %1 毫秒</translation>
    </message>
    <message>
        <source>copied by the kernel before the completion</source>
        <translation>完成事件之前已由内核拷贝</translation>
    </message>
    <message>
        <source>copy %1 µs in the process</source>
        <translation>进程内拷贝 %1 微秒</translation>
    </message>
    <message>
        <source>thread blocked</source>
        <translation>线程阻塞过</translation>
    </message>
    <message>
        <source>thread never blocked</source>
        <translation>线程从未阻塞</translation>
    </message>
    <message>
        <source>own work: %1 turns</source>
        <translation>自己的工作：%1 轮</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::LessonBrowser</name>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Filter lessons…</source>
        <translation>筛选课程…</translation>
    </message>
    <message>
        <source>Type words to match lesson titles, ids and topics (English or Chinese)</source>
        <translation>输入关键词匹配课程标题、ID 和主题（中英文均可）</translation>
    </message>
    <message>
        <source>Could not be loaded</source>
        <translation>无法加载</translation>
    </message>
    <message>
        <source>Fix the file and restart Lockstep to load it.</source>
        <translation>修正该文件并重启 Lockstep 后即可加载。</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::LessonPage</name>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>Lesson id: %1 · engine: %2</source>
        <translation>课程 ID：%1 · 引擎：%2</translation>
    </message>
    <message>
        <source>No lesson selected</source>
        <translation>未选择课程</translation>
    </message>
    <message>
        <source>Pick a lesson on the left.</source>
        <translation>请在左侧选择一门课程。</translation>
    </message>
    <message>
        <source>Variant:</source>
        <translation>变体：</translation>
    </message>
    <message>
        <source>Which version of the program to run</source>
        <translation>运行程序的哪个版本</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <source>Narration</source>
        <translation>讲解</translation>
    </message>
    <message>
        <source>Python this lesson models</source>
        <translation>本课模拟的 Python 代码</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Back to the previous narration step</source>
        <translation>回到上一个讲解步骤</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Go on to the next narration step (N)</source>
        <translation>进入下一个讲解步骤（N）</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::MainWindow</name>
    <message>
        <source>Cannot open the lesson</source>
        <translation>无法打开课程</translation>
    </message>
    <message>
        <source>Comparing variants: running %1 (%2 of %3)</source>
        <translation>正在比较变体：运行 %1（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <source>Variant %1 failed: %2</source>
        <translation>变体 %1 失败：%2</translation>
    </message>
    <message>
        <source>Comparison cancelled</source>
        <translation>比较已取消</translation>
    </message>
    <message>
        <source>Comparison finished: see the Metrics tab</source>
        <translation>比较完成：请查看“指标”标签页</translation>
    </message>
    <message>
        <source>Timeline copied to the clipboard</source>
        <translation>时间线已复制到剪贴板</translation>
    </message>
    <message>
        <source>Copy failed</source>
        <translation>复制失败</translation>
    </message>
    <message>
        <source>Cannot run the lesson</source>
        <translation>无法运行课程</translation>
    </message>
    <message>
        <source>Cannot compare the variants</source>
        <translation>无法比较变体</translation>
    </message>
    <message>
        <source>About Lockstep</source>
        <translation>关于 Lockstep</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Lockstep %1&lt;/h3&gt;&lt;p&gt;Lockstep teaches concurrency by running real concurrent code — OS threads, real locks and condition variables, a model of CPython&apos;s GIL built from real primitives, real fork, real select/poll/epoll, real stackful coroutines — and animating the recorded trace.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Lockstep %1&lt;/h3&gt;&lt;p&gt;Lockstep 通过运行真实的并发代码来讲授并发——操作系统线程、真实的锁和条件变量、用真实原语构建的 CPython GIL 模型、真实的 fork、真实的 select/poll/epoll、真实的有栈协程——并把记录下来的轨迹做成动画。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>&lt;table cellpadding=&apos;3&apos;&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+R&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Run the lesson live&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Space&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Pause / resume (a finished run replays)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;→&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Step one event&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;←&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Step back one event&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Home / End&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Start / end of the trace&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;N&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Next narration step&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+Shift+R&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Compare all variants&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F5&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Presenter mode&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+E&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Export the timeline as PNG (2×)&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table cellpadding=&apos;3&apos;&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+R&lt;/b&gt;&lt;/td&gt;&lt;td&gt;实时运行课程&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;空格&lt;/b&gt;&lt;/td&gt;&lt;td&gt;暂停 / 继续（已结束的运行会回放）&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;→&lt;/b&gt;&lt;/td&gt;&lt;td&gt;前进一个事件&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;←&lt;/b&gt;&lt;/td&gt;&lt;td&gt;后退一个事件&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Home / End&lt;/b&gt;&lt;/td&gt;&lt;td&gt;轨迹的开头 / 结尾&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;N&lt;/b&gt;&lt;/td&gt;&lt;td&gt;下一个讲解步骤&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+Shift+R&lt;/b&gt;&lt;/td&gt;&lt;td&gt;比较所有变体&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F5&lt;/b&gt;&lt;/td&gt;&lt;td&gt;演示模式&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+E&lt;/b&gt;&lt;/td&gt;&lt;td&gt;把时间线导出为 PNG（2×）&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n lesson file(s) could not be loaded: %1</source>
        <translation>
            <numerusform>%n 个课程文件无法加载：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>--lesson %1: no such lesson (allowed: %2)</source>
        <translation>--lesson %1：没有这门课程（可选：%2）</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到任何课程</translation>
    </message>
    <message>
        <source>%1 — Lockstep</source>
        <translation>%1 — Lockstep</translation>
    </message>
    <message>
        <source>--variant %1: unknown variant of lesson &apos;%2&apos; (allowed: %3)</source>
        <translation>--variant %1：课程“%2”没有这个变体（可选：%3）</translation>
    </message>
    <message>
        <source>No lesson is open.</source>
        <translation>没有打开任何课程。</translation>
    </message>
    <message>
        <source>Variants are being compared; wait for it to finish or cancel it.</source>
        <translation>正在比较变体；请等待完成或取消。</translation>
    </message>
    <message>
        <source>A run is live: wait for it to end or reset it first, so the timings are not disturbed.</source>
        <translation>有一次运行正在进行：请等它结束或先重置，以免干扰计时。</translation>
    </message>
    <message>
        <source>A comparison is already running.</source>
        <translation>已有一个比较正在运行。</translation>
    </message>
    <message>
        <source>Outcome: %1</source>
        <translation>结果：%1</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>已用时 %1</translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
    <message>
        <source>Event %1 of %2</source>
        <translation>第 %1 个事件，共 %2 个</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Export timeline as &amp;PNG</source>
        <translation>导出时间线为 &amp;PNG</translation>
    </message>
    <message>
        <source>&amp;Open lesson file…</source>
        <translation>打开课程文件(&amp;O)…</translation>
    </message>
    <message>
        <source>1× (1920 px wide)</source>
        <translation>1×（宽 1920 像素）</translation>
    </message>
    <message>
        <source>2× (projector)</source>
        <translation>2×（投影仪）</translation>
    </message>
    <message>
        <source>4× (print)</source>
        <translation>4×（打印）</translation>
    </message>
    <message>
        <source>Export timeline as &amp;SVG…</source>
        <translation>导出时间线为 &amp;SVG…</translation>
    </message>
    <message>
        <source>Export &amp;trace (Chrome JSON)…</source>
        <translation>导出轨迹(&amp;T)（Chrome JSON）…</translation>
    </message>
    <message>
        <source>Export run s&amp;ummary (JSON)…</source>
        <translation>导出运行摘要(&amp;U)（JSON）…</translation>
    </message>
    <message>
        <source>&amp;Copy timeline image</source>
        <translation>复制时间线图像(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Run live</source>
        <translation>实时运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pause / resume</source>
        <translation>暂停 / 继续(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>单步(&amp;S)</translation>
    </message>
    <message>
        <source>Step &amp;back</source>
        <translation>后退一步(&amp;B)</translation>
    </message>
    <message>
        <source>Go to &amp;start</source>
        <translation>转到开头(&amp;S)</translation>
    </message>
    <message>
        <source>Go to &amp;end</source>
        <translation>转到结尾(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Next narration step</source>
        <translation>下一个讲解步骤(&amp;N)</translation>
    </message>
    <message>
        <source>Rese&amp;t</source>
        <translation>重置(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Compare all variants</source>
        <translation>比较所有变体(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel comparison</source>
        <translation>取消比较</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presenter mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>Show lesson &amp;browser</source>
        <translation>显示课程列表(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Lockstep</source>
        <translation>关于 Lockstep(&amp;A)</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Threads and processes</source>
        <translation>线程与进程</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Lockstep</source>
        <translation>Lockstep</translation>
    </message>
    <message>
        <source>Open lesson file</source>
        <translation>打开课程文件</translation>
    </message>
    <message>
        <source>Lesson files (*.json)</source>
        <translation>课程文件 (*.json)</translation>
    </message>
    <message>
        <source>Longest GUI frame spent on this run so far: %1 ms</source>
        <translation>这次运行中最长的一帧 GUI 耗时：%1 毫秒</translation>
    </message>
    <message>
        <source>Run &amp;limits…</source>
        <translation>运行上限(&amp;L)…</translation>
    </message>
    <message>
        <source>Run limits saved: they apply from the next run.</source>
        <translation>运行上限已保存：从下一次运行起生效。</translation>
    </message>
    <message>
        <source>thread %1, line %2</source>
        <translation>线程 %1，第 %2 行</translation>
    </message>
    <message>
        <source>thread %1</source>
        <translation>线程 %1</translation>
    </message>
    <message>
        <source>Outcome: failed in %1: %2</source>
        <translation>结果：失败（%1）：%2</translation>
    </message>
    <message>
        <source>Outcome: stopped at the event limit (%1 events)</source>
        <translation>结果：达到事件上限而停止（%1 个事件）</translation>
    </message>
    <message>
        <source>Outcome: stopped at the memory limit (%1 MB)</source>
        <translation>结果：达到内存上限而停止（%1 MB）</translation>
    </message>
    <message>
        <source>Outcome: stopped at the time limit (%1 s)</source>
        <translation>结果：达到时间上限而停止（%1 秒）</translation>
    </message>
    <message>
        <source>The run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <source>The run failed: thread %1 stopped at line %2</source>
        <translation>运行失败：线程 %1 停在第 %2 行</translation>
    </message>
    <message>
        <source>The run failed: thread %1 stopped</source>
        <translation>运行失败：线程 %1 已停止</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::MetricsChart</name>
    <message>
        <source>%1 against fds</source>
        <translation>%1 与 fd 数</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s), from %1 to %2</source>
        <translation>
            <numerusform>%n 次运行，从 %1 到 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>latest run of each variant</source>
        <translation>各变体最近一次运行</translation>
    </message>
    <message>
        <source>fds watched</source>
        <translation>监视的 fd 数</translation>
    </message>
    <message>
        <source>Chart:</source>
        <translation>图表：</translation>
    </message>
    <message>
        <source>Which number to compare across the runs of this lesson</source>
        <translation>在本课的各次运行之间比较哪个数值</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Forget the runs of this lesson</source>
        <translation>清除本课的运行记录</translation>
    </message>
    <message>
        <source>Numbers from finished runs appear here.
Run the lesson, or use Run ▸ Compare all variants to see them side by side.</source>
        <translation>已结束运行的数值会显示在这里。
运行课程，或用“运行 ▸ 比较所有变体”并排比较它们。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>latest run of %1</source>
        <translation>%1 的最近一次运行</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::NarrationView</name>
    <message>
        <source>Python line %1</source>
        <translation>Python 第 %1 行</translation>
    </message>
    <message>
        <source>This lesson has no narration.</source>
        <translation>这门课程没有讲解。</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::ParameterPanel</name>
    <message>
        <source>This lesson has no parameters.</source>
        <translation>这门课程没有参数。</translation>
    </message>
    <message>
        <source>Allowed: %1</source>
        <translation>允许：%1</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>默认：%1</translation>
    </message>
    <message>
        <source>--param %1: unknown parameter</source>
        <translation>--param %1：未知参数</translation>
    </message>
    <message>
        <source>This variant has no parameters to set.</source>
        <translation>这个变体没有可设置的参数。</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::ProcessTreeView</name>
    <message>
        <source>Process tree</source>
        <translation>进程树</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::RunBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::RunController</name>
    <message>
        <source>No thread can take a step: every thread is blocked or the run is ending.</source>
        <translation>没有线程能前进一步：所有线程都被阻塞，或运行即将结束。</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::RunSettingsDialog</name>
    <message>
        <source>Run limits</source>
        <translation>运行上限</translation>
    </message>
    <message>
        <source>Every run stops at the first of these limits, with the outcome “stopped at a limit” and the trace kept up to that moment.</source>
        <translation>每次运行在先达到其中任一上限时停止，结果为“已达上限而停止”，轨迹保留到那一刻。</translation>
    </message>
    <message>
        <source>Default (%1)</source>
        <translation>默认（%1）</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>Default (%1 MB)</source>
        <translation>默认（%1 MB）</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>The lesson&apos;s own</source>
        <translation>沿用课程设定</translation>
    </message>
    <message>
        <source>&amp;Event budget:</source>
        <translation>事件预算(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Memory budget:</source>
        <translation>内存预算(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Time limit:</source>
        <translation>时间上限(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::ServersView</name>
    <message>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>No server has started yet.</source>
        <translation>还没有服务器启动。</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>processes</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>%1 %2 (peak %3)</source>
        <translation>%1 %2（峰值 %3）</translation>
    </message>
    <message>
        <source>p50 %1 ms · p99 %2 ms</source>
        <translation>p50 %1 毫秒 · p99 %2 毫秒</translation>
    </message>
    <message>
        <source>%1 requests · %2 req/s · memory %3 MB (+%4)</source>
        <translation>%1 个请求 · 每秒 %2 个 · 内存 %3 MB（+%4）</translation>
    </message>
    <message>
        <source>threads %1 (peak %2) · processes %3 (peak %4) · connections %5 (peak %6)</source>
        <translation>线程 %1（峰值 %2） · 进程 %3（峰值 %4） · 连接 %5（峰值 %6）</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::StateBoard</name>
    <message>
        <source>State board</source>
        <translation>状态面板</translation>
    </message>
    <message>
        <source>timer (%1)</source>
        <translation>定时器（%1）</translation>
    </message>
    <message>
        <source>a CPU</source>
        <translation>一个 CPU</translation>
    </message>
    <message>
        <source>a timer</source>
        <translation>一个定时器</translation>
    </message>
    <message>
        <source>its parent to reap it</source>
        <translation>父进程回收它</translation>
    </message>
    <message>
        <source>Run a lesson: each thread, process and coroutine gets a card here.</source>
        <translation>运行一门课程：每个线程、进程和协程都会在这里有一张卡片。</translation>
    </message>
    <message>
        <source>t = %1</source>
        <translation>t = %1</translation>
    </message>
    <message>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>coroutine</source>
        <translation>协程</translation>
    </message>
    <message>
        <source>thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%2 中的 %1</translation>
    </message>
    <message>
        <source>waits for</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>holds</source>
        <translation>持有</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>line</source>
        <translation>行</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::SyncObjectsView</name>
    <message>
        <source>Event, semaphore, queue</source>
        <translation>事件、信号量、队列</translation>
    </message>
    <message>
        <source>No event, semaphore or queue yet.</source>
        <translation>还没有事件、信号量或队列。</translation>
    </message>
    <message>
        <source>nobody waits</source>
        <translation>无人等待</translation>
    </message>
    <message>
        <source>waiting, in arrival order:</source>
        <translation>等待中（按到达顺序）：</translation>
    </message>
    <message numerus="yes">
        <source>(woke %n waiter(s))</source>
        <translation>
            <numerusform>（唤醒了 %n 个等待者）</numerusform>
        </translation>
    </message>
    <message>
        <source>flag: set</source>
        <translation>标志：已设置</translation>
    </message>
    <message>
        <source>flag: clear</source>
        <translation>标志：已清除</translation>
    </message>
    <message>
        <source>set by %1</source>
        <translation>由 %1 设置</translation>
    </message>
    <message>
        <source>cleared by %1</source>
        <translation>由 %1 清除</translation>
    </message>
    <message>
        <source>count unknown</source>
        <translation>计数未知</translation>
    </message>
    <message>
        <source>count %1 of %2: %3 can acquire without waiting</source>
        <translation>计数 %1 / %2：还有 %3 个可以不等待就获取</translation>
    </message>
    <message>
        <source>count %1</source>
        <translation>计数 %1</translation>
    </message>
    <message>
        <source>qsize %1 of maxsize %2</source>
        <translation>qsize %1 / maxsize %2</translation>
    </message>
    <message>
        <source>qsize %1</source>
        <translation>qsize %1</translation>
    </message>
    <message>
        <source>(+%1 not shown)</source>
        <translation>（另有 %1 个未显示）</translation>
    </message>
    <message>
        <source>full: put() blocks</source>
        <translation>已满：put() 会阻塞</translation>
    </message>
    <message>
        <source>empty: get() blocks</source>
        <translation>为空：get() 会阻塞</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::TimelineWidget</name>
    <message>
        <source>Run a lesson to see its timeline</source>
        <translation>运行课程即可看到它的时间线</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::TransportBar</name>
    <message>
        <source>max</source>
        <translation>最快</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run the lesson live on the real engine (Ctrl+R)</source>
        <translation>在真实引擎上实时运行课程（Ctrl+R）</translation>
    </message>
    <message>
        <source>Pause: engine threads wait at the step gate (Space)</source>
        <translation>暂停：引擎线程在单步闸门处等待（空格）</translation>
    </message>
    <message>
        <source>Resume the live run (Space)</source>
        <translation>继续实时运行（空格）</translation>
    </message>
    <message>
        <source>Pause the replay (Space)</source>
        <translation>暂停回放（空格）</translation>
    </message>
    <message>
        <source>Replay the recorded run at the chosen speed (Space)</source>
        <translation>按所选速度回放记录的运行（空格）</translation>
    </message>
    <message>
        <source>Step back one event (Left)</source>
        <translation>后退一个事件（←）</translation>
    </message>
    <message>
        <source>Step one event; in a paused live run one engine thread passes the gate (Right)</source>
        <translation>前进一个事件；在暂停的实时运行中，让一个引擎线程通过闸门（→）</translation>
    </message>
    <message>
        <source>Next narration step (N)</source>
        <translation>下一个讲解步骤（N）</translation>
    </message>
    <message>
        <source>Reset: stop the run and clear the trace</source>
        <translation>重置：停止运行并清除轨迹</translation>
    </message>
    <message>
        <source>Scrub through the recorded trace (Home, End)</source>
        <translation>拖动浏览记录的轨迹（Home、End）</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Live runs are slowed through the step gate (1× = %1 operations/s); recorded runs replay at this multiple of real time. The last notch runs live at full speed.</source>
        <translation>实时运行通过单步闸门减速（1× = 每秒 %1 次操作）；记录的运行按真实时间的这个倍数回放。最右一格表示全速实时运行。</translation>
    </message>
</context>
<context>
    <name>lockstep::ui::WaitForGraphView</name>
    <message>
        <source>Wait-for graph</source>
        <translation>等待图</translation>
    </message>
    <message>
        <source>itself</source>
        <translation>它自己</translation>
    </message>
    <message>
        <source>%1 waits for %2 held by %3</source>
        <translation>%1 等待被 %3 持有的 %2</translation>
    </message>
    <message>
        <source>, which waits for %1 held by %2</source>
        <translation>，而后者在等待被 %2 持有的 %1</translation>
    </message>
    <message>
        <source>No thread has touched a lock yet.</source>
        <translation>还没有线程碰过锁。</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>held by %1</source>
        <translation>被 %1 持有</translation>
    </message>
    <message>
        <source>lock → its holder</source>
        <translation>锁 → 持有者</translation>
    </message>
    <message>
        <source>thread → lock it waits for</source>
        <translation>线程 → 它等待的锁</translation>
    </message>
    <message>
        <source>Coffman conditions</source>
        <translation>Coffman 条件</translation>
    </message>
    <message>
        <source>All four hold at once: deadlock.</source>
        <translation>四个条件同时成立：死锁。</translation>
    </message>
    <message>
        <source>A deadlock needs all four at once.</source>
        <translation>死锁需要四个条件同时成立。</translation>
    </message>
    <message>
        <source>Mutual exclusion</source>
        <translation>互斥</translation>
    </message>
    <message>
        <source>no thread requests a lock that is held</source>
        <translation>没有线程请求已被持有的锁</translation>
    </message>
    <message>
        <source>Hold and wait</source>
        <translation>占有并等待</translation>
    </message>
    <message>
        <source>no thread waits while holding a lock</source>
        <translation>没有线程在持有锁的同时等待</translation>
    </message>
    <message>
        <source>No preemption</source>
        <translation>不可抢占</translation>
    </message>
    <message>
        <source>no lock has been taken yet</source>
        <translation>还没有锁被获取</translation>
    </message>
    <message>
        <source>no cycle of waiting threads</source>
        <translation>等待的线程之间没有环</translation>
    </message>
    <message>
        <source>Circular wait</source>
        <translation>循环等待</translation>
    </message>
    <message>
        <source>%1: broken</source>
        <translation>%1：已被打破</translation>
    </message>
    <message>
        <source>Deadlock: %1.</source>
        <translation>死锁：%1。</translation>
    </message>
    <message>
        <source>Cycle: %1.</source>
        <translation>环：%1。</translation>
    </message>
    <message>
        <source>%1 waits for %2</source>
        <translation>%1 等待 %2</translation>
    </message>
    <message>
        <source>. No cycle: every wait can still end.</source>
        <translation>。没有环：每个等待都还能结束。</translation>
    </message>
    <message>
        <source>No thread is waiting for a lock.</source>
        <translation>没有线程在等待锁。</translation>
    </message>
</context>
</TS>

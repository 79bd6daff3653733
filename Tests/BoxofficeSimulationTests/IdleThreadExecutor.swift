import CLinux
import Foundation
import Synchronization

/// Runs a task's jobs on one thread of its own at idle priority (SCHED_IDLE): the simulation's
/// minutes of CPU go to what the other tests leave, and it never holds a thread of the shared
/// pool that their tasks and the in-process nodes run on.
final class IdleThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            _ = bx_set_idle_priority()
            while true {
                ready.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }
}

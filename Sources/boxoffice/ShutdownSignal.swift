import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Waits for SIGINT or SIGTERM, so a node can close its store cleanly before it exits.
enum ShutdownSignal {
    /// Returns the signal that arrived.
    static func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let queue = DispatchQueue(label: "boxoffice.signals")
            let sources = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                return (number, DispatchSource.makeSignalSource(signal: number, queue: queue))
            }
            nonisolated(unsafe) var resumed = false
            for (number, source) in sources {
                source.setEventHandler {
                    guard !resumed else { return }
                    resumed = true
                    sources.forEach { $0.1.cancel() }
                    continuation.resume(returning: number)
                }
                source.resume()
            }
        }
    }
}

import Logging
import NIOCore
import Synchronization

/// The node's open connections, for the cap of `ConnectionLimits.maxConnections`: when a new one
/// would pass it, the one waiting longest for a request (idle, or still sending its head) is
/// closed. Connections with a request open are never closed for the cap.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// When it began waiting for a request; nil while a request is open.
        var waitingSince: NIODeadline?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var evictedSinceLog = 0
        var lastLog: NIODeadline = .distantPast
    }

    private let limit: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// Adds a connection; closes the one waiting longest when the cap is passed (or this one, when
    /// every other has a request open).
    func open(_ channel: any Channel) {
        let now = NIODeadline.now()
        let (victim, report): ((any Channel)?, Int?) = state.withLock { state in
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: now)
            guard state.entries.count > limit else { return (nil, nil) }
            let others = state.entries.filter { $0.key != ObjectIdentifier(channel) }
            let victim = others.compactMap { key, entry in entry.waitingSince.map { (key, entry.channel, $0) } }.min { $0.2 < $1.2 }
            let closing = victim?.1 ?? channel
            state.entries[victim?.0 ?? ObjectIdentifier(channel)] = nil
            state.evictedSinceLog += 1
            // Every refusal is logged, summed up every ten seconds so a flood cannot flood the log.
            guard now - state.lastLog > .seconds(10) else { return (closing, nil) }
            defer {
                state.evictedSinceLog = 0
                state.lastLog = now
            }
            return (closing, state.evictedSinceLog)
        }
        if let report {
            logger.warning(
                "connection cap reached: closing the connections idle longest to admit new ones",
                metadata: ["maxConnections": "\(limit)", "closedSinceLastReport": "\(report)"]
            )
        }
        victim?.close(promise: nil)
    }

    /// Marks a connection as waiting for its next request (from now) or as serving one.
    func setWaiting(_ channel: any Channel, _ waiting: Bool) {
        let now = NIODeadline.now()
        state.withLock { $0.entries[ObjectIdentifier(channel)]?.waitingSince = waiting ? now : nil }
    }

    func close(_ channel: any Channel) {
        _ = state.withLock { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

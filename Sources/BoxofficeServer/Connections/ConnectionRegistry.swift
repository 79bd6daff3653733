import Logging
import NIOCore
import Synchronization

/// The node's open connections, for the cap of `ConnectionLimits.maxConnections`: when a new one
/// would pass it, the one waiting longest for a request (idle, or still sending its head) is
/// closed. Connections with a request open are never closed for the cap.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// Its place in the waiting line; nil while a request is open.
        var ticket: UInt64?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Waiting connections by ticket, oldest first. A ticket goes stale when its connection
        /// closes or waits again; stale ones are skipped, and dropped when they pile up.
        var line: [(ticket: UInt64, id: ObjectIdentifier)] = []
        var head = 0
        var nextTicket: UInt64 = 0
        var evictedSinceLog = 0
        var lastLog: NIODeadline = .distantPast

        mutating func wait(_ id: ObjectIdentifier) {
            guard entries[id] != nil else { return }
            entries[id]?.ticket = nextTicket
            line.append((nextTicket, id))
            nextTicket += 1
            // Invariant: the line holds at most twice the connections plus a little (amortised O(1)).
            if line.count - head > 2 * entries.count + 1_024 {
                line = line[head...].filter { entries[$0.id]?.ticket == $0.ticket }
                head = 0
            }
        }

        /// The connection that has waited longest, other than `id`, taken out of the line.
        mutating func longestWaiting(other id: ObjectIdentifier) -> ObjectIdentifier? {
            var index = head
            while index < line.count {
                let (ticket, candidate) = line[index]
                if candidate != id, entries[candidate]?.ticket == ticket {
                    if index == head { head += 1 }
                    entries[candidate]?.ticket = nil
                    return candidate
                }
                if index == head { head += 1 }  // stale: nobody waits on it any more
                index += 1
            }
            return nil
        }
    }

    private let limit: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// Adds a connection; closes the one waiting longest when the cap is passed (or this one, when
    /// every other has a request open). Constant time on average: a flood at the cap costs the
    /// node no more per connection than below it.
    func open(_ channel: any Channel) {
        let now = NIODeadline.now()
        let id = ObjectIdentifier(channel)
        let (victim, report): ((any Channel)?, Int?) = state.withLock { state in
            state.entries[id] = Entry(channel: channel)
            state.wait(id)
            guard state.entries.count > limit else { return (nil, nil) }
            let victimID = state.longestWaiting(other: id) ?? id
            let closing = state.entries.removeValue(forKey: victimID)?.channel
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
        let id = ObjectIdentifier(channel)
        state.withLock { state in
            if waiting { state.wait(id) } else { state.entries[id]?.ticket = nil }
        }
    }

    func close(_ channel: any Channel) {
        _ = state.withLock { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

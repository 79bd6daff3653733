public import Foundation
import Synchronization

/// When this node last heard from each node it syncs with: a signed sync request from it, or a
/// sync run with it that succeeded. A node not heard from for `offlineAfter` is offline here, and
/// the seats it holds cannot be sold until it returns (sync-spec 10.4). In memory: a node known
/// from an earlier run (a checkpoint) counts as last heard from when this node started.
public final class PeerContacts: Sendable {
    /// How a node stands as seen from here.
    package enum Standing: Sendable, Equatable {
        case online
        case offline(since: Date)
        /// It never synced with this node: it may be in touch with others.
        case unknown
    }

    public let offlineAfter: TimeInterval
    package let startedAt: Date
    private let heard = Mutex<[String: Date]>([:])

    public init(offlineAfter: TimeInterval = 60, startedAt: Date = Date()) {
        self.offlineAfter = offlineAfter
        self.startedAt = startedAt
    }

    /// Notes that `node` was heard from at `date`.
    package func heard(from node: String, at date: Date) {
        heard.withLock { $0[node] = max($0[node] ?? date, date) }
    }

    /// How `node` stands at `date`; `synced` says whether it has synced with this node before
    /// (a checkpoint from it), which counts as heard from at this node's start.
    package func standing(of node: String, synced: Bool, at date: Date) -> Standing {
        guard let last = heard.withLock({ $0[node] }) ?? (synced ? startedAt : nil) else { return .unknown }
        return date.timeIntervalSince(last) < offlineAfter ? .online : .offline(since: last)
    }
}

package import BoxofficeCore
package import BoxofficeStore
package import BoxofficeSync
package import Crypto
package import Foundation

/// The cluster's nodes as this node knows them: each node's own record (`nodes`) and the
/// decisions about it (`node-decisions`): who enrolled it, and whether it was revoked.
package struct NodeRoster: Sendable {
    package let store: any VersionedStore
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    package enum Standing: Sendable {
        case active(Curve25519.Signing.PublicKey)
        case revoked
        case unknown
    }

    /// One node as `GET /nodes` shows it.
    package struct Entry: Encodable, Sendable {
        var nodeId: String
        var publicKey: String
        var tlsPin: String?
        var status: String
        var enrolledBy: String?
        var enrolledAt: Date?
        var revokedBy: String?
        var revokedAt: Date?
        var note: String?
        var thisNode: Bool
    }

    /// Whether requests signed as `nodeID` are accepted here, and with which key.
    package func standing(of nodeID: String) async throws -> Standing {
        if try await decisions().contains(where: { $0.nodeId == nodeID && $0.action == .revoked }) { return .revoked }
        guard let record = try await record(of: nodeID), let key = NodeKey.publicKey(record.publicKey) else { return .unknown }
        return .active(key)
    }

    package func record(of nodeID: String) async throws -> NodeRecord? {
        guard let document = try await store.get(NodeRecord.collection, nodeID), !document.deleted else { return nil }
        return try document.body.decode(NodeRecord.self)
    }

    /// Writes this node's own record when it is missing or its key or pin changed.
    /// Invariant: only node `key.nodeID` writes `nodes/<key.nodeID>`.
    /// - Parameter keepPin: keep the recorded pin (a tool that does not serve, such as `sync`).
    package func declareSelf(key: NodeKey, tlsPin: String?, keepPin: Bool = false) async throws {
        let now = now()
        try await store.transact { transaction in
            let stored = try await transaction.get(NodeRecord.collection, key.nodeID).flatMap {
                $0.deleted ? nil : try? $0.body.decode(NodeRecord.self)
            }
            let pin = keepPin ? stored?.tlsPin : tlsPin
            if let stored, stored.publicKey == key.publicKey, stored.tlsPin == pin { return }
            let record = NodeRecord(nodeId: key.nodeID, publicKey: key.publicKey, tlsPin: pin, createdAt: stored?.createdAt ?? now)
            _ = try await transaction.put(NodeRecord.collection, key.nodeID, body: JSONBody(encoding: record))
        }
    }

    /// Every node, this one first, then by id.
    package func list() async throws -> [Entry] {
        let decisions = try await decisions()
        let records = try await store.documents(in: NodeRecord.collection).filter { !$0.deleted }.map { try $0.body.decode(NodeRecord.self) }
        return records.map { record in
            let enrolled = decisions.filter { $0.nodeId == record.nodeId && $0.action == .enrolled }.min { $0.at < $1.at }
            let revoked = decisions.filter { $0.nodeId == record.nodeId && $0.action == .revoked }.min { $0.at < $1.at }
            return Entry(
                nodeId: record.nodeId,
                publicKey: record.publicKey,
                tlsPin: record.tlsPin,
                status: revoked == nil ? "active" : "revoked",
                enrolledBy: enrolled?.byNode,
                enrolledAt: enrolled?.at,
                revokedBy: revoked?.by,
                revokedAt: revoked?.at,
                note: revoked?.note,
                thisNode: record.nodeId == store.nodeID
            )
        }.sorted { ($0.thisNode ? 0 : 1, $0.nodeId) < ($1.thisNode ? 0 : 1, $1.nodeId) }
    }

    /// Shuts `nodeID` out of the cluster for good: every node that syncs the decision refuses
    /// its requests and its tokens. Revoking a revoked node changes nothing.
    /// - Parameter by: the organizer's user id, or `operator@<node>` for the node's own command line.
    package func revoke(_ nodeID: String, by: String, note: String?) async throws -> Entry {
        guard nodeID != store.nodeID else {
            throw DomainError.conflictsWithState(field: "nodeId", reason: "a node cannot revoke itself; revoke it from another node")
        }
        guard let record = try await record(of: nodeID) else { throw DomainError.notFound(kind: "node", id: nodeID) }
        if case .active = try await standing(of: nodeID) {
            let decision = NodeDecision(
                nodeId: nodeID,
                action: .revoked,
                publicKey: record.publicKey,
                by: by,
                byNode: store.nodeID,
                at: now(),
                note: note
            )
            _ = try await store.put(NodeDecision.collection, Identifier.random(prefix: "nd"), body: JSONBody(encoding: decision))
        }
        guard let entry = try await list().first(where: { $0.nodeId == nodeID }) else { throw DomainError.notFound(kind: "node", id: nodeID) }
        return entry
    }

    /// Records that `record`'s node proved the cluster secret here.
    package func recordEnrollment(of record: NodeRecord) async throws {
        let decision = NodeDecision(
            nodeId: record.nodeId,
            action: .enrolled,
            publicKey: record.publicKey,
            by: store.nodeID,
            byNode: store.nodeID,
            at: now()
        )
        _ = try await store.put(NodeDecision.collection, Identifier.random(prefix: "nd"), body: JSONBody(encoding: decision))
    }

    private func decisions() async throws -> [NodeDecision] {
        try await store.documents(in: NodeDecision.collection).filter { !$0.deleted }.map { try $0.body.decode(NodeDecision.self) }
    }
}

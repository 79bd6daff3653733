import BoxofficeCore
import BoxofficeSync
import BoxofficeVenue
import Foundation
import Hummingbird

/// `/sync`: the peer protocol of sync-spec.md (info, changes feed, checkpoints, versions, seat
/// requests).
struct SyncRoutes {
    let node: LocalNode
    let status: SyncStatusBoard
    let seats: SeatService
    let roster: NodeRoster

    struct Status: ResponseEncodable {
        var nodeId: String
        var peers: [PeerStatus]
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.get("info") { _, context -> Response in
            var info = try await node.info()
            info.seatWants = try await seats.wants(for: context.peerNode).wants
            return Self.json(try JSONCoding.encode(info))
        }
        group.get("node") { _, _ -> Response in
            // This node's own roster record, as a batch of one version (what enrollment sends).
            guard let record = try await node.store.get(NodeRecord.collection, node.store.nodeID) else {
                throw DomainError.notFound(kind: "node", id: node.store.nodeID)
            }
            return Self.json(SyncWire.encode([record], checkpoint: nil))
        }
        group.get("changes") { request, _ -> Response in
            let since = try request.query("since", "a non-negative integer") { UInt64($0) } ?? 0
            let limit = try request.query("limit", "a whole number from 1 to \(LocalNode.maxPageVersions)") { Int($0) } ?? LocalNode.maxPageVersions
            return Self.json(SyncWire.encode(try await node.changes(since: since, limit: limit)))
        }
        group.get("checkpoint") { request, _ -> Response in
            guard let peer = try request.query("peer", "a node id", { Identifier.isValid($0) ? $0 : nil }) else {
                throw DomainError.invalidField("peer", "peer is required")
            }
            return Self.json(try JSONCoding.encode(Checkpoint(peer: peer, seq: try await node.checkpoint(from: peer))))
        }
        group.post("versions") { request, context -> Response in
            // A sender stops a page once its bodies pass 4 MiB, so one more document (≤ 1 MiB) and
            // 1,000 envelopes fit in 8 MiB; anything larger is refused with 413 before it is read.
            let body = try await request.body.collect(upTo: LocalNode.maxBatchBytes)
            let batch: (versions: [Document], checkpoint: Checkpoint?)
            do {
                batch = try SyncWire.decodeVersions(Array(buffer: body))
            } catch let error as DocumentError {
                throw error
            } catch {
                throw SyncError.badRequest("the batch is not valid: \(error)")
            }
            guard batch.versions.count <= LocalNode.maxPageVersions else {
                throw SyncError.badRequest("a batch holds at most \(LocalNode.maxPageVersions) versions")
            }
            return Self.json(try JSONCoding.encode(try await node.apply(batch.versions, checkpoint: batch.checkpoint)))
        }
        group.post("nodes/:id/revoke") { request, context -> Response in
            // Only the node's own command line (it signs with this node's key) revokes this way.
            guard context.peerNode == node.store.nodeID else { throw DomainError.forbidden("only this node's own key revokes through /sync") }
            var request = request
            let revocation = try await request.decodeJSON(RosterRoutes.Revocation.self, context: context, absent: RosterRoutes.Revocation())
            let entry = try await roster.revoke(try context.parameters.require("id"), by: "operator@\(node.store.nodeID)", note: revocation.note)
            return Self.json(try JSONCoding.encode(entry))
        }
        group.post("seat-requests") { request, context -> Response in
            var request = request
            let seatRequest = try await request.decodeJSON(SeatRequest.self, context: context)
            return Self.json(try JSONCoding.encode(try await seats.grant(seatRequest, to: context.peerNode ?? "")))
        }
        group.get("seat-wants") { _, context -> Response in
            Self.json(try JSONCoding.encode(try await seats.wants(for: context.peerNode)))
        }
    }

    /// `GET /sync/status`: how the continuous sync fares with each peer, for staff.
    func addStatusRoute(to group: RouterGroup<BoxofficeRequestContext>) {
        group.restricted(to: .staff).get("sync/status") { _, _ -> Status in
            Status(nodeId: node.store.nodeID, peers: await status.all)
        }
    }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

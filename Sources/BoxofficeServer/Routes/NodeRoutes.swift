import BoxofficeStore
import BoxofficeVenue
import Foundation
import Hummingbird

/// The node itself: health, identity and counters, metrics, and the API description.
struct NodeRoutes {
    let store: any VersionedStore
    let metrics: NodeMetrics
    let seats: SeatService
    let startedAt: Date
    let openAPI: ByteBuffer

    struct Health: ResponseEncodable { var status: String }
    struct NodeInfo: ResponseEncodable {
        var nodeId: String
        var version: String
        var dataDirectory: String
        var documents: Int
        var lastSeq: UInt64
        var durableSeq: UInt64
        var journalSyncs: Int
        var journalBytes: Int
        var uptimeSeconds: Int
    }

    func addRoutes(to group: RouterGroup<BoxofficeRequestContext>) {
        group.get("health") { _, _ in Health(status: "ok") }
        group.get("node") { _, _ -> NodeInfo in
            let statistics = try await store.statistics()
            return NodeInfo(
                nodeId: store.nodeID,
                version: boxofficeVersion,
                dataDirectory: store.location,
                documents: statistics.documents,
                lastSeq: statistics.lastSeq,
                durableSeq: statistics.durableSeq,
                journalSyncs: statistics.journalSyncs,
                journalBytes: statistics.journalBytes,
                uptimeSeconds: Int(Date().timeIntervalSince(startedAt))
            )
        }
        group.get("metrics") { _, _ -> Response in
            let text = metrics.render(try await store.statistics(), stranded: try await seats.stranded(), now: seats.now())
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
        }
        group.get("openapi.yaml") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: openAPI))
        }
    }
}

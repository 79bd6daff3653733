package import BoxofficeStore
import CoreMetrics
package import Foundation
import Prometheus

/// The node's Prometheus metrics: request counts and latencies by route and status (recorded by
/// Hummingbird's MetricsMiddleware), journal syncs, documents, tickets sold.
package final class NodeMetrics: Sendable {
    /// One registry per process: swift-metrics can be bootstrapped only once.
    package static let shared = NodeMetrics()

    private let registry = PrometheusCollectorRegistry()
    private let sold: CoreMetrics.Counter
    private let syncs: CoreMetrics.Gauge
    private let syncSeconds: CoreMetrics.Gauge
    private let documents: CoreMetrics.Gauge
    private let durableSeq: CoreMetrics.Gauge

    private init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2),
        ]
        MetricsSystem.bootstrap(factory)
        sold = CoreMetrics.Counter(label: "boxoffice_tickets_sold_total")
        syncs = CoreMetrics.Gauge(label: "boxoffice_journal_syncs_total")
        syncSeconds = CoreMetrics.Gauge(label: "boxoffice_journal_sync_seconds_total")
        documents = CoreMetrics.Gauge(label: "boxoffice_documents")
        durableSeq = CoreMetrics.Gauge(label: "boxoffice_durable_sequence")
    }

    func ticketsSold(_ count: Int) {
        sold.increment(by: count)
    }

    /// The Prometheus text exposition, with the store's counters read now, and the seats held by
    /// nodes offline here (`stranded`, one series per event and node, gone when the node returns).
    package func render(_ statistics: StoreStatistics, stranded: [SeatService.Stranded], now: Date) -> [UInt8] {
        syncs.record(statistics.journalSyncs)
        syncSeconds.record(statistics.journalSyncSeconds)
        documents.record(statistics.documents)
        durableSeq.record(Double(statistics.durableSeq))
        var text = registry.emitToBuffer()
        text += Array("# TYPE boxoffice_seats_stranded gauge\n# TYPE boxoffice_seats_stranded_seconds gauge\n".utf8)
        // Event and node ids are identifiers (letters, digits, '-', '_', '.'): no label escaping needed.
        for seats in stranded {
            let labels = "{event=\"\(seats.eventId)\",node=\"\(seats.node)\"}"
            text += Array("boxoffice_seats_stranded\(labels) \(seats.seats)\n".utf8)
            text += Array("boxoffice_seats_stranded_seconds\(labels) \(Int(now.timeIntervalSince(seats.since)))\n".utf8)
        }
        return text
    }
}

package import BoxofficeStore
import CoreMetrics
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

    /// The Prometheus text exposition, with the store's counters read now.
    package func render(_ statistics: StoreStatistics) -> [UInt8] {
        syncs.record(statistics.journalSyncs)
        syncSeconds.record(statistics.journalSyncSeconds)
        documents.record(statistics.documents)
        durableSeq.record(Double(statistics.durableSeq))
        return registry.emitToBuffer()
    }
}

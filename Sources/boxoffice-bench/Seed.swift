import ArgumentParser
import BoxofficeCore
import BoxofficeStore
import Foundation
import Logging

/// Fills a data directory with tickets (as a node sells them, to an event the node does not hold),
/// 1,000 per transaction, for benchmarks.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write N small documents into a data directory (for bench/sync.sh).")

    @Option(help: "The data directory.")
    var data: String

    @Option(name: .customLong("node-id"), help: "The node id, for a new directory.")
    var nodeID: String?

    @Option(help: "How many documents.")
    var documents = 100_000

    @Option(help: "A prefix for the document ids, so repeated seeds add new documents.")
    var prefix = "t"

    func run() async throws {
        LoggingSystem.bootstrap { SwiftLogNoOpLogHandler($0) }
        let store = try DocumentStore.open(DataDirectory(data), nodeID: nodeID)
        let node = store.nodeID
        for start in stride(from: 0, to: documents, by: 1_000) {
            let end = min(start + 1_000, documents)
            let prefix = prefix
            try await store.transact { transaction in
                for n in start..<end {
                    let ticket = Ticket(
                        eventId: "e-bench",
                        userId: nil,
                        holderName: "Holder \(n)",
                        holderEmail: nil,
                        code: String(format: "%@%011d", prefix.uppercased().prefix(5).padding(toLength: 5, withPad: "X", startingAt: 0), n),
                        price: 18,
                        currency: "EUR",
                        soldAt: Date(),
                        saleHLC: nil,
                        soldBy: node,
                        soldByUser: nil
                    )
                    try await transaction.put(Ticket.collection, "\(prefix)-\(n)", body: JSONBody(encoding: ticket))
                }
            }
        }
        await store.close()
        print("seeded \(documents) documents into \(data)")
    }
}

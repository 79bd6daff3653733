import ArgumentParser
import BoxofficeCore
import BoxofficeStore
import Foundation
import Logging

/// Fills a data directory with ticket-sized documents, 1,000 per transaction, for benchmarks.
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
        for start in stride(from: 0, to: documents, by: 1_000) {
            let end = min(start + 1_000, documents)
            let prefix = prefix
            try await store.transact { transaction in
                for n in start..<end {
                    let body = try JSONBody(encoding: ["eventId": "e-bench", "holderName": "Holder \(n)", "code": "CODE\(n)", "status": "valid"])
                    try await transaction.put("tickets", "\(prefix)-\(n)", body: body)
                }
            }
        }
        await store.close()
        print("seeded \(documents) documents into \(data)")
    }
}

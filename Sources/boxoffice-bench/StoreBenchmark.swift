import ArgumentParser
import BoxofficeCore
import BoxofficeStore
import Foundation
import Logging

struct StoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Durable puts/s for 1, 16 and 256 concurrent writers, recovery time, peak RSS.",
        discussion: "Works in a fresh temporary directory (under --scratch) that it removes afterwards."
    )

    @Option(help: "Where to make temporary data directories.")
    var scratch = NSTemporaryDirectory()

    @Option(help: "Seconds each writer count runs.")
    var seconds = 3.0

    @Option(parsing: .upToNextOption, help: "Concurrent writer counts to measure.")
    var writers: [Int] = [1, 16, 256]

    @Option(help: "Documents in the recovery measurement.")
    var recoveryDocuments = 1_000_000

    func run() async throws {
        LoggingSystem.bootstrap { SwiftLogNoOpLogHandler($0) }
        print("durable puts (each put returns after fdatasync; writers share syncs)")
        var rates: [Int: Double] = [:]
        for count in writers {
            let rate = try await measurePuts(writers: count)
            rates[count] = rate
            print(String(format: "  %4d writers  %9.0f puts/s", count, rate))
        }
        if let one = rates[1], let many = rates[writers.max() ?? 1], writers.count > 1 {
            print(String(format: "  %d writers / 1 writer = %.1fx", writers.max()!, many / one))
        }
        try await measureRecovery()
        print("peak RSS        \(peakResidentMegabytes()) MiB")
    }

    private func measurePuts(writers: Int) async throws -> Double {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let store = try DocumentStore.open(directory, nodeID: "bench")
        let body = try JSONBody(encoding: ["event": "e1", "holder": "Ada Lovelace", "seat": "A-12"])
        let deadline = Date().addingTimeInterval(seconds)
        let started = Date()
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var count = 0
                    while Date() < deadline {
                        try await store.put("tickets", "w\(writer)-\(count)", body: body)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = Date().timeIntervalSince(started)
        await store.close()
        return Double(total) / elapsed
    }

    private func measureRecovery() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        var options = StoreOptions()
        options.compactionBytes = .max  // measure journal replay first, then the snapshot
        let store = try DocumentStore.open(directory, nodeID: "bench", options: options)
        let batch = 1_000
        for start in stride(from: 0, to: recoveryDocuments, by: batch) {
            let end = min(start + batch, recoveryDocuments)
            try await store.transact { transaction in
                for n in start..<end {
                    let body = try JSONBody(encoding: ["event": "e\(n % 100)", "holder": "Holder \(n)", "seat": "\(n)"])
                    try await transaction.put("tickets", "t\(n)", body: body)
                }
            }
        }
        await store.close()

        let fromJournal = try DocumentStore.open(directory, options: options)
        print(String(format: "recovery        %d documents from the journal in %.2f s", fromJournal.recovery.documents, fromJournal.recovery.seconds))
        try await fromJournal.compact()
        await fromJournal.close()

        let fromSnapshot = try DocumentStore.open(directory, options: options)
        print(
            String(format: "recovery        %d documents from a snapshot in %.2f s", fromSnapshot.recovery.documents, fromSnapshot.recovery.seconds)
        )
        await fromSnapshot.close()
    }

    private func temporaryDirectory() throws -> DataDirectory {
        let path = (scratch as NSString).appendingPathComponent("boxoffice-bench-\(UUID().uuidString)")
        return DataDirectory(path)
    }

    private func peakResidentMegabytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss / 1024
    }
}

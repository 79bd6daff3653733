import ArgumentParser
import BoxofficeCore
import BoxofficeStore
import Foundation
import Logging

/// The child process of the crash test: writes as fast as it can and reports every
/// acknowledged write on standard output, until it is killed.
struct CrashWriter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-writer",
        abstract: "Write documents forever, printing 'ack <id> <version>' after each durable write (for crash tests)."
    )

    @Option(help: "The data directory.")
    var data: String

    @Option(help: "Concurrent writers.")
    var writers = 8

    @Option(help: "A prefix that keeps ids of different runs apart.")
    var run = "r0"

    func run() async throws {
        LoggingSystem.bootstrap { SwiftLogNoOpLogHandler($0) }
        let store = try DocumentStore.open(DataDirectory(data), nodeID: "crash")
        write("ready\n")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var n = 0
                    while true {
                        // Alternate new documents with updates of one document per writer.
                        let id = n % 2 == 0 ? "\(run)-w\(writer)-\(n)" : "\(run)-w\(writer)-counter"
                        let document = try await store.put("crash", id, body: JSONBody(encoding: ["n": n, "writer": writer]))
                        self.write("ack \(id) \(document.version.hlc)\n")
                        n += 1
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// One write(2) per line, unbuffered, so a line printed is a line the parent can read.
    private func write(_ line: String) {
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress, $0.count) }
    }
}

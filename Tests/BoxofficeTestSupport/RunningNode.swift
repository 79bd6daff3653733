import Foundation

/// A real `boxoffice serve` process on 127.0.0.1 with an ephemeral port.
public final class RunningNode: Sendable {
    public let process: ChildProcess
    public let port: Int
    /// The data directory, or the database URL of a node kept in PostgreSQL.
    public let data: String

    /// Starts a node on `data` and waits until it listens.
    /// - Parameter nodeID: the id for a new directory; nil keeps the directory's own.
    public convenience init(data: String, nodeID: String? = nil, secret: String = "integration-test-secret", extraArguments: [String] = []) throws {
        try self.init(place: ["--data", data], data: data, nodeID: nodeID, secret: secret, extraArguments: extraArguments)
    }

    /// Starts a process of the node kept in the PostgreSQL database at `store`; any number of
    /// them serve the same node.
    public convenience init(
        store url: String,
        nodeID: String? = nil,
        secret: String = "integration-test-secret",
        extraArguments: [String] = []
    ) throws {
        try self.init(place: ["--store", url], data: url, nodeID: nodeID, secret: secret, extraArguments: extraArguments)
    }

    private init(place: [String], data: String, nodeID: String?, secret: String, extraArguments: [String]) throws {
        self.data = data
        let identity = nodeID.map { ["--node-id", $0] } ?? []
        // The suite's clients share two cores with dozens of tests: one may take seconds between
        // connecting and sending its head. The head timeout has a test of its own (ServeCommandTests).
        let patience = ["--head-timeout", "120"]
        process = try ChildProcess("boxoffice", ["serve"] + place + ["--port", "0", "--secret", secret] + identity + patience + extraArguments)
        guard process.waitForOutput(containing: "\n"),
            let line = process.standardOutput.split(separator: "\n").first(where: { $0.contains("://127.0.0.1:") }),
            let url = line.split(separator: " ").last.map(String.init),
            let port = url.split(separator: ":").last.flatMap({ Int($0) })
        else {
            process.kill(SIGKILL)
            throw NodeDidNotStart(output: process.standardOutput, errors: process.standardError)
        }
        self.port = port
        self.url = url
        // An HTTPS node prints its certificate's pin on the next line.
        if url.hasPrefix("https:"), process.waitForOutput(containing: "certificate pin "),
            let pinLine = process.standardOutput.split(separator: "\n").first(where: { $0.hasPrefix("certificate pin ") })
        {
            pin = String(pinLine.dropFirst("certificate pin ".count))
        } else {
            pin = nil
        }
    }

    /// `http://127.0.0.1:<port>`, or `https://…` for a node with a certificate.
    public let url: String
    /// The pin of the certificate an HTTPS node serves.
    public let pin: String?

    /// Sends SIGTERM and waits for a clean exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        process.kill(SIGTERM)
        return process.waitForExit()
    }

    public struct NodeDidNotStart: Error, CustomStringConvertible {
        public let output: String
        public let errors: String
        public var description: String { "boxoffice serve did not start.\nstdout: \(output)\nstderr: \(errors)" }
    }
}

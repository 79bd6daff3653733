import Foundation

/// A fresh PostgreSQL database on the throwaway cluster that `Tests/postgres/with-cluster.sh`
/// starts for `make test` (its URL in `BOXOFFICE_TEST_POSTGRES`); `drop()` removes it.
public struct TestDatabase: Sendable {
    /// The new database's URL, for `PostgresStore.open` or `serve --store`.
    public let url: String
    private let name: String
    private let admin: String

    /// Whether the API suites run on PostgreSQL in this run (`BOXOFFICE_TEST_STORE=postgresql`),
    /// else on the file store.
    public static var apiSuitesOnPostgres: Bool {
        ProcessInfo.processInfo.environment["BOXOFFICE_TEST_STORE"] == "postgresql"
    }

    /// Creates a database with a name of its own on the test cluster.
    public static func create() throws -> TestDatabase {
        guard let admin = ProcessInfo.processInfo.environment["BOXOFFICE_TEST_POSTGRES"], !admin.isEmpty else {
            throw TestDatabaseError(
                message: "BOXOFFICE_TEST_POSTGRES is not set: run the tests through Tests/postgres/with-cluster.sh (make test does)"
            )
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql(admin, "CREATE DATABASE \(name)")
        let base = admin[..<(admin.range(of: "/", options: .backwards)?.lowerBound ?? admin.endIndex)]
        return TestDatabase(url: "\(base)/\(name)", name: name, admin: admin)
    }

    /// Runs one SQL statement on this database and returns what psql printed (unaligned, no headers).
    @discardableResult
    public func sql(_ statement: String) throws -> String {
        try Self.psql(url, statement)
    }

    public func drop() {
        _ = try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func psql(_ url: String, _ statement: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url, "-v", "ON_ERROR_STOP=1", "-AtX", "-c", statement]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestDatabaseError(message: "psql \(statement): \(String(decoding: complaint, as: UTF8.self))")
        }
        return String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct TestDatabaseError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

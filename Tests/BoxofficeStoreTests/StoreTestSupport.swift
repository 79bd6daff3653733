import BoxofficeCore
import BoxofficePostgres
import BoxofficeStore
import BoxofficeTestSupport
import Foundation

/// A small body with a recognisable value.
func body(_ value: Int) -> JSONBody {
    try! JSONBody(encoding: ["value": value])
}

func value(of document: Document?) -> Int? {
    (try? document?.body.decode([String: Int].self))?["value"]
}

/// Opens a store in a fresh temporary directory.
@discardableResult
func withStore<T>(
    options: StoreOptions = StoreOptions(),
    nodeID: String = "node-a",
    _ body: (DataDirectory, DocumentStore) async throws -> T
) async throws -> T {
    let temporary = TemporaryDirectory("store")
    defer { temporary.remove() }
    let directory = DataDirectory(temporary.file("data"))
    let store = try DocumentStore.open(directory, nodeID: nodeID, options: options)
    do {
        let result = try await body(directory, store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// The journal segments of a data directory, oldest first.
func segments(_ directory: DataDirectory) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path + "/journal").filter { $0.hasSuffix(".log") }.sorted()
        .map { directory.path + "/journal/" + $0 }
}

func bytes(of path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// The stores the store protocol has: every contract test runs on each, the file store in the
/// first pass of `make test` and PostgreSQL in the second (`BOXOFFICE_TEST_STORE=postgresql`).
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case file
    case postgresql

    /// The store this pass tests.
    static var underTest: [StoreKind] { TestDatabase.apiSuitesOnPostgres ? [.postgresql] : [.file] }

    var description: String { rawValue }
}

/// Stores of one kind for a test: each opened fresh (a data directory, or a database of its
/// own), and opened again with `reopen` as a restarted node would.
final class StorePlace: @unchecked Sendable {
    let kind: StoreKind
    private let temporary = TemporaryDirectory("contract")
    private var databases: [String: TestDatabase] = [:]
    private var open: [any VersionedStore] = []

    init(_ kind: StoreKind) { self.kind = kind }

    /// Opens the store named `name` (a fresh one the first time) as node `nodeID`; nil keeps the stored id.
    func store(_ name: String = "a", nodeID: String? = "node-a", options: StoreOptions = StoreOptions()) async throws -> any VersionedStore {
        let store: any VersionedStore
        switch kind {
        case .file:
            store = try DocumentStore.open(DataDirectory(temporary.file(name)), nodeID: nodeID, options: options)
        case .postgresql:
            let database = try databases[name] ?? TestDatabase.create()
            databases[name] = database
            store = try await PostgresStore.open(database.url, nodeID: nodeID, newNodeKey: "test-key", options: options)
        }
        open.append(store)
        return store
    }

    /// The database behind store `name` (PostgreSQL only), to look at its rows.
    func database(_ name: String = "a") -> TestDatabase? { databases[name] }

    func removeAll() async {
        for store in open { await store.close() }
        for database in databases.values { database.drop() }
        temporary.remove()
    }
}

/// Runs `body` with stores of `kind`, closed and removed afterwards.
@discardableResult
func withStores<T>(_ kind: StoreKind, _ body: (StorePlace) async throws -> T) async throws -> T {
    let place = StorePlace(kind)
    do {
        let result = try await body(place)
        await place.removeAll()
        return result
    } catch {
        await place.removeAll()
        throw error
    }
}

import BoxofficeCore
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

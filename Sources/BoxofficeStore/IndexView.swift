import BoxofficeCore

/// The file store's read view: the index as it is, read on the store's actor.
struct IndexView: StoreView {
    let index: DocumentIndex

    nonisolated(nonsending) func get(_ collection: String, _ id: String) async throws -> Document? {
        try Identifier.validate(collection, field: "collection")
        try Identifier.validate(id, field: "id")
        return index[DocumentKey(collection: collection, id: id)]?.document
    }

    nonisolated(nonsending) func documents(index name: String, key: String) async throws -> [Document] {
        index.documents(index: name, key: key)
    }

    nonisolated(nonsending) func count(index name: String, key: String) async throws -> Int {
        index.count(index: name, key: key)
    }

    nonisolated(nonsending) func documents(in collection: String) async throws -> [Document] {
        index.documents(in: collection)
    }
}

package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// The conflict report: what the merges decided, for staff to acknowledge and resolve.
package struct ConflictService: Sendable {
    package let store: any VersionedStore
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    package struct Filter: Sendable {
        package var kind: String?
        package var eventId: String?
        package var state: ConflictRecord.State?

        package init(kind: String? = nil, eventId: String? = nil, state: ConflictRecord.State? = nil) {
            self.kind = kind
            self.eventId = eventId
            self.state = state
        }
    }

    /// Matching records, newest first, and the count of every kind among them.
    package func list(_ filter: Filter) async throws -> (conflicts: [Identified<ConflictRecord>], counts: [String: Int]) {
        let records = try await store.documents(in: ConflictRecord.collection).filter { !$0.deleted }
            .map(Identified<ConflictRecord>.init(decoding:))
            .filter { record in
                (filter.kind.map { $0 == record.value.kind } ?? true) && (filter.eventId.map { $0 == record.value.eventId } ?? true)
                    && (filter.state.map { $0 == record.value.state } ?? true)
            }
            .sorted { ($0.value.detectedAt, $0.id) > ($1.value.detectedAt, $1.id) }
        return (records, Dictionary(records.map { ($0.value.kind, 1) }, uniquingKeysWith: +))
    }

    /// Moves a record to `acknowledged` or `resolved`, saying who did it, when, and why.
    package func handle(_ id: String, state: ConflictRecord.State, note: String?, by staff: Identity) async throws -> Identified<ConflictRecord> {
        let id = try Validate.id(id, field: "id")
        let note = try Validate.optionalText(note, field: "note", maxLength: 2_000)
        let date = now()
        return try await store.transact { transaction in
            guard let document = try await transaction.get(ConflictRecord.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "conflict", id: id)
            }
            var record = try document.body.decode(ConflictRecord.self)
            // Invariant: a conflict's state only moves forward (open, acknowledged, resolved).
            guard !(record.state == .resolved && state == .acknowledged) else { throw DomainError.conflictResolved(id: id) }
            record.state = state
            record.handledBy = staff.userId
            record.handledAt = date
            if let note { record.note = note }
            try await transaction.put(ConflictRecord.collection, id, body: JSONBody(encoding: record))
            return Identified(id: id, value: record)
        }
    }
}

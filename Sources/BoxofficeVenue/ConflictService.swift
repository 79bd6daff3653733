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
        /// Part of an event's name, in any case ("jazz" finds "Jazz Night"), or its id.
        package var eventName: String?
        package var state: ConflictRecord.State?

        package init(kind: String? = nil, eventId: String? = nil, eventName: String? = nil, state: ConflictRecord.State? = nil) {
            self.kind = kind
            self.eventId = eventId
            self.eventName = eventName
            self.state = state
        }
    }

    /// A conflict record with its story, encoded as `/conflicts.json` and `boxoffice conflicts
    /// --json` answer it: the record's fields with its id, the losing version as a JSON object
    /// (not a string of JSON), the event's name, the sentence and the action.
    package struct Entry: Sendable, Encodable {
        package var id: String
        package var record: ConflictRecord
        package var story: ConflictStory

        private enum Keys: String, CodingKey {
            case id, kind, collection, documentId, eventId, eventName, differingFields, rule, winner, loser, loserDocument
            case detectedBy, detectedAt, state, handledBy, handledAt, note, sentence, action
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
            try container.encode(record.kind, forKey: .kind)
            try container.encode(record.collection, forKey: .collection)
            try container.encode(record.documentId, forKey: .documentId)
            try container.encodeIfPresent(record.eventId, forKey: .eventId)
            try container.encodeIfPresent(story.eventName, forKey: .eventName)
            try container.encode(record.differingFields, forKey: .differingFields)
            try container.encode(record.rule, forKey: .rule)
            try container.encode(record.winner, forKey: .winner)
            try container.encode(record.loser, forKey: .loser)
            // A record from an older node may hold text that is not JSON: it is kept as a string.
            try container.encode(Self.shown(record.loserDocument), forKey: .loserDocument)
            try container.encode(record.detectedBy, forKey: .detectedBy)
            try container.encode(record.detectedAt, forKey: .detectedAt)
            try container.encode(record.state, forKey: .state)
            try container.encodeIfPresent(record.handledBy, forKey: .handledBy)
            try container.encodeIfPresent(record.handledAt, forKey: .handledAt)
            try container.encodeIfPresent(record.note, forKey: .note)
            try container.encode(story.sentence, forKey: .sentence)
            try container.encode(story.action, forKey: .action)
        }

        /// The losing version as an object, without the fields never shown (a password hash).
        private static func shown(_ loserDocument: String) -> AnyJSON {
            guard case var .object(envelope)? = AnyJSON(parsing: loserDocument) else { return .string(loserDocument) }
            // Invariant: no secret leaves the node in a report (an account's password hash).
            if case var .object(body)? = envelope["body"] {
                for field in ConflictRecord.secretFields { body[field] = nil }
                envelope["body"] = .object(body)
            }
            return .object(envelope)
        }
    }

    /// One page of the report.
    package struct Listing: Sendable {
        package var entries: [Entry]
        /// How many records match the filter, on every page.
        package var total: Int
        /// The count of every kind among the matching records.
        package var counts: [String: Int]
        /// Where the next page starts (after the last record shown); nil on the last page.
        package var next: String?
        /// Every event this node holds a conflict about, by name, for a filter to offer.
        package var events: [String]
    }

    /// The report's page size when none is asked for, and the largest one.
    package static let pageSize = 50
    package static let maxPageSize = 200

    /// Matching records, newest first, `limit` of them after `cursor` (a page's `next`).
    /// - Throws: `DomainError.invalidField` for a cursor no page gave.
    package func list(_ filter: Filter, limit: Int = ConflictService.pageSize, after cursor: String? = nil) async throws -> Listing {
        let records = try await store.documents(in: ConflictRecord.collection).filter { !$0.deleted }
            .map(Identified<ConflictRecord>.init(decoding:))
        return try Self.listing(records, names: try await names(for: records), filter: filter, limit: limit, after: cursor)
    }

    /// The names the stories of `records` use: every event's, and the accounts of duplicate emails.
    private func names(for records: [Identified<ConflictRecord>]) async throws -> ConflictStory.Names {
        var names = ConflictStory.Names()
        for event in try await store.documents(in: Event.collection) where !event.deleted {
            names.events[event.id] = event.body.string("name")
        }
        // Only a duplicate-email story names accounts: the holder and the later one.
        for record in records where record.value.kind == "duplicate-email" {
            for id in [record.value.documentId, record.value.standingDocumentId] {
                names.users[id] = try await store.get(User.collection, id)?.body.string("name")
            }
        }
        return names
    }

    /// Where the page after `record` starts.
    private static func cursor(after record: Identified<ConflictRecord>) -> String {
        "\(Int64((record.value.detectedAt.timeIntervalSince1970 * 1000).rounded()))_\(record.id)"
    }

    /// The page of `records` that `filter`, `limit` and `cursor` ask for, told with `names`.
    package static func listing(
        _ records: [Identified<ConflictRecord>],
        names: ConflictStory.Names,
        filter: Filter,
        limit: Int,
        after cursor: String?
    ) throws(DomainError) -> Listing {
        let wanted = filter.eventName?.lowercased()
        let matching = records.filter { record in
            (filter.kind.map { $0 == record.value.kind } ?? true) && (filter.eventId.map { $0 == record.value.eventId } ?? true)
                && (filter.state.map { $0 == record.value.state } ?? true)
                && (wanted.map { part in
                    record.value.eventId == filter.eventName
                        || (record.value.eventId.flatMap { names.events[$0] }?.lowercased().contains(part) ?? false)
                } ?? true)
        }
        .sorted { ($0.value.detectedAt, $0.id) > ($1.value.detectedAt, $1.id) }
        var start = 0
        if let cursor {
            // `<detectedAt in Unix milliseconds>_<id>`: the place after the last record shown, so
            // a page still starts right when that record has since left the filter (acknowledged).
            let parts = cursor.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let millis = Int64(parts[0]), Identifier.isValid(parts[1]) else {
                throw .invalidField("cursor", "cursor must be the nextCursor of a page of this report")
            }
            let after = (Date(timeIntervalSince1970: Double(millis) / 1000), String(parts[1]))
            start = matching.firstIndex { ($0.value.detectedAt, $0.id) < after } ?? matching.count
        }
        let page = matching[start...].prefix(limit)
        return Listing(
            entries: page.map { Entry(id: $0.id, record: $0.value, story: ConflictStory($0.value, names: names)) },
            total: matching.count,
            counts: Dictionary(matching.map { ($0.value.kind, 1) }, uniquingKeysWith: +),
            next: start + page.count < matching.count ? page.last.map { Self.cursor(after: $0) } : nil,
            events: Set(records.compactMap { $0.value.eventId.flatMap { names.events[$0] } }).sorted()
        )
    }

    /// Moves a record to `acknowledged` or `resolved`, saying who did it, when, and why.
    package func handle(_ id: String, state: ConflictRecord.State, note: String?, by staff: Identity) async throws -> Entry {
        let id = try Validate.id(id, field: "id")
        let note = try Validate.optionalText(note, field: "note", maxLength: 2_000)
        let date = now()
        let handled = try await store.transact { transaction in
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
        return Entry(id: id, record: handled.value, story: ConflictStory(handled.value, names: try await names(for: [handled])))
    }
}

package import BoxofficeCore
public import BoxofficeStore
public import BoxofficeSync
public import Foundation

/// The venue's rules that run when versions arrive from a peer, and the node's sync side with
/// them: every place that syncs (the /sync routes, `serve --peer`, `boxoffice sync`) uses this.
public enum VenueRules {
    public static func localNode(_ store: any VersionedStore, now: @escaping @Sendable () -> Date = { Date() }) -> LocalNode {
        LocalNode(store: store, now: now, check: requireReadable, afterMerge: afterMerge)
    }

    /// What `serve` runs after each sync with a peer: notes that the peer was heard from, then
    /// escrow seat rebalancing (`SeatService`), seats unsold for `idleAfter` seconds without
    /// demand going back.
    public static func rebalance(
        _ store: any VersionedStore,
        demand: SeatDemand,
        idleAfter: TimeInterval,
        contacts: PeerContacts,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> ContinuousSync.AfterSync {
        let seats = SeatService(store: store, demand: demand, idleAfter: idleAfter, contacts: contacts, now: now)
        return { peer, info in
            // A sync run that got this far heard from the peer.
            contacts.heard(from: info.nodeId, at: now())
            return try await seats.rebalance(with: peer, node: info.nodeId, wants: info.seatWants)
        }
    }

    /// Runs on every batch a peer's versions arrive in, in the batch's transaction.
    static nonisolated(nonsending) func afterMerge(_ stored: [Document], _ transaction: any StoreTransaction, node: String, now: Date) async throws {
        let users = stored.filter { $0.collection == User.collection && !$0.deleted }
        let emails = Set(users.compactMap { try? $0.body.decode(User.self).email })
        for email in emails.sorted() { try await recordDuplicates(of: email, stored: users, in: transaction, node: node, now: now) }

        for document in stored where document.collection == Event.collection && !document.deleted {
            guard let event = try? document.body.decode(Event.self), event.status == .cancelled else { continue }
            try await EventService.notifyOwnHoldersOfCancellation(document.id, event: event, stored: stored, in: transaction, node: node, at: now)
        }
        // Sales and capacity changes (allocation rows) decide whether an event is oversold.
        let seats = stored.filter { $0.collection == Ticket.collection || $0.collection == AllocationRow.collection }
        var events = Set(seats.compactMap { $0.body.string("eventId") })
        events.formUnion(stored.filter { $0.collection == Event.collection }.map(\.id))
        for eventId in events.sorted() {
            try await Oversell.settle(eventId, adding: seats, in: transaction, node: node, now: now)
        }
    }

    /// The type of a venue collection's bodies; nil for others (a newer node's), which pass unread.
    private static func bodyType(of collection: String) -> (any Decodable.Type)? {
        switch collection {
        case User.collection: User.self
        case Event.collection: Event.self
        case Ticket.collection: Ticket.self
        case UserNotification.collection: UserNotification.self
        case Hold.collection: Hold.self
        case CheckIn.collection: CheckIn.self
        case AllocationRow.collection: AllocationRow.self
        case ConflictRecord.collection: ConflictRecord.self
        case NodeRecord.collection: NodeRecord.self
        case NodeDecision.collection: NodeDecision.self
        case Till.collection: Till.self
        default: nil
        }
    }

    /// Refuses (and with it the whole batch, if it would be stored) a version whose body does not
    /// read as its collection's type. Invariant: every stored body reads as its collection's type;
    /// one unreadable event from a buggy peer would otherwise fail every listing here and travel on
    /// to every node.
    @Sendable private static func requireReadable(_ document: Document) throws {
        guard let type = bodyType(of: document.collection) else { return }
        do {
            let body = try document.body.decode(type)
            // Invariant: only a till's own node writes it (sync-spec.md, section 15).
            if let till = body as? Till, till.node != document.version.node {
                throw SyncError.badRequest("tills/\(document.id) at \(document.version) was written by another node than its own, \(till.node)")
            }
        } catch let error as DecodingError {
            guard case let .invalidField(_, detail) = DomainError(decoding: error) else { throw error }
            throw SyncError.badRequest(
                "\(document.collection)/\(document.id) at \(document.version) does not read as a document of \(document.collection): \(detail)"
            )
        }
    }

    /// What the `duplicate-email` record of two accounts is about (sync-spec.md, section 11).
    static func duplicateIdentity(holder: String, duplicate: String) -> String {
        "duplicate-email/\(holder)/\(duplicate)"
    }

    /// Two accounts registered with one email on nodes apart: nothing is rewritten (the earliest
    /// registration keeps the email by `UniqueEmail`, derived on every read), but the collision
    /// becomes a conflict record so staff see it.
    private static nonisolated(nonsending) func recordDuplicates(
        of email: String,
        stored: [Document],
        in transaction: any StoreTransaction,
        node: String,
        now: Date
    ) async throws {
        let filed = try await transaction.documents(index: VenueIndexes.users, key: VenueIndexes.email(email))
        let accounts = try await current(User.self, filed: filed, stored: stored, in: transaction) { $0.email == email }.map(\.document)
        guard accounts.count > 1, let holder = UniqueEmail.holder(of: accounts) else { return }
        for duplicate in accounts where duplicate.id != holder.id {
            let summary = try JSONCoding.encode(["id": duplicate.id, "email": email])
            let record = ConflictRecord(
                kind: "duplicate-email",
                collection: User.collection,
                documentId: duplicate.id,
                eventId: nil,
                differingFields: [],
                rule: UniqueEmail.rule,
                winner: "\(holder.id) (\(UniqueEmail.origin(holder)))",
                loser: "\(duplicate.id) (\(UniqueEmail.origin(duplicate)))",
                loserDocument: String(decoding: summary, as: UTF8.self),
                detectedBy: node,
                detectedAt: now
            )
            try await LocalNode.write(record, identity: duplicateIdentity(holder: holder.id, duplicate: duplicate.id), in: transaction)
        }
    }

    /// The live documents filed under an index key, or stored by the batch (not yet filed), as
    /// the transaction sees them now, whose body satisfies `keep`.
    package static nonisolated(nonsending) func current<T: Decodable>(
        _ type: T.Type,
        filed: [Document],
        stored: [Document],
        in transaction: any StoreView,
        where keep: (T) -> Bool
    ) async throws -> [(document: Document, value: T)] {
        var seen = Set<DocumentKey>()
        var current: [(document: Document, value: T)] = []
        for candidate in filed + stored where seen.insert(candidate.key).inserted {
            guard let document = try await transaction.get(candidate.collection, candidate.id), !document.deleted,
                let value = try? document.body.decode(T.self), keep(value)
            else { continue }
            current.append((document, value))
        }
        return current
    }
}

public import BoxofficeStore
public import BoxofficeSync
import BoxofficeCore
public import Foundation

/// The venue's rules that run when versions arrive from a peer, and the node's sync side with
/// them: every place that syncs (the /sync routes, `serve --peer`, `boxoffice sync`) uses this.
public enum VenueRules {
    public static func localNode(_ store: DocumentStore, now: @escaping @Sendable () -> Date = { Date() }) -> LocalNode {
        LocalNode(store: store, now: now, afterMerge: afterMerge)
    }

    /// Two accounts registered with one email on nodes apart: nothing is rewritten (the earliest
    /// registration keeps the email by `UniqueEmail`, derived on every read), but the collision
    /// becomes a conflict record so staff see it.
    static func afterMerge(_ applied: Document, _ transaction: inout Transaction, node: String, now: Date) throws {
        guard applied.collection == User.collection, !applied.deleted, let user = try? applied.body.decode(User.self) else { return }
        let others = transaction.documents(index: VenueIndexes.users, key: VenueIndexes.email(user.email))
            .filter { $0.id != applied.id && !$0.deleted }
        let accounts = others + [applied]
        guard !others.isEmpty, let holder = UniqueEmail.holder(of: accounts) else { return }
        for duplicate in accounts where duplicate.id != holder.id {
            let summary = try JSONCoding.encode(["id": duplicate.id, "email": user.email])
            let record = ConflictRecord(
                kind: "duplicate-email", collection: User.collection, documentId: duplicate.id, eventId: nil, differingFields: [],
                rule: UniqueEmail.rule, winner: "\(holder.id) (\(UniqueEmail.origin(holder)))",
                loser: "\(duplicate.id) (\(UniqueEmail.origin(duplicate)))", loserDocument: String(decoding: summary, as: UTF8.self),
                detectedBy: node, detectedAt: now)
            try LocalNode.write(record, identity: "duplicate-email/\(holder.id)/\(duplicate.id)", in: &transaction)
        }
    }
}

package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// Cash drawers: a staff member opens one with a float at this node and closes it with the cash
/// they counted; the close records what the drawer should have held and the difference.
package struct TillService: Sendable {
    package let store: any VersionedStore
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    /// Opens a till for `staff` at this node with `float` in `currency`.
    package func open(float: Decimal, currency: String, by staff: Identity) async throws -> Identified<Till> {
        let float = try Self.money(float, currency: currency, field: "float")
        let node = store.nodeID
        let till = Till(node: node, openedBy: staff.userId, openedAt: now(), float: float)
        // 100 random bits: no other node writes this id; `node` names the only node that writes it.
        let id = Identifier.random(prefix: "till")
        try await store.transact { transaction in
            // One open drawer per staff member and node: a sale's cash has one drawer to go to.
            for document in try await transaction.documents(in: Till.collection) where !document.deleted {
                guard let other = try? document.body.decode(Till.self) else { continue }
                if other.isOpen, other.node == node, other.openedBy == staff.userId {
                    throw DomainError.conflictsWithState(field: "till", reason: "\(document.id) is still open for you at this node: close it first")
                }
            }
            try await transaction.put(Till.collection, id, body: JSONBody(encoding: till))
        }
        return Identified(id: id, value: till)
    }

    /// Closes a till with the cash `counted` in it: records what it should have held.
    package func close(_ id: String, counted: Decimal, by staff: Identity) async throws -> Identified<Till> {
        let id = try Validate.id(id, field: "id")
        let date = now()
        return try await store.transact { transaction in
            guard let document = try await transaction.get(Till.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "till", id: id)
            }
            var till = try document.body.decode(Till.self)
            guard till.node == store.nodeID else {
                throw DomainError.conflictsWithState(field: "till", reason: "\(id) is at \(till.node): close it there")
            }
            guard till.isOpen else { throw DomainError.conflictsWithState(field: "till", reason: "\(id) is closed already") }
            // The drawer is its staff member's: another closes it only as an organizer.
            guard till.openedBy == staff.userId || staff.role == .organizer else {
                throw DomainError.forbidden("\(id) is another staff member's drawer: they or an organizer close it")
            }
            let counted = try Self.money(counted, currency: till.float.currency, field: "counted")
            // Only the tickets the drawer's staff member sold or refunded are decoded, while writes wait.
            let tickets = try await transaction.documents(in: Ticket.collection).filter { document in
                let fields = document.body.strings(["soldByUser", "cancelledBy"])
                return !document.deleted && (fields["soldByUser"] == till.openedBy || fields["cancelledBy"] == till.openedBy)
            }.compactMap { try? $0.body.decode(Ticket.self) }
            till.closedBy = staff.userId
            till.closedAt = date
            till.counted = counted
            till.expected = till.expectedCash(at: date, tickets: tickets)
            try await transaction.put(Till.collection, id, body: JSONBody(encoding: till))
            return Identified(id: id, value: till)
        }
    }

    /// Every till this node holds, newest first.
    package func list() async throws -> [Identified<Till>] {
        try await store.documents(in: Till.collection).filter { !$0.deleted }.map(Identified<Till>.init(decoding:))
            .sorted { ($0.value.openedAt, $0.id) > ($1.value.openedAt, $1.id) }
    }

    private static func money(_ amount: Decimal, currency: String, field: String) throws(DomainError) -> Money {
        let currency = try Validate.currency(currency)
        guard amount >= 0, amount <= 10_000_000, let money = Money(amount, currency: currency) else {
            throw .invalidField(field, "\(field) must be an amount from 0 to 10,000,000 in whole minor units of \(currency)")
        }
        return money
    }
}

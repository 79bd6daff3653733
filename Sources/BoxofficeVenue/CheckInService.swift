package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// What the door sees after a scan.
package struct Admission: Encodable, Sendable {
    package let ticket: Identified<Ticket>
    package let checkIn: CheckIn
}

/// Scanning tickets at the door, by ticket code as a scanner reads it.
package struct CheckInService: Sendable {
    package let store: any VersionedStore
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    /// Admits the holder of `code` once: a second scan here is a 409 saying when and where the
    /// first one was; a scan of the same ticket at another node while apart is settled by sync
    /// (the earliest scan stands; the later one becomes a conflict record).
    /// `code` is the code as printed (letters and digits, any case), or the ticket's id (which
    /// holds a `-`), for an app that has the ticket rather than its print.
    package func checkIn(code: String, gate: String?, by staff: Identity) async throws -> Admission {
        let byID = code.contains("-") || code.contains("_")
        let code = byID ? code : code.uppercased()
        guard byID ? Identifier.isValid(code) : !code.isEmpty && code.count <= 64 && code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw DomainError.invalidField("code", "a ticket code is letters and digits, as printed on the ticket (or the ticket's id)")
        }
        let gate = try Validate.optionalText(gate, field: "gate", maxLength: 64)
        let scannedAt = now()
        let node = store.nodeID
        return try await store.transact { transaction in
            let found =
                byID
                ? try await transaction.get(Ticket.collection, code)
                : try await transaction.documents(index: VenueIndexes.tickets, key: VenueIndexes.code(code)).first(where: { !$0.deleted })
            guard let document = found, !document.deleted else {
                throw DomainError.notFound(kind: "ticket", id: code)
            }
            let ticket = try document.body.decode(Ticket.self)
            guard ticket.isLive else { throw DomainError.ticketNotValid(code: code, status: ticket.status.rawValue) }
            if let event = try await transaction.get(Event.collection, ticket.eventId).map({ try $0.body.decode(Event.self) }) {
                // Invariant: a cancelled event admits no one, whatever its tickets say.
                guard event.status != .cancelled else { throw DomainError.ticketNotValid(code: code, status: "for a cancelled event") }
                if try await Oversell.verdict(ticket.eventId, event: event, in: transaction).contains(where: { $0.document.id == document.id }) {
                    throw DomainError.ticketNotValid(code: code, status: TicketStatus.oversold.rawValue)
                }
            }
            if let previous = try await transaction.get(CheckIn.collection, document.id), !previous.deleted {
                let first = try previous.body.decode(CheckIn.self)
                throw DomainError.alreadyCheckedIn(at: first.scannedAt, node: first.node, gate: first.gate)
            }
            let checkIn = CheckIn(
                ticketId: document.id,
                eventId: ticket.eventId,
                code: code,
                node: node,
                gate: gate,
                by: staff.userId,
                scannedAt: scannedAt
            )
            try await transaction.put(CheckIn.collection, document.id, body: JSONBody(encoding: checkIn))
            return Admission(ticket: Identified(id: document.id, value: ticket), checkIn: checkIn)
        }
    }
}

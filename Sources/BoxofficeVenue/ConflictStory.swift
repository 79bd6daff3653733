package import BoxofficeCore
import Foundation

/// A conflict record told the way a manager reads it: the event's name, one plain sentence of
/// what the merge decided, with names instead of ids, and the action to take next.
package struct ConflictStory: Sendable, Hashable, Encodable {
    /// What staff should do about a conflict.
    package enum Action: String, Sendable, Hashable, Encodable {
        /// A buyer's ticket is void: pay the money back (and tell them).
        case refund
        /// Someone must be told (the later of two accounts with one email).
        case notify
        /// Nothing to undo: confirm it was seen.
        case acknowledge
        /// Decide by hand, and say how in the resolution's note.
        case resolve
    }

    package var eventName: String?
    package var sentence: String
    package var action: Action

    /// The names a story uses, looked up by id.
    package struct Names: Sendable {
        package var events: [String: String]
        package var users: [String: String]

        package init(events: [String: String] = [:], users: [String: String] = [:]) {
            self.events = events
            self.users = users
        }
    }

    package init(_ record: ConflictRecord, names: Names) {
        let eventName = record.eventId.flatMap { names.events[$0] }
        let event = eventName ?? record.eventId.map { "event \($0)" } ?? "an event"
        let lost = record.loserFields
        let winnerNode = Version(record.winner)?.node
        let loserNode = Version(record.loser)?.node
        self.eventName = eventName
        switch record.kind {
        case "oversold":
            let seller = lost["soldBy"] ?? "a venue"
            let holder = lost["holderName"].map { "\($0)'s" } ?? "the"
            let ticket = Self.ticket(of: record.loserDocument)
            let refund =
                switch (ticket?.method, ticket?.takings) {
                case (.comp?, _): "; it was complimentary, nothing to refund"
                case let (_, takings?): "; refund \(takings.text)"
                default: ""
                }
            sentence = "\(seller) sold a seat of \(event) after the last one: \(holder) ticket is void\(refund)."
            action = .refund
        case "double-check-in":
            let code = lost["code"].map { "Ticket \($0)" } ?? "A ticket"
            let places = [winnerNode, loserNode].compactMap { $0 }
            let doors = places.count == 2 ? " at \(places[0]) and at \(places[1])" : ""
            sentence = "\(code) of \(event) was scanned\(doors) while apart: it counts as one entry."
            action = .acknowledge
        case "duplicate-email":
            let holderId = record.standingDocumentId
            let holder = names.users[holderId] ?? holderId
            let later = names.users[record.documentId] ?? record.documentId
            let email = lost["email"].map { " \($0)" } ?? " one email"
            sentence = "Two accounts registered with\(email) while apart: \(holder) keeps it; tell \(later) to use another."
            action = .notify
        default:
            let what = Self.noun(record.collection, name: lost["name"] ?? lost["title"], event: eventName)
            let fields = record.differingFields.isEmpty ? "" : " (\(record.differingFields.joined(separator: ", ")))"
            if let winnerNode, let loserNode {
                sentence = "\(what) was changed at \(winnerNode) and at \(loserNode) while apart: \(winnerNode)'s change\(fields) stands."
            } else {
                sentence = "\(what) was changed on two nodes while apart: one change\(fields) stands."
            }
            // An edit that lost may have been meant: a person decides whether to make it again.
            action = record.differingFields.isEmpty ? .acknowledge : .resolve
        }
    }

    /// "Event Jazz Night", "Ticket t-12 of Jazz Night", or the collection and nothing more.
    private static func noun(_ collection: String, name: String?, event: String?) -> String {
        switch collection {
        case Event.collection: "Event \(name ?? event ?? "")".trimmingCharacters(in: .whitespaces)
        case Ticket.collection: event.map { "A ticket of \($0)" } ?? "A ticket"
        case User.collection: name.map { "\($0)'s account" } ?? "An account"
        default: name.map { "\(collection) \($0)" } ?? "A document of \(collection)"
        }
    }

    /// The losing ticket of an `oversold` record, read from its document envelope.
    private static func ticket(of loserDocument: String) -> Ticket? {
        let body = JSONBody(unchecked: Array(loserDocument.utf8)).fieldTexts()["body"]
        return body.flatMap { try? JSONBody(unchecked: Array($0.utf8)).decode(Ticket.self) }
    }
}

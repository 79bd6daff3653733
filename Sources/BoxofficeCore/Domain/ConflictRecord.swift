public import Foundation

/// A decision the merge made that a person should see: the body of a document in `conflicts`.
/// Records are documents, so every node shows the same report once synced.
public struct ConflictRecord: Codable, Sendable, Equatable {
    public static let collection = "conflicts"

    public enum State: String, Codable, Sendable {
        case open, acknowledged, resolved
    }

    /// What kind of conflict: "double-check-in" for a ticket scanned at two nodes while apart,
    /// "concurrent-edit" for any other document written on two nodes while apart,
    /// "duplicate-email" for two accounts registered with one email, "oversold" for an overbook
    /// event's sales past its capacity.
    public var kind: String
    public var collection: String
    public var documentId: String
    /// The event it concerns, when there is one.
    public var eventId: String?
    /// Top-level body fields whose values differ between the two versions.
    public var differingFields: [String]
    /// The rule that decided, e.g. "last-writer-wins".
    public var rule: String
    /// The version that stands and the one that lost, as `hlc@node`.
    public var winner: String
    public var loser: String
    /// The losing version in full (its compact JSON), so nothing is lost.
    public var loserDocument: String
    public var detectedBy: String
    public var detectedAt: Date
    public var state: State
    /// Who moved it to `acknowledged` or `resolved`, when, and why.
    public var handledBy: String?
    public var handledAt: Date?
    public var note: String?

    /// The kind of a conflict between two versions of a document of `collection`.
    /// The document that stands after the conflict: the one it is about, except for a
    /// `duplicate-email` record, which is about the later account while the holder stands
    /// (`winner` is "<holder id> (<origin>)").
    public var standingDocumentId: String {
        kind == "duplicate-email" ? String(winner.prefix { $0 != " " }) : documentId
    }

    /// Body fields a report never shows of a losing version.
    public static let secretFields: Set<String> = ["passwordHash"]

    /// The top-level fields of the losing version's body as text (`JSONBody.fieldTexts`): the
    /// envelope's `body`, or for a `duplicate-email` record its `{id, email}` summary.
    public var loserFields: [String: String] {
        let envelope = JSONBody(unchecked: Array(loserDocument.utf8)).fieldTexts()
        return envelope["body"].map { JSONBody(unchecked: Array($0.utf8)).fieldTexts() } ?? envelope
    }

    public static func kind(of collection: String) -> String {
        collection == CheckIn.collection ? "double-check-in" : "concurrent-edit"
    }

    public init(
        kind: String,
        collection: String,
        documentId: String,
        eventId: String?,
        differingFields: [String],
        rule: String,
        winner: String,
        loser: String,
        loserDocument: String,
        detectedBy: String,
        detectedAt: Date,
        state: State = .open
    ) {
        self.kind = kind
        self.collection = collection
        self.documentId = documentId
        self.eventId = eventId
        self.differingFields = differingFields
        self.rule = rule
        self.winner = winner
        self.loser = loser
        self.loserDocument = loserDocument
        self.detectedBy = detectedBy
        self.detectedAt = detectedAt
        self.state = state
    }
}

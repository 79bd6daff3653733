import BoxofficeCore
import BoxofficeVenue
import Foundation

/// The conflict report as the `conflicts` template shows it: counts by kind, a filter, and a page
/// of conflicts, each as a sentence with the action to take, both sides side by side with the
/// fields that differ marked, and forms to acknowledge or resolve it. One column of cards, so a
/// phone shows it without scrolling sideways.
struct ConflictReportPage: Sendable, Hashable {
    struct Count: Sendable, Hashable {
        let kind: String
        let count: Int
    }

    struct Option: Sendable, Hashable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Field: Sendable, Hashable {
        let name: String
        let value: String
        let differs: Bool
    }

    struct Row: Sendable, Hashable {
        let id: String
        let kind: String
        let event: String?
        let sentence: String
        let action: String
        let actionLabel: String
        /// When it was detected, in the venue's time zone.
        let when: String
        let state: String
        let note: String?
        let open: Bool
        let stands: [Field]
        let lost: [Field]
    }

    let node: String
    let counts: [Count]
    let kinds: [Option]
    let states: [Option]
    let events: [Option]
    /// "Conflicts 1–50 of 68."
    let showing: String
    /// The query of the next page, nil on the last one.
    let next: String?
    let rows: [Row]

    /// - Parameter standing: the version that stands now, per conflict id, when the document still exists.
    init(node: String, filter: ConflictService.Filter, listing: ConflictService.Listing, first: Int, standing: [String: Document]) {
        func options(_ values: [String], selected: String?) -> [Option] {
            ([""] + values).map { Option(value: $0, label: $0.isEmpty ? "any" : $0, selected: $0 == (selected ?? "")) }
        }
        self.node = node
        counts = listing.counts.sorted { $0.key < $1.key }.map { Count(kind: $0.key, count: $0.value) }
        kinds = options(["concurrent-edit", "double-check-in", "duplicate-email", "oversold"], selected: filter.kind)
        states = options(["open", "acknowledged", "resolved"], selected: filter.state?.rawValue)
        events = options(listing.events, selected: filter.eventName)
        let last = first + listing.entries.count - 1
        showing = listing.total == 0 ? "No conflicts match." : "Conflicts \(first)–\(last) of \(listing.total)."
        next = listing.next.map { cursor in
            var query = URLComponents()
            query.queryItems =
                [("kind", filter.kind), ("state", filter.state?.rawValue), ("event", filter.eventName), ("eventId", filter.eventId)]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } } + [
                    URLQueryItem(name: "cursor", value: cursor), URLQueryItem(name: "first", value: "\(last + 1)"),
                ]
            return query.percentEncodedQuery ?? ""
        }
        rows = listing.entries.map { Self.row($0, standing: standing[$0.id]) }
    }

    private static let actionLabels: [ConflictStory.Action: String] = [
        .refund: "Refund", .notify: "Notify", .acknowledge: "Acknowledge", .resolve: "Resolve with a note",
    ]

    private static func row(_ entry: ConflictService.Entry, standing: Document?) -> Row {
        let record = entry.record
        let lost = record.loserFields
        func fields(_ texts: [String: String]) -> [Field] {
            // Invariant: no secret reaches the page (an account's password hash).
            texts.keys.sorted().filter { !ConflictRecord.secretFields.contains($0) }.map {
                Field(name: $0, value: texts[$0] ?? "", differs: record.differingFields.contains($0))
            }
        }
        return Row(
            id: entry.id,
            kind: record.kind,
            event: entry.story.eventName,
            sentence: entry.story.sentence,
            action: entry.story.action.rawValue,
            actionLabel: actionLabels[entry.story.action] ?? entry.story.action.rawValue,
            when: WebFormat.when(record.detectedAt),
            state: record.state.rawValue,
            note: record.note,
            open: record.state == .open,
            stands: fields(standing?.body.fieldTexts() ?? [:]),
            lost: fields(lost)
        )
    }
}

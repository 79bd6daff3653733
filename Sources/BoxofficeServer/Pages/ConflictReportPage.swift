import BoxofficeCore
import BoxofficeVenue
import Foundation

/// The conflict report as the `conflicts` template shows it: counts by kind, a filter, and every
/// conflict with both sides side by side, the fields that differ marked, and forms to
/// acknowledge or resolve it.
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
        let event: String
        let document: String
        /// The fields that differ, as a list in words; nil when none are recorded.
        let differs: String?
        let outcome: String
        let age: String
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
    let eventId: String
    let rows: [Row]

    /// - Parameter standing: the version that stands now, per conflict id, when the document still exists.
    init(
        node: String,
        filter: ConflictService.Filter,
        conflicts: [Identified<ConflictRecord>],
        counts: [String: Int],
        standing: [String: Document],
        now: Date
    ) {
        func options(_ values: [String], selected: String?) -> [Option] {
            ([""] + values).map { Option(value: $0, label: $0.isEmpty ? "any" : $0, selected: $0 == (selected ?? "")) }
        }
        self.node = node
        self.counts = counts.sorted { $0.key < $1.key }.map { Count(kind: $0.key, count: $0.value) }
        kinds = options(["concurrent-edit", "double-check-in", "duplicate-email", "oversold"], selected: filter.kind)
        states = options(["open", "acknowledged", "resolved"], selected: filter.state?.rawValue)
        eventId = filter.eventId ?? ""
        rows = conflicts.map { Self.row($0, standing: standing[$0.id], now: now) }
    }

    private static let secretFields: Set<String> = ["passwordHash"]

    private static func row(_ conflict: Identified<ConflictRecord>, standing: Document?, now: Date) -> Row {
        let record = conflict.value
        let seconds = Int(max(0, now.timeIntervalSince(record.detectedAt)))
        let age = seconds < 3_600 ? "\(seconds / 60) min" : seconds < 86_400 ? "\(seconds / 3_600) h" : "\(seconds / 86_400) d"
        // The loser is kept as its whole document envelope; its fields are those of its body.
        let envelope = JSONBody(unchecked: Array(record.loserDocument.utf8)).fieldTexts()
        let lost = envelope["body"].map { JSONBody(unchecked: Array($0.utf8)).fieldTexts() } ?? envelope
        func fields(_ texts: [String: String]) -> [Field] {
            // Invariant: no secret reaches the page (an account's password hash).
            texts.keys.sorted().filter { !Self.secretFields.contains($0) }.map {
                Field(name: $0, value: texts[$0] ?? "", differs: record.differingFields.contains($0))
            }
        }
        return Row(
            id: conflict.id,
            kind: record.kind,
            event: record.eventId ?? "–",
            document: "\(record.collection)/\(record.documentId)",
            differs: record.differingFields.isEmpty ? nil : record.differingFields.joined(separator: ", "),
            outcome: "\(record.rule): \(record.winner) stands over \(record.loser)",
            age: age,
            state: record.state.rawValue,
            note: record.note,
            open: record.state == .open,
            stands: fields(standing?.body.fieldTexts() ?? [:]),
            lost: fields(lost)
        )
    }
}

public import Foundation

/// A ticket scanned at a door: the body of a document in `checkins` whose id is the ticket's id.
/// Two nodes scanning one ticket while apart write concurrent versions of the same document; the
/// earliest scan stands (first-writer-wins) and the later one becomes a conflict record.
public struct CheckIn: Codable, Sendable, Equatable {
    public static let collection = "checkins"

    public var ticketId: String
    public var eventId: String
    public var code: String
    /// The node that scanned it, and the gate if the scanner named one.
    public var node: String
    public var gate: String?
    /// The staff member who scanned it.
    public var by: String
    public var scannedAt: Date

    public init(ticketId: String, eventId: String, code: String, node: String, gate: String?, by: String, scannedAt: Date) {
        self.ticketId = ticketId
        self.eventId = eventId
        self.code = code
        self.node = node
        self.gate = gate
        self.by = by
        self.scannedAt = scannedAt
    }
}

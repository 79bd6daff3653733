public import Foundation

public enum NotificationKind: String, Codable, Sendable {
    case message
    case ticketPurchased
    case ticketCancelled
    case eventChanged
    case eventCancelled
    case ticketOversold
}

/// A message to one user: the body of a document in `notifications`.
public struct UserNotification: Codable, Sendable, Equatable {
    public static let collection = "notifications"

    public var userId: String
    public var message: String
    public var eventId: String?
    public var kind: NotificationKind
    public var read: Bool
    public var createdAt: Date
    /// Set when a list shows this notification corrected: it told of an event's change that
    /// lost to a concurrent one (never stored; every node derives it from the conflict records).
    public var corrected: Bool?

    public init(userId: String, message: String, eventId: String?, kind: NotificationKind, read: Bool = false, createdAt: Date) {
        self.userId = userId
        self.message = message
        self.eventId = eventId
        self.kind = kind
        self.read = read
        self.createdAt = createdAt
    }
}

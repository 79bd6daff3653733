/// What a user may do. Attendees buy for themselves; staff run the box office and the door;
/// organizers also create and change events.
public enum Role: String, Codable, Sendable, CaseIterable {
    case attendee
    case staff
    case organizer

    /// Staff and organizers: may sell to walk-ins, see every ticket, send notifications.
    public var isStaff: Bool { self != .attendee }
}

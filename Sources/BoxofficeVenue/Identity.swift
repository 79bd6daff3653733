public import BoxofficeCore

/// Who is making a request, once the access token checked out.
public struct Identity: Sendable, Equatable {
    public let userId: String
    public let name: String
    public let email: String
    public let role: Role

    public var isStaff: Bool { role.isStaff }

    /// The roles this caller acts in: an organizer is staff too, and everyone is an attendee.
    public var roles: Set<Role> {
        switch role {
        case .attendee: [.attendee]
        case .staff: [.attendee, .staff]
        case .organizer: [.attendee, .staff, .organizer]
        }
    }

    package init(userId: String, name: String, email: String, role: Role) {
        self.userId = userId
        self.name = name
        self.email = email
        self.role = role
    }
}

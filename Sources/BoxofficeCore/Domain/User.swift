public import Foundation

/// A person with an account on the cluster: the body of a document in `users`.
public struct User: Codable, Sendable, Equatable {
    public static let collection = "users"

    public var name: String
    /// Canonical form (see `User.canonicalEmail`), unique across the cluster.
    public var email: String
    /// A salted slow hash (bcrypt); never the password.
    public var passwordHash: String
    public var role: Role
    public var createdAt: Date

    public init(name: String, email: String, passwordHash: String, role: Role, createdAt: Date) {
        self.name = name
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
    }

    /// Emails compare case-insensitively and without surrounding spaces.
    public static func canonicalEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// A plausible address: one '@', something before it, a dot in the domain, no spaces.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, email.count <= 254, !email.contains(where: \.isWhitespace) else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
    }
}

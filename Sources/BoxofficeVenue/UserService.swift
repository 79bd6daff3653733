package import BoxofficeCore
package import BoxofficeStore
import BoxofficeSync
package import Foundation

/// What the API shows of a user: never the password hash.
package struct UserView: Encodable, Sendable {
    package let id: String
    package let name: String
    package let email: String
    package let role: Role
    package let createdAt: Date
    /// The account that keeps this email, when this one is a duplicate made on another node.
    let duplicateOf: String?

    package init(id: String, user: User, duplicateOf: String? = nil) {
        self.id = id
        self.name = user.name
        self.email = user.email
        self.role = user.role
        self.createdAt = user.createdAt
        self.duplicateOf = duplicateOf
    }
}

/// Accounts: registration, sign-in, lookup. Emails are unique per node at once, and across
/// nodes after sync (the conflict rules settle registrations made while apart).
package struct UserService: Sendable {
    package let store: any VersionedStore
    package let hasher: PasswordHasher
    package let now: @Sendable () -> Date
    package let throttle: LoginThrottle

    package init(store: any VersionedStore, hasher: PasswordHasher, throttle: LoginThrottle = LoginThrottle(), now: @escaping @Sendable () -> Date) {
        self.store = store
        self.hasher = hasher
        self.throttle = throttle
        self.now = now
    }
    package let cache = VersionedCache<Version, User>()

    /// Creates an account; attendees register themselves, staff are added from the CLI.
    package func register(name: String, email: String, password: String, role: Role = .attendee) async throws -> UserView {
        let name = try Validate.text(name, field: "name", maxLength: 200)
        let email = User.canonicalEmail(email)
        guard User.isPlausibleEmail(email) else { throw DomainError.invalidField("email", "email must be an address like ada@example.com") }
        let rule = "password must be at least 8 characters and at most 72 bytes in UTF-8 (72 plain letters, fewer accented ones)"
        // Characters as JSON Schema counts them (code points), so the OpenAPI bounds say the same.
        guard (8...72).contains(password.unicodeScalars.count) else { throw DomainError.invalidField("password", rule) }
        // bcrypt reads 72 bytes: 72 plain letters, fewer accented ones or emoji.
        guard password.utf8.count <= 72 else { throw DomainError.unprocessable("password", rule) }
        let user = User(name: name, email: email, passwordHash: try await hasher.hash(password), role: role, createdAt: now())
        let id = Identifier.random(prefix: "u")
        try await store.transact { transaction in
            // Invariant: one live account per email on this node.
            guard try await transaction.documents(index: VenueIndexes.users, key: VenueIndexes.email(email)).isEmpty else {
                throw DomainError.emailTaken
            }
            try await transaction.put(User.collection, id, body: JSONBody(encoding: user))
        }
        return UserView(id: id, user: user)
    }

    /// The account for `email` if `password` is right; one error for a wrong email or password.
    /// A duplicate account (its email was registered earlier on another node) cannot sign in
    /// until staff resolve its `duplicate-email` conflict; then each account signs in with its own
    /// password (the one that keeps the email first, when both passwords are the same).
    /// The account an email and password sign in to; `address` is the client's, for the throttle.
    package func authenticate(email: String, password: String, from address: String? = nil) async throws -> UserView {
        let email = User.canonicalEmail(email)
        try throttle.check(email: email, address: address, at: now())
        let accounts = try await accounts(withEmail: email)
        for document in accounts.sorted(by: { UniqueEmail.origin($0) < UniqueEmail.origin($1) }) {
            let user = try cache.decoded(document)
            guard try await hasher.verify(password, against: user.passwordHash) else { continue }
            throttle.succeeded(email: email)
            if let holder = UniqueEmail.holder(of: accounts), holder.id != document.id,
                try await !isResolved(duplicate: document.id, of: holder.id)
            {
                throw DomainError.duplicateAccount(of: holder.id)
            }
            return UserView(id: document.id, user: user)
        }
        _ = try await hasher.verify(password, against: nil)  // the same time for an unknown email
        throttle.failed(email: email, address: address, at: now())
        throw DomainError.invalidCredentials
    }

    private func isResolved(duplicate: String, of holder: String) async throws -> Bool {
        let id = LocalNode.recordID(identity: VenueRules.duplicateIdentity(holder: holder, duplicate: duplicate))
        guard let document = try await store.get(ConflictRecord.collection, id), !document.deleted else { return false }
        return try document.body.decode(ConflictRecord.self).state == .resolved
    }

    private func accounts(withEmail email: String) async throws -> [Document] {
        try await store.documents(index: VenueIndexes.users, key: VenueIndexes.email(email)).filter { !$0.deleted }
    }

    /// A live user by id, nil when there is none.
    package func user(_ id: String) async throws -> User? {
        guard Identifier.isValid(id), let document = try await store.get(User.collection, id), !document.deleted else { return nil }
        return try cache.decoded(document)
    }

    /// Who a verified access token's user id is: nil when there is no such live user.
    package func identity(of userID: String?) async throws -> Identity? {
        guard let userID, let user = try await user(userID) else { return nil }
        return Identity(userId: userID, name: user.name, email: user.email, role: user.role)
    }

    package func view(_ id: String) async throws -> UserView {
        guard let user = try await user(id) else { throw DomainError.notFound(kind: "user", id: id) }
        let holder = UniqueEmail.holder(of: try await accounts(withEmail: user.email))
        return UserView(id: id, user: user, duplicateOf: holder.flatMap { $0.id == id ? nil : $0.id })
    }
}

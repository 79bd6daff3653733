public import BoxofficeCore
public import BoxofficeStore

/// Creates an account directly in a store: how the first organizer and other staff are made,
/// with `boxoffice user add` while the node is stopped.
/// - Returns: the new user's id.
public func addUser(
    to store: any VersionedStore,
    name: String,
    email: String,
    password: String,
    role: Role,
    passwordCost: Int = 10
) async throws -> String {
    let users = UserService(store: store, hasher: PasswordHasher(cost: UInt8(clamping: passwordCost)), now: { .now })
    return try await users.register(name: name, email: email, password: password, role: role).id
}

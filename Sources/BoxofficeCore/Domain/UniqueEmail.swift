/// Two nodes may register the same email while apart: both accounts sync, and this rule decides,
/// identically everywhere and without writing anything, which one keeps the email.
public enum UniqueEmail {
    public static let rule = "earliest-registration-keeps-email"

    /// Where an account began: the oldest version it remembers (its registration, for accounts
    /// edited fewer times than the history bound).
    public static func origin(_ account: Document) -> Version {
        account.history.last ?? account.version
    }

    /// The account that keeps the email among live accounts that share it: the earliest
    /// registration, in version order. The others are duplicates of it.
    public static func holder(of accounts: [Document]) -> Document? {
        accounts.filter { !$0.deleted }.min { origin($0) < origin($1) }
    }
}

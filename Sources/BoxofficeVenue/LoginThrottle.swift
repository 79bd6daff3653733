package import BoxofficeCore
package import Foundation
import Synchronization

/// Slows down password guessing, per account and per client address: after a few wrong
/// passwords, each further one makes the next attempt wait, twice as long each time up to a bound.
///
/// A person who mistypes is not locked out for long: the first `freeAttempts` failures cost
/// nothing, the waits start at one second and never pass `maxWait`, the right password clears the
/// account's count, and a count is forgotten `forgetAfter` after its last failure. The state is
/// this node's own (in memory, never synced): an attacker who tries every node gets each node's
/// allowance, which stays small against the bcrypt cost of each guess.
package final class LoginThrottle: Sendable {
    package struct Policy: Sendable {
        package var freeAttempts = 5
        package var freeAttemptsPerAddress = 20
        package var maxWait: TimeInterval = 300
        package var forgetAfter: TimeInterval = 900
        package init() {}
    }

    private struct Failures: Sendable {
        var count = 0
        var last = Date.distantPast
        var blockedUntil = Date.distantPast
    }

    private let policy: Policy
    private let failures = BoundedCache<String, Failures>(limit: 100_000)
    /// Serializes each read-modify-write of a count, so parallel guesses all count.
    private let lock = Mutex(())

    package init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Throws `DomainError.tooManyAttempts` while the account or the address must wait.
    package func check(email: String, address: String?, at now: Date) throws(DomainError) {
        let wait = lock.withLock { _ in counts(email, address).map { remaining(failures[$0.key], at: now) }.max() ?? 0 }
        if wait > 0 { throw .tooManyAttempts(retryAfter: Int(wait.rounded(.up))) }
    }

    /// Counts a wrong password against the account and the address.
    package func failed(email: String, address: String?, at now: Date) {
        lock.withLock { _ in
            for (key, free) in counts(email, address) {
                var entry = failures[key].flatMap { now.timeIntervalSince($0.last) < policy.forgetAfter ? $0 : nil } ?? Failures()
                entry.count += 1
                entry.last = now
                if entry.count > free {
                    // Invariant: the wait grows with every failure past the free ones, and is bounded.
                    entry.blockedUntil = now.addingTimeInterval(min(policy.maxWait, pow(2, Double(min(entry.count - free - 1, 30)))))
                }
                failures.set(entry, for: key)
            }
        }
    }

    /// The right password: the account starts over (the address keeps its count).
    package func succeeded(email: String) {
        lock.withLock { _ in failures.set(Failures(), for: "account:" + email) }
    }

    /// The counts a sign-in attempt touches, each with its free attempts: the account's, and the address's.
    private func counts(_ email: String, _ address: String?) -> [(key: String, free: Int)] {
        [("account:" + email, policy.freeAttempts)] + (address.map { [("address:" + $0, policy.freeAttemptsPerAddress)] } ?? [])
    }

    private func remaining(_ entry: Failures?, at now: Date) -> TimeInterval {
        guard let entry, now.timeIntervalSince(entry.last) < policy.forgetAfter else { return 0 }
        return max(0, entry.blockedUntil.timeIntervalSince(now))
    }
}

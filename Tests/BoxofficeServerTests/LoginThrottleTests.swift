import BoxofficeCore
import BoxofficeTestSupport
import BoxofficeVenue
import Foundation
import Testing

/// Wrong passwords slow down, per account and per address; the right one is never locked out long.
@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 2_000_000_000)

    @Test func waitsGrowAfterTheFreeAttemptsAndAreBounded() {
        let throttle = LoginThrottle()
        var growing: [Int] = []
        var now = start
        // Each guess comes once the previous wait is over, as a patient guesser's would.
        for _ in 0..<16 { guess(on: throttle, at: &now, into: &growing) }
        #expect(growing.prefix(5) == [0, 0, 0, 0, 0], "five free attempts: \(growing)")
        #expect(Array(growing[5..<10]) == [1, 2, 4, 8, 16], "then twice as long each time: \(growing)")
        #expect(growing.last == 300, "bounded at five minutes: \(growing)")
    }

    @Test func theRightPasswordStartsTheAccountOverAndAddressesCountApart() throws {
        let throttle = LoginThrottle()
        for attempt in 0..<6 {
            throttle.failed(email: "b@venue.test", address: "192.0.2.1", at: start.addingTimeInterval(Double(attempt)))
        }
        #expect(throws: DomainError.tooManyAttempts(retryAfter: 1)) {
            try throttle.check(email: "b@venue.test", address: nil, at: start.addingTimeInterval(5))
        }
        // Another account from the same address is not blocked until the address's own allowance is spent.
        try throttle.check(email: "c@venue.test", address: "192.0.2.1", at: start.addingTimeInterval(5))
        throttle.succeeded(email: "b@venue.test")
        try throttle.check(email: "b@venue.test", address: nil, at: start.addingTimeInterval(5))
        for attempt in 0..<20 {
            throttle.failed(email: "user\(attempt)@venue.test", address: "192.0.2.9", at: start.addingTimeInterval(10))
        }
        try throttle.check(email: "new@venue.test", address: "192.0.2.9", at: start.addingTimeInterval(10))
        throttle.failed(email: "new@venue.test", address: "192.0.2.9", at: start.addingTimeInterval(10))
        #expect(throws: DomainError.self) { try throttle.check(email: "other@venue.test", address: "192.0.2.9", at: start.addingTimeInterval(10)) }
    }

    @Test func theAPIAnswers429WithRetryAfter() async throws {
        // The node's clock stands still, so the wait cannot pass while the test runs.
        let frozen = Date()
        try await TestNode.run(
            now: { frozen },
            { _, client in
                for _ in 0..<6 {
                    let wrong = try await client.call(.post, "/users/login", json: ["email": "olga@venue.test", "password": "guess"])
                    #expect(wrong.status == .unauthorized)
                }
                let blocked = try await client.call(.post, "/users/login", json: ["email": "olga@venue.test", "password": "organizer-pw"])
                #expect(blocked.status == .tooManyRequests)
                #expect(blocked.headers[.retryAfter] == "1")
                #expect(blocked.body["type"] == "/problems/too-many-attempts")
                #expect(blocked.body["retryAfter"] == 1)
                // Another account is not affected.
                let other = try await client.call(.post, "/users/login", json: ["email": "sam@venue.test", "password": "staff-pw-1"])
                #expect(other.status == .ok)
            }
        )
    }

    /// One wrong password at `now`, then the wait it leaves; `now` moves past that wait.
    private func guess(on throttle: LoginThrottle, at now: inout Date, into waits: inout [Int]) {
        throttle.failed(email: "d@venue.test", address: nil, at: now)
        do {
            try throttle.check(email: "d@venue.test", address: nil, at: now)
            waits.append(0)
        } catch let DomainError.tooManyAttempts(seconds) {
            waits.append(seconds)
            now = now.addingTimeInterval(Double(seconds))
        } catch {
            Issue.record(error)
        }
    }
}

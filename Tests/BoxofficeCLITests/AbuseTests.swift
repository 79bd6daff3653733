import BoxofficeTestSupport
import Foundation
import Testing

/// A real node under the abuse a box office meets on the internet. (A crowd of 20,000 stalled
/// clients is bench/idle-connections.sh: a debug build needs a minute or more to accept them; the cap
/// itself is tested with a small crowd in ServeCommandTests.)
@Suite struct AbuseTests {
    @Test func aPasswordGuesserIsAnswered429WithRetryAfter() async throws {
        let temporary = TemporaryDirectory("guesser")
        defer { temporary.remove() }
        let data = temporary.file("node")
        let made = try ChildProcess(
            "boxoffice",
            ["user", "add", "--data", data, "--email", "sam@venue.test", "--name", "Sam", "--password", "staff-pw-1", "--role", "staff"]
        )
        #expect(made.waitForExit() == 0, "\(made.standardError)")
        let node = try RunningNode(data: data)
        defer { node.stop() }
        let client = HTTPTestClient(port: node.port)
        // Five free guesses; then each wrong one makes the next wait (1, 2, 4 … s), so a guesser
        // that does not wait meets a 429 within a few more (however slow the machine is).
        var statuses: [Int] = []
        for attempt in 0..<12 where statuses.last != 429 {
            statuses.append(Int(try await guess(client, "guess-\(attempt)").status.code))
        }
        #expect(statuses.prefix(6) == [401, 401, 401, 401, 401, 401] && statuses.last == 429, "\(statuses)")
        // A guess refused with 429 does not count; the next one that is heard doubles the wait, so
        // guessing on reaches a wait of 8 s. Then even the right password waits its turn, told how
        // long. The node judged it no later than now, and the last 429 no earlier than its guess was
        // sent; Retry-After rounds up, so inside (wait - 1) s of that send it must refuse. A test
        // process starved for longer than that proves nothing: it tries again.
        var judged = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while judged == 0 && ContinuousClock.now < deadline {
            let (wait, asked) = try await guessUntilTold(toWait: 8, client, before: deadline)
            let answer = try await client.call(.post, "/users/login", json: ["email": "sam@venue.test", "password": "staff-pw-1"])
            guard ContinuousClock.now - asked < .seconds(wait - 1) else { continue }
            judged += 1
            #expect(answer.status == .tooManyRequests && answer.headers[.retryAfter].flatMap { Int($0) }.map { $0 >= 1 } == true, "\(answer.headers)")
        }
        #expect(judged == 1, "the right password was sent inside a wait of 8 s or more")
        #expect(node.process.standardError.contains("request refused"), "the refusal is logged")
    }

    /// Guesses wrong until a 429 says to wait at least `seconds`; returns that wait and when its guess was sent.
    private func guessUntilTold(
        toWait seconds: Int,
        _ client: HTTPTestClient,
        before deadline: ContinuousClock.Instant
    ) async throws -> (wait: Int, asked: ContinuousClock.Instant) {
        while ContinuousClock.now < deadline {
            let asked = ContinuousClock.now
            let answer = try await guess(client, "guess-again")
            if answer.status == .tooManyRequests, let wait = answer.headers[.retryAfter].flatMap({ Int($0) }), wait >= seconds {
                return (wait, asked)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (0, ContinuousClock.now)
    }

    private func guess(_ client: HTTPTestClient, _ password: String) async throws -> HTTPTestClient.Reply {
        try await client.call(.post, "/users/login", json: ["email": "sam@venue.test", "password": .string(password)])
    }
}

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
        // A guess refused with 429 does not count; the next one that is heard doubles the wait.
        // Keep guessing until the wait is long enough that the next request surely falls inside it.
        var wait = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while wait < 8 && ContinuousClock.now < deadline {
            let answer = try await guess(client, "guess-again")
            wait = answer.status == .tooManyRequests ? answer.headers[.retryAfter].flatMap { Int($0) } ?? 0 : wait
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(wait >= 8, "the wait doubles with each wrong guess heard after one")
        // Even the right password waits its turn, told how long.
        let refused = try await client.call(.post, "/users/login", json: ["email": "sam@venue.test", "password": "staff-pw-1"])
        #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter].flatMap { Int($0) }.map { $0 >= 1 } == true, "\(refused.headers)")
        #expect(node.process.standardError.contains("request refused"), "the refusal is logged")
    }

    private func guess(_ client: HTTPTestClient, _ password: String) async throws -> HTTPTestClient.Reply {
        try await client.call(.post, "/users/login", json: ["email": "sam@venue.test", "password": .string(password)])
    }
}

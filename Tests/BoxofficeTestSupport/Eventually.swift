import Foundation

/// Polls `condition` until it holds or `seconds` pass: awaiting a state, not sleeping for one.
public func eventually(within seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}

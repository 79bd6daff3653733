import Foundation
import Synchronization

/// A clock that tests move by hand, so expiry is tested without sleeping.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) {
        current = Mutex(start)
    }

    var now: @Sendable () -> Date { { [self] in current.withLock { $0 } } }

    func advance(minutes: Double) {
        current.withLock { $0.addTimeInterval(minutes * 60) }
    }
}

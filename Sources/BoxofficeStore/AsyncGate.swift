/// A lock held across awaits by one task at a time, granted in the order tasks asked: the
/// store's writer. It lives on its owner's actor and is used only there.
final class AsyncGate {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// How many tasks wait for the gate.
    var waitingCount: Int { waiting.count }

    /// Returns once the caller holds the gate.
    nonisolated(nonsending) func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the gate to the longest waiter, or opens it.
    func release() {
        if waiting.isEmpty {
            held = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

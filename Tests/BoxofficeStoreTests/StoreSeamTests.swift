import BoxofficeCore
import BoxofficeTestSupport
import Foundation
import Synchronization
import Testing

@testable import BoxofficeStore

/// The seam the services use (`VersionedStore`): what the stores guarantee through it.
@Suite struct StoreSeamTests {
    @Test func transactionsRunOneAtATimeEvenWhenABodyAwaits() async throws {
        try await withStore { _, store in
            try await store.put("counters", "c", body: JSONBody(encoding: ["value": 0]))
            let (released, release) = AsyncStream.makeStream(of: Void.self)
            let firstRead = Flag()
            let secondStarted = Flag()
            // The first body reads, then waits for the test before it writes its increment.
            let first = Task {
                try await store.transact { transaction in
                    let value = try await Self.value(in: transaction)
                    firstRead.set()
                    for await _ in released { break }
                    try await transaction.put("counters", "c", body: JSONBody(encoding: ["value": value + 1]))
                }
            }
            try #require(try await eventually { firstRead.isSet })
            let second = Task {
                try await store.transact { transaction in
                    secondStarted.set()
                    let value = try await Self.value(in: transaction)
                    try await transaction.put("counters", "c", body: JSONBody(encoding: ["value": value + 1]))
                }
            }
            // Either the second transaction queues behind the first, or (no gate) its body runs now.
            try #require(try await eventually { await store.transactionsWaiting == 1 || secondStarted.isSet })
            #expect(!secondStarted.isSet)
            release.yield()
            try await first.value
            try await second.value
            #expect(try await store.read { try await Self.value(in: $0) } == 2)  // no lost update
        }
    }

    @Test(arguments: StoreKind.underTest) func aTransactionUsedAfterItsBodyEndsThrowsAndWritesNothing(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let store = try await place.store()
            let escaped = Box()
            try await store.transact { transaction in escaped.transaction = transaction }
            let leaked = try #require(escaped.transaction)
            await #expect(throws: StoreError.closed) {
                try await leaked.put("tickets", "late", body: JSONBody(encoding: ["seat": 1]))
            }
            #expect(try await store.get("tickets", "late") == nil)
        }
    }

    @Test func bodiesRunOnTheStoresActor() async throws {
        try await withStore { _, store in
            // A body that left the actor would read the index while the actor writes it.
            try await store.transact { transaction in
                store.preconditionIsolated("a transaction body runs on the store's actor")
                _ = try await transaction.get("tickets", "a")
                store.preconditionIsolated("and stays there across the transaction's calls")
            }
            try await store.read { view in
                store.preconditionIsolated("a read body runs on the store's actor")
                _ = try await view.get("tickets", "a")
            }
        }
    }

    @Test(arguments: StoreKind.underTest) func aReadViewSeesWhatTransactionsWrote(_ kind: StoreKind) async throws {
        try await withStores(kind) { place in
            let store = try await place.store()
            try await store.transact { transaction in
                try await transaction.put("tickets", "a", body: JSONBody(encoding: ["seat": 1]))
                try await transaction.put("tickets", "b", body: JSONBody(encoding: ["seat": 2]))
            }
            let ids = try await store.read { view in try await view.documents(in: "tickets").map(\.id).sorted() }
            #expect(ids == ["a", "b"])
        }
    }

    private static nonisolated(nonsending) func value(in view: any StoreView) async throws -> Int {
        struct Counter: Decodable { var value: Int }
        return try #require(try await view.get("counters", "c")).body.decode(Counter.self).value
    }
}

/// A fact one task sets and another awaits.
private final class Flag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}

/// Holds a transaction past its body, as a buggy caller might.
private final class Box: @unchecked Sendable {
    var transaction: (any StoreTransaction)?
}

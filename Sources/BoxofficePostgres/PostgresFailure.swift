import BoxofficeStore
import PostgresNIO

/// The database's errors as the store's: a node answers 503 for them, never a 500, and the
/// text is PostgreSQL's own message (never the query's values, which may hold a document).
enum PostgresFailure {
    static func wrap<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as PSQLError {
            throw StoreError.database(describe(error))
        } catch let error as PostgresTransactionError {
            // What went wrong inside `withTransaction`: the body's own error, else the database's.
            switch error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
            case let inner as PSQLError: throw StoreError.database(describe(inner))
            case let inner?: throw inner
            case nil: throw StoreError.database("a transaction failed")
            }
        }
    }

    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

extension PostgresFailure {
    /// Runs `work`, or throws `StoreError.database` when it has not finished within `limit`
    /// (a database that is down leaves connection attempts waiting, not failing).
    static func within<T: Sendable>(
        _ limit: Duration,
        doing what: String,
        _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw StoreError.database("no answer within \(limit.components.seconds) s to \(what)")
            }
            return result
        }
    }
}

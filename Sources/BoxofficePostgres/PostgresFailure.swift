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
        } catch let error as PostgresDecodingError {
            throw StoreError.database("a column of \(error.postgresType) could not be read as \(error.targetType)")
        } catch let error as PostgresTransactionError {
            // What went wrong inside `withTransaction`: the body's own error, else the database's.
            switch error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
            case let inner as PSQLError: throw StoreError.database(describe(inner))
            case let inner?: throw inner
            case nil: throw StoreError.database("a transaction failed")
            }
        } catch  where String(reflecting: type(of: error)).hasPrefix("_ConnectionPoolModule.") {
            // The pool's own (shut down, no connection): the store is unavailable.
            throw StoreError.database("no connection: \(error)")
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

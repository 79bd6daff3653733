import BoxofficeCore
import Hummingbird

extension WebShell {
    /// Runs a form's `action`; when it fails for something the person typed, `again` renders the
    /// form again with the error (any other error becomes an error page).
    func submit(_ action: () async throws -> Response, again: (FormError) async throws -> Response) async throws -> Response {
        do {
            return try await action()
        } catch let error as DomainError {
            guard let failure = FormError(error) else { throw error }
            return try await again(failure)
        }
    }
}

import BoxofficeCore
import Hummingbird

/// A form that could not be done as asked, for something the person typed: the words to show by
/// the field at fault, and the status the page comes back with, the one the API answers the same
/// error with (`ProblemDetails`).
struct FormError: Sendable {
    let cause: DomainError
    let message: String
    /// The field the error names, if it names one.
    let field: String?
    let status: HTTPResponse.Status

    /// nil when `error` is not about what the person typed.
    init?(_ error: DomainError) {
        guard let message = error.fieldMessage else { return nil }
        let problem = ProblemDetails(error, instance: nil)
        cause = error
        self.message = message
        field = problem.field
        status = problem.httpStatus
    }

    /// The message by its field; by `fallback` when it names none, or one the form does not show.
    func errors(default fallback: String, shown: Set<String>? = nil) -> [String: String] {
        guard let field, shown?.contains(field) ?? true else { return [fallback: message] }
        return [field: message]
    }
}

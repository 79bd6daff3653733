import BoxofficeCore

extension DomainError {
    /// What to show next to a form's field when a request cannot be done as asked; nil for errors
    /// that are not about what the person typed (they get an error page).
    var fieldMessage: String? {
        switch self {
        case .invalidField, .emailTaken, .notEnoughSeats, .eventCancelled, .invalidCredentials, .holdExpired, .holdReleased, .holdConfirmed,
            .duplicateAccount, .alreadyCheckedIn, .ticketNotValid, .holdOnAnotherNode, .tooManyAttempts, .conflictsWithState, .unprocessable:
            ProblemDetails(self, instance: nil).detail
        default: nil
        }
    }
}

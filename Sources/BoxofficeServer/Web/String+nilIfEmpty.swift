extension String {
    /// nil for "", as an absent form field or cookie reads.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

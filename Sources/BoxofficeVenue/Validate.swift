package import BoxofficeCore
import Foundation

/// Field checks shared by the services; each failure names the field.
package enum Validate {
    /// Trimmed, non-empty text of at most `maxLength` characters.
    package static func text(_ value: String, field: String, maxLength: Int) throws(DomainError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidField(field, "\(field) must not be empty") }
        // Characters as JSON Schema counts them (code points), so the OpenAPI bounds say the same.
        guard trimmed.unicodeScalars.count <= maxLength else { throw .invalidField(field, "\(field) must be at most \(maxLength) characters") }
        try printable(trimmed, field: field)
        return trimmed
    }

    /// An optional text field: blank (or absent) is none, as a form's empty field sends it;
    /// anything else is checked as `text`.
    package static func optionalText(_ value: String?, field: String, maxLength: Int) throws(DomainError) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try text(value, field: field, maxLength: maxLength)
    }

    /// Text with no control characters but line breaks and tabs, else a 400 naming the field.
    static func printable(_ value: String, field: String) throws(DomainError) {
        // Invariant: stored text has no control characters but line breaks and tabs (a NUL in a
        // name would reach every page and file that shows it).
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) else {
            throw .invalidField(field, "\(field) must not contain control characters")
        }
    }

    /// A currency as ISO 4217 writes it, three letters, upper-cased ("eur" is EUR); else a 400.
    package static func currency(_ value: String) throws(DomainError) -> String {
        let currency = value.uppercased()
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw .invalidField("currency", "currency must be a three-letter ISO 4217 code such as EUR")
        }
        return currency
    }

    /// An id from a path or a body: a valid identifier, else a 400 naming the field.
    package static func id(_ value: String, field: String) throws(DomainError) -> String {
        guard Identifier.isValid(value) else { throw .invalidField(field, "\(field) is not a valid id") }
        return value
    }
}

package import BoxofficeCore
import Foundation

extension DomainError {
    /// Says which field of a request body is wrong, in words a client developer can act on.
    package init(decoding error: DecodingError) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = path(context.codingPath + [key])
            self = .invalidField(field, "\(field) is required")
        case let .typeMismatch(type, context):
            let field = path(context.codingPath)
            self = .invalidField(field.isEmpty ? "body" : field, "\(field.isEmpty ? "the body" : field) must be \(Self.describe(type))")
        case let .valueNotFound(type, context):
            let field = path(context.codingPath)
            self =
                field.isEmpty
                ? .invalidField("body", "the body must be a JSON object, not null")
                : .invalidField(field, "\(field) must be \(Self.describe(type)), not null")
        case let .dataCorrupted(context):
            let field = path(context.codingPath)
            if field.isEmpty {
                self = .invalidField("body", "the body is not valid JSON")
            } else if context.debugDescription.hasPrefix("Cannot initialize"),
                let value = context.debugDescription.components(separatedBy: "value ").last
            {
                self = .invalidField(field, "\(field) cannot be \(value) (see /openapi.yaml for the values it takes)")
            } else {
                self = .invalidField(field, "\(field) is invalid: \(context.debugDescription)")
            }
        @unknown default:
            self = .invalidField("body", "the body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type, is Decimal.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "an ISO 8601 date"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "an array" : name.hasPrefix("Dictionary") ? "an object" : "a valid \(name)"
        }
    }
}

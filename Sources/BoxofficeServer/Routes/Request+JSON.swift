import BoxofficeCore
import Foundation
import Hummingbird

extension Request {
    /// Decodes the JSON body with the Boxoffice configuration. Malformed JSON, a missing field or a
    /// wrong type is a 400 that names the field; a body over the context's limit is a 413.
    /// `decoder` reads dates the venue API's way unless a route says otherwise.
    mutating func decodeJSON<T: Decodable>(
        _ type: T.Type,
        context: some RequestContext,
        decoder: JSONDecoder = JSONCoding.makeDecoder()
    ) async throws -> T {
        let buffer = try await collectBody(upTo: context.maxUploadSize)
        let body = Data(buffer.readableBytesView)
        do {
            return try decoder.decode(T.self, from: body)
        } catch let error as DecodingError {
            // The decoder says "not valid JSON", naming no field, for valid JSON with a number a
            // field cannot take (1.5 or 1e20 where a count goes): say that instead.
            if case let .dataCorrupted(context) = error, context.codingPath.isEmpty, (try? JSONSerialization.jsonObject(with: body)) != nil {
                throw DomainError.invalidField(
                    "body",
                    "a number in the body does not fit its field: counts are whole numbers, and every number has a maximum (see /openapi.yaml)"
                )
            }
            throw DomainError(decoding: error)
        }
    }

    /// Like `decodeJSON`, for a body the client may leave out: no body gives `absent`.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext, absent: T) async throws -> T {
        let declared = headers[.contentLength].flatMap(Int.init) ?? 0
        return declared > 0 ? try await decodeJSON(type, context: context) : absent
    }

    /// The `limit` query parameter: a whole number from 1 to `max`, `default` when absent.
    func limit(default value: Int, max: Int) throws(DomainError) -> Int {
        try query("limit", "a whole number from 1 to \(max)") { Int($0).flatMap { (1...max).contains($0) ? $0 : nil } } ?? value
    }

    /// A query parameter parsed by `parse`, or nil when absent; a value that does not parse is a 400.
    func query<T>(_ name: String, _ what: String, _ parse: (String) -> T?) throws(DomainError) -> T? {
        guard let text = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard let value = parse(text) else { throw .invalidField(name, "\(name) must be \(what)") }
        return value
    }
}

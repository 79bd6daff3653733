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
            // JSON Schema counts 8.0 as an integer, and so does the OpenAPI document; Foundation's
            // decoder does not. Only a body that failed is rewritten, so a sale pays nothing for it.
            if let rewritten = Self.integralNumbersAsIntegers(body), let value = try? decoder.decode(T.self, from: rewritten) {
                return value
            }
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

    /// `body` with every number outside strings that has a fraction or exponent but a whole value
    /// in Int64's range (`8.0`, `1e3`) written as an integer; nil when there is none.
    private static func integralNumbersAsIntegers(_ body: Data) -> Data? {
        let bytes = Array(body)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var changed = false
        var i = 0
        var inString = false
        while i < bytes.count {
            let byte = bytes[i]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    out.append(bytes[i + 1])
                    i += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                i += 1
                continue
            }
            guard byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                inString = byte == UInt8(ascii: "\"")
                out.append(byte)
                i += 1
                continue
            }
            let start = i
            while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
            let token = bytes[start..<i]
            if token.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
                let value = Decimal(string: String(decoding: token, as: UTF8.self)), value == value.wholePart,
                value.magnitude < Decimal(Int64.max)
            {
                out += "\(value.wholePart)".utf8
                changed = true
            } else {
                out += token
            }
        }
        return changed ? Data(out) : nil
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

    /// A query parameter parsed by `parse`, or nil when absent, or when empty if `emptyIsAbsent`
    /// (`?from=` as a form sends an empty field); a value that does not parse is a 400.
    func query<T>(_ name: String, _ what: String, emptyIsAbsent: Bool = false, _ parse: (String) -> T?) throws(DomainError) -> T? {
        guard let text = uri.queryParameters[Substring(name)].map(String.init), !(emptyIsAbsent && text.isEmpty) else { return nil }
        guard let value = parse(text) else { throw .invalidField(name, "\(name) must be \(what)") }
        return value
    }
}

extension Decimal {
    /// The nearest whole number: the value itself when it is one.
    fileprivate var wholePart: Decimal {
        var value = self
        var whole = Decimal()
        NSDecimalRound(&whole, &value, 0, .plain)
        return whole
    }
}

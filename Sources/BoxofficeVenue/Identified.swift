package import BoxofficeCore

/// A document body with its id, encoded as one flat JSON object: `{"id": …, <fields of value>}`.
package struct Identified<Value: Encodable & Sendable>: Encodable, Sendable {
    package let id: String
    package let value: Value

    private enum CodingKeys: String, CodingKey { case id }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try value.encode(to: encoder)
    }
}

extension Identified where Value: Decodable {
    /// A document's body decoded as `Value`, with the document's id.
    package init(decoding document: Document) throws {
        self.init(id: document.id, value: try document.body.decode(Value.self))
    }
}

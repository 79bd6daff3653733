/// The one validator for every name that becomes part of a path or a version: document ids,
/// collection names and node ids. Its alphabet has no '/', '.' or NUL, so a valid name can never
/// leave the directory it is joined to.
public enum Identifier {
    public static let maxLength = 64

    /// Whether `value` matches `[A-Za-z0-9_-]{1,64}`.
    public static func isValid(_ value: some StringProtocol) -> Bool {
        let bytes = value.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy(isAllowed)
    }

    /// - Throws: `DocumentError.invalidIdentifier` naming `field` when `value` is not valid.
    public static func validate(_ value: String, field: String) throws(DocumentError) {
        guard isValid(value) else { throw .invalidIdentifier(field: field, value: value) }
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

extension Identifier {
    /// Crockford's base-32 alphabet: no I, L, O or U, so codes read aloud or typed survive.
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A fresh random identifier `<prefix>-<random>`, with 100 random bits: unique without coordination.
    public static func random(prefix: String) -> String {
        prefix + "-" + randomCode(length: 20).lowercased()
    }

    /// `length` random base-32 characters (5 bits each) from the system's secure generator.
    public static func randomCode(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<length).map { _ in alphabet[Int(generator.next() % 32)] }, as: UTF8.self)
    }
}

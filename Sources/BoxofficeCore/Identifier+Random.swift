extension Identifier {
    /// Crockford's base-32 alphabet: no I, L, O or U, so codes read aloud or typed survive.
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A fresh random identifier `<prefix>-<random>`, with 100 random bits: unique without coordination.
    public static func random(prefix: String) -> String {
        prefix + "-" + randomCode(length: 20).lowercased()
    }

    /// `length` random base-32 characters (5 bits each) from the system's secure generator,
    /// twelve characters per 64-bit draw (each draw is a system call).
    public static func randomCode(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bits: UInt64 = 0
        var available = 0
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        for _ in 0..<length {
            if available < 5 {
                bits = generator.next()
                available = 64
            }
            characters.append(alphabet[Int(bits & 31)])
            bits >>= 5
            available -= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

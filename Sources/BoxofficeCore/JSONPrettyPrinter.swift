/// Re-indents compact JSON without parsing values, so numbers and strings keep their exact bytes.
/// Empty objects and arrays stay on one line as `{}` and `[]`.
public enum JSONPrettyPrinter {
    public static func format(_ json: [UInt8], indent: Int = 2) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        var index = 0

        func newline() {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
        }
        func nextSignificant(after position: Int) -> UInt8? {
            var next = position + 1
            while next < json.count, isWhitespace(json[next]) { next += 1 }
            return next < json.count ? json[next] : nil
        }

        while index < json.count {
            let byte = json[index]
            defer { index += 1 }
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                out.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                let closer = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if nextSignificant(after: index) == closer {
                    // Empty container: emit it whole and skip to its closer.
                    while json[index] != closer { index += 1 }
                    out.append(closer)
                } else {
                    depth += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline()
            case UInt8(ascii: ":"):
                out.append(byte)
                out.append(UInt8(ascii: " "))
            default:
                if !isWhitespace(byte) { out.append(byte) }
            }
        }
        return out
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}

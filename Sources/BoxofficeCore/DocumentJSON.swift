/// The JSON form of a document envelope, written by hand so that the body's canonical bytes
/// pass through untouched and equal documents always render to equal bytes:
///
///     {"collection":"events","id":"e1","version":{"hlc":"0193...","node":"venue-a"},
///      "history":[{"hlc":"…","node":"…"}],"deleted":false,"body":{…}}
///
/// Collections, ids and node names are identifiers (no characters that need escaping), so no
/// string in the envelope is ever escaped.
public enum DocumentJSON {
    /// Compact form, for the wire.
    public static func compact(_ document: Document) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(document.body.bytes.count + 160 + document.history.count * 48)
        out += #"{"collection":""#.utf8
        out += document.collection.utf8
        out += #"","id":""#.utf8
        out += document.id.utf8
        out += #"","version":"#.utf8
        appendVersion(document.version, to: &out)
        out += #","history":["#.utf8
        for (index, version) in document.history.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendVersion(version, to: &out)
        }
        out += #"],"deleted":"#.utf8
        out += (document.deleted ? "true" : "false").utf8
        out += #","body":"#.utf8
        out += document.body.bytes
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Indented form, for the document files people read; ends with a newline.
    public static func pretty(_ document: Document) -> [UInt8] {
        var out = JSONPrettyPrinter.format(compact(document))
        out.append(UInt8(ascii: "\n"))
        return out
    }

    private static func appendVersion(_ version: Version, to out: inout [UInt8]) {
        out += #"{"hlc":""#.utf8
        out += version.hlc.description.utf8
        out += #"","node":""#.utf8
        out += version.node.utf8
        out += #""}"#.utf8
    }
}

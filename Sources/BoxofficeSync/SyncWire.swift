public import BoxofficeCore

/// The JSON bodies of the sync endpoints (sync-spec.md, section 6), written and read by hand so
/// that document bodies travel as their exact bytes.
///
///     changes:  {"versions":[<document>,…],"next":<seq>,"complete":<bool>}
///     versions: {"versions":[<document>,…],"checkpoint":{"peer":<node>,"seq":<seq>,"restart":true}}
///               (checkpoint optional; restart only in a run from the start)
public enum SyncWire {
    public static func encode(_ page: ChangesPage) -> [UInt8] {
        var out = versionsArray(page.versions)
        out += #","next":"#.utf8
        out += String(page.next).utf8
        out += #","complete":"#.utf8
        out += (page.complete ? "true" : "false").utf8
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func encode(_ versions: [Document], checkpoint: Checkpoint?) -> [UInt8] {
        var out = versionsArray(versions)
        if let checkpoint {
            out += #","checkpoint":{"peer":""#.utf8
            out += checkpoint.peer.utf8
            out += #"","seq":"#.utf8
            out += String(checkpoint.seq).utf8
            if checkpoint.restart == true { out += #","restart":true"#.utf8 }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func decodeChanges(_ bytes: [UInt8]) throws -> ChangesPage {
        var page = ChangesPage(versions: [], next: 0, complete: false)
        var scanner = JSONScanner(bytes)
        try scanner.object { key, value in
            switch key {
            case "versions": page.versions = try documents(&value)
            case "next": page.next = try value.unsigned()
            case "complete": page.complete = try value.bool()
            default: _ = try value.rawValue()
            }
        }
        return page
    }

    public static func decodeVersions(_ bytes: [UInt8]) throws -> (versions: [Document], checkpoint: Checkpoint?) {
        var versions: [Document]?
        var checkpoint: Checkpoint?
        var scanner = JSONScanner(bytes)
        try scanner.object { key, value in
            switch key {
            case "versions": versions = try documents(&value)
            case "checkpoint":
                var peer = ""
                var seq: UInt64?
                var restart: Bool?
                try value.object { key, value in
                    switch key {
                    case "peer": peer = try value.string()
                    case "seq": seq = try value.unsigned()
                    case "restart": restart = try value.bool()
                    default: _ = try value.rawValue()
                    }
                }
                try Identifier.validate(peer, field: "checkpoint.peer")
                guard let seq else { throw SyncError.badRequest("checkpoint.seq is required: the feed position the batch reaches") }
                checkpoint = Checkpoint(peer: peer, seq: seq, restart: restart)
            default: _ = try value.rawValue()
            }
        }
        guard let versions else { throw SyncError.badRequest("the batch has no \"versions\" array") }
        return (versions, checkpoint)
    }

    /// One document envelope on its own (sync-spec.md, section 1), as `boxoffice store export`
    /// writes them a line each.
    public static func decodeDocument(_ bytes: [UInt8]) throws -> Document {
        var scanner = JSONScanner(bytes)
        return try document(&scanner)
    }

    private static func versionsArray(_ versions: [Document]) -> [UInt8] {
        var out = Array(#"{"versions":["#.utf8)
        out.reserveCapacity(versions.reduce(64) { $0 + $1.body.bytes.count + 160 })
        for (index, document) in versions.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += DocumentJSON.compact(document)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    private static func documents(_ scanner: inout JSONScanner) throws -> [Document] {
        var documents: [Document] = []
        try scanner.array { element in documents.append(try document(&element)) }
        return documents
    }

    /// One document envelope (sync-spec.md, section 1); names are checked by the merge.
    private static func document(_ scanner: inout JSONScanner) throws -> Document {
        var collection: String?
        var id: String?
        var version: Version?
        var history: [Version]?
        var deleted: Bool?
        var body: JSONBody?
        try scanner.object { key, value in
            switch key {
            case "collection": collection = try value.string()
            case "id": id = try value.string()
            case "version": version = try self.version(&value)
            case "history":
                var versions: [Version] = []
                try value.array { element in versions.append(try self.version(&element)) }
                history = versions
            case "deleted": deleted = try value.bool()
            case "body":
                let raw = try value.rawValue()
                guard raw.first == UInt8(ascii: "{") else { throw DocumentError.bodyNotAnObject }
                body = JSONBody(unchecked: Array(raw))
            default: _ = try value.rawValue()
            }
        }
        // Invariant: every envelope field is present (sync-spec.md, section 1): a version that
        // left out `deleted` or `history` is refused, not read as a live document with no past.
        guard let collection, let id, let version, let history, let deleted, let body else {
            throw JSONScanner.Malformed(offset: scanner.offset, expected: "collection, id, version, history, deleted and body in every version")
        }
        return Document(collection: collection, id: id, version: version, history: history, deleted: deleted, body: body)
    }

    private static func version(_ scanner: inout JSONScanner) throws -> Version {
        var hlc: HLC?
        var node: String?
        try scanner.object { key, value in
            switch key {
            case "hlc":
                let text = try value.string()
                guard let parsed = HLC(text) else { throw JSONScanner.Malformed(offset: value.offset, expected: "an hlc of 16 hex digits") }
                hlc = parsed
            case "node": node = try value.string()
            default: _ = try value.rawValue()
            }
        }
        guard let hlc, let node else { throw JSONScanner.Malformed(offset: scanner.offset, expected: "hlc and node in a version") }
        return Version(hlc: hlc, node: node)
    }
}

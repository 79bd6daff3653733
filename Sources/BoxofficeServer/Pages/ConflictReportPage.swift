import BoxofficeCore
import Foundation

/// The conflict report as a page: counts by kind, a filter, and every conflict with both
/// sides side by side, the fields that differ highlighted, and forms to acknowledge or resolve.
struct ConflictReportPage {
    let node: String
    let token: String
    let filter: ConflictService.Filter
    let conflicts: [Identified<ConflictRecord>]
    let counts: [String: Int]
    /// The version that stands now, per conflict id, when the document still exists.
    let standing: [String: Document]
    let now: Date

    func render() -> String {
        var body = "<p>Node <strong>\(HTML.escape(node))</strong>. Decisions the merges made while venues were apart.</p>"
        body += "<p class=\"counts\">"
        body += counts.isEmpty ? "<span>no conflicts</span>" : counts.sorted { $0.key < $1.key }.map { "<span>\(HTML.escape($0.key)): \($0.value)</span>" }.joined()
        body += "</p>" + filterForm() + "<table><thead><tr><th>Kind</th><th>Event</th><th>What happened</th><th>Outcome</th><th>Age</th><th>State</th></tr></thead><tbody>"
        for conflict in conflicts { body += row(conflict) }
        body += "</tbody></table>"
        return HTML.page(title: "Conflict report", body: body)
    }

    private func filterForm() -> String {
        func options(_ values: [String], selected: String?) -> String {
            (["" ] + values).map { value in
                "<option value=\"\(HTML.escape(value))\"\(value == (selected ?? "") ? " selected" : "")>\(value.isEmpty ? "any" : HTML.escape(value))</option>"
            }.joined()
        }
        return """
            <form method="get" action="/conflicts"><input type="hidden" name="token" value="\(HTML.escape(token))">
            <label>Kind <select name="kind">\(options(["concurrent-edit", "double-check-in", "duplicate-email"], selected: filter.kind))</select></label>
            <label>State <select name="state">\(options(["open", "acknowledged", "resolved"], selected: filter.state?.rawValue))</select></label>
            <label>Event <input name="eventId" value="\(HTML.escape(filter.eventId ?? ""))" size="24"></label>
            <button type="submit">Filter</button></form><p></p>
            """
    }

    private func row(_ conflict: Identified<ConflictRecord>) -> String {
        let record = conflict.value
        let seconds = Int(max(0, now.timeIntervalSince(record.detectedAt)))
        let age = seconds < 3_600 ? "\(seconds / 60) min" : seconds < 86_400 ? "\(seconds / 3_600) h" : "\(seconds / 86_400) d"
        var html = "<tr><td>\(HTML.escape(record.kind))</td><td>\(HTML.escape(record.eventId ?? "–"))</td>"
        html += "<td>\(HTML.escape(record.collection))/\(HTML.escape(record.documentId))"
        if !record.differingFields.isEmpty { html += " — differs in \(HTML.escape(record.differingFields.joined(separator: ", ")))" }
        html += "</td><td>\(HTML.escape(record.rule)): \(HTML.escape(record.winner)) stands over \(HTML.escape(record.loser))</td>"
        html += "<td>\(age)</td><td class=\"state-\(record.state.rawValue)\">\(record.state.rawValue)"
        if let note = record.note { html += "<br><small>\(HTML.escape(note))</small>" }
        html += "</td></tr><tr><td colspan=\"6\"><details\(record.state == .open ? " open" : "")><summary>Both sides and actions</summary>\(sides(conflict))\(actions(conflict.id))</details></td></tr>"
        return html
    }

    private func sides(_ conflict: Identified<ConflictRecord>) -> String {
        let record = conflict.value
        // The loser is kept as its whole document envelope; its fields are those of its body.
        let envelope = JSONBody(unchecked: Array(record.loserDocument.utf8)).fieldTexts()
        let lost = envelope["body"].map { JSONBody(unchecked: Array($0.utf8)).fieldTexts() } ?? envelope
        let stands = standing[conflict.id]?.body.fieldTexts() ?? [:]
        func column(_ title: String, _ fields: [String: String]) -> String {
            let rows = fields.keys.sorted().map { key in
                let highlight = record.differingFields.contains(key) ? " class=\"diff\"" : ""
                return "<tr\(highlight)><th>\(HTML.escape(key))</th><td>\(HTML.escape(fields[key]!))</td></tr>"
            }.joined()
            return "<div class=\"side\"><h3>\(title)</h3><table>\(rows)</table></div>"
        }
        return "<div class=\"sides\">\(column("Stands", stands))\(column("Lost", lost))</div>"
    }

    private func actions(_ id: String) -> String {
        let token = HTML.escape(token)
        return """
            <form class="inline" method="post" action="/conflicts/\(HTML.escape(id))/acknowledge"><input type="hidden" name="token" value="\(token)"><button>Acknowledge</button></form>
            <form class="inline" method="post" action="/conflicts/\(HTML.escape(id))/resolve"><input type="hidden" name="token" value="\(token)">
            <label>Note <input name="note" size="30"></label><button>Resolve</button></form>
            """
    }
}

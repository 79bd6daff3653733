/// Builds server-rendered HTML; every piece of text goes through `escape`.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A whole page: no external assets, readable without JavaScript, usable on a phone.
    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{background:#1d3557;color:#fff;padding:.8rem 1.2rem}header h1{margin:0;font-size:1.3rem}
        main{padding:1rem 1.2rem;max-width:80rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #ddd;padding:.45rem;text-align:left;vertical-align:top}
        .counts span{display:inline-block;margin:0 .6rem .4rem 0;padding:.2rem .6rem;border-radius:1rem;background:#e9eef6}
        .sides{display:flex;gap:1rem;flex-wrap:wrap}.side{flex:1 1 18rem;background:#fff;border:1px solid #ccc;padding:.5rem}
        .diff{background:#ffe08a;font-weight:600}.state-open{color:#b00020;font-weight:600}
        form.inline{display:inline}button,input,select{font:inherit;padding:.3rem .5rem}
        :focus{outline:3px solid #e76f51;outline-offset:2px}.error{color:#b00020}label{margin-right:.5rem}
        </style></head><body>
        <header><h1>\(escape(title))</h1></header>
        <main>\(body)</main>
        </body></html>
        """
    }
}

/// Reading split hash fields from one flat JSON object, e.g. a `hashport phc` input line:
/// `{"password_hash":"…","password_hash_type":"pbkdf2","password_salt":"…","password_iterations":600000}`.
/// Keys are matched case-insensitively, ignoring `_` and `-`, with the aliases of descope-export.md;
/// unknown keys are ignored. Values may be strings, numbers or null.
extension SplitHashFields {
    public init(json text: String) throws(HashProblem) {
        guard text.utf8.count <= HashDetector.maximumJSONLength else { throw .tooLong(HashDetector.maximumJSONLength) }
        try self.init(members: try HashJSON.parseObject(text))
    }

    /// From the members of a parsed object whose values are all scalars.
    init(members: [HashJSONMember]) throws(HashProblem) {
        self.init()
        for member in members {
            let key = member.key, json = member.value
            if case .null = json { continue }
            guard let value = json.scalarText else {
                throw HashProblem("bad_json", "The hash field '\(key.prefix(40))' holds a JSON \(json.kindName); a split hash field is a string or a number.")
            }
            switch Self.canonicalKey(key) {
            case "hash": hash = value
            case "type": type = value
            case "salt": salt = value
            case "iterations": iterations = value
            case "memory": memory = value
            case "threads": threads = value
            case "digest": digest = value
            case "signerKey": signerKey = value
            case "saltSeparator": saltSeparator = value
            default: break
            }
        }
    }

    static func canonicalKey(_ key: String) -> String? {
        var k = ""
        for c in key.unicodeScalars where c != "_" && c != "-" && c != " " { k.unicodeScalars.append(c.properties.lowercaseMapping.unicodeScalars.first ?? c) }
        switch k {
        case "passwordhash", "hash", "hashedpassword": return "hash"
        case "passwordhashtype", "hashtype", "hashalgorithm", "algorithm": return "type"
        case "passwordsalt", "salt": return "salt"
        case "passworditerations", "iterations", "rounds", "timecost": return "iterations"
        case "passwordmemory", "memory", "memcost": return "memory"
        case "passwordthreads", "threads", "parallelism": return "threads"
        case "passworddigest", "digest", "variant", "type": return "digest"
        case "passwordsignerkey", "signerkey": return "signerKey"
        case "passwordsaltseparator", "saltseparator": return "saltSeparator"
        default: return nil
        }
    }
}

/// Which field of a support CSV holds which column: the header row resolved through the alias table and
/// the user's `--map` overrides. Inspect and convert can read fields by index from `CSVReader` with it.
public struct CSVColumnLayout: Sendable, Hashable {
    /// The header row as written (guard `'` and BOM removed).
    public let headers: [String]
    /// Field index of each recognised column.
    public private(set) var fieldIndex: [ExportColumn: Int] = [:]
    /// `customAttributes.<key>` columns: attribute key and field index.
    public private(set) var customAttributeFields: [CustomAttributeField] = []
    /// `hashedPassword.<kind>.<field>` columns (Descope's hash object flattened by a JSON-to-CSV tool).
    public private(set) var hashObjectFields: [HashObjectField] = []
    /// Headers that mean nothing known (reported once, never fatal).
    public private(set) var unknownHeaders: [String] = []
    /// Headers that repeat a column already taken by an earlier header (the first one wins).
    public private(set) var duplicateHeaders: [String] = []

    public struct CustomAttributeField: Sendable, Hashable {
        public var key: String
        public var index: Int
    }

    public struct HashObjectField: Sendable, Hashable {
        /// The kind and field as the header writes them, lower-cased without separators (`argon2`, `saltseparator`).
        public var kind: String
        public var field: String
        public var index: Int
    }

    /// Resolves `headers`; `overrides` maps a column name (canonical or alias, or `customAttributes.<key>`)
    /// to the header that holds it and wins over the alias table.
    public init(path: String, headers: [String], overrides: [String: String] = [:]) throws(ExportError) {
        self.headers = headers
        var taken = Set<Int>()
        var custom: [String: Int] = [:]
        for (key, header) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let index = headers.firstIndex(of: header)
                ?? headers.firstIndex(where: { ExportColumn.normalise($0) == ExportColumn.normalise(header) }) else {
                throw .mappedHeaderMissing(path: path, column: key, header: header, available: headers)
            }
            if let attribute = Self.customAttributeKey(key) {
                custom[attribute] = index
            } else if let column = ExportColumn.named(key) {
                fieldIndex[column] = index
            } else {
                throw .unknownMappingKey(key)
            }
            taken.insert(index)
        }
        for (index, header) in headers.enumerated() where !taken.contains(index) {
            if let (kind, field) = Self.hashObjectKey(header) {
                if hashObjectFields.contains(where: { $0.kind == kind && $0.field == field }) { duplicateHeaders.append(header) }
                else { hashObjectFields.append(HashObjectField(kind: kind, field: field, index: index)) }
            } else if let attribute = Self.customAttributeKey(header) {
                if custom[attribute] == nil { custom[attribute] = index } else { duplicateHeaders.append(header) }
            } else if let column = ExportColumn.matching(header: header) {
                if fieldIndex[column] == nil { fieldIndex[column] = index } else { duplicateHeaders.append(header) }
            } else if !header.trimmingSpaces.isEmpty || headers.count > 1 {
                unknownHeaders.append(header)
            }
        }
        // A `password` column is the has-a-password flag when a real hash column exists.
        customAttributeFields = custom.map { CustomAttributeField(key: $0.key, index: $0.value) }
            .sorted { $0.index < $1.index }
        if fieldIndex.isEmpty && customAttributeFields.isEmpty && hashObjectFields.isEmpty {
            throw .noHeader(path: path, firstRow: headers)
        }
    }

    public subscript(column: ExportColumn) -> Int? { fieldIndex[column] }

    /// Recognised columns in header order: (column, header as written).
    public var recognised: [(column: ExportColumn, header: String)] {
        fieldIndex.sorted { $0.value < $1.value }.map { ($0.key, headers[$0.value]) }
    }

    /// `hashedPassword.argon2.salt`, `hashed_password_argon2_salt`, `hashedPassword/firebase/saltSeparator`: the
    /// `hashedPassword` prefix, one word naming the kind, the field after it — as (kind, field), normalised.
    /// Which kinds and fields exist is PasswordHashes' to say (a wrong one is a problem on the rows that fill it).
    static func hashObjectKey(_ header: String) -> (kind: String, field: String)? {
        var words: [String] = []
        var word = ""
        var s = Substring(header)
        if s.hasPrefix("\u{FEFF}") { s = s.dropFirst() }
        for c in s.unicodeScalars {
            if c == "." || c == "_" || c == "-" || c == "/" || c == " " || c == "[" || c == "]" {
                if !word.isEmpty { words.append(word); word = "" }
            } else {
                word.unicodeScalars.append((65...90).contains(c.value) ? Unicode.Scalar(UInt8(c.value + 32)) : c)
            }
        }
        if !word.isEmpty { words.append(word) }
        let prefix = words.first == "hashedpassword" ? 1 : words.count >= 2 && words[0] == "hashed" && words[1] == "password" ? 2 : 0
        guard prefix > 0, words.count >= prefix + 2 else { return nil }
        return (words[prefix], words[(prefix + 1)...].joined())
    }

    /// `customAttributes.<key>` (any case/spacing of the prefix) → key as written.
    static func customAttributeKey(_ header: String) -> String? {
        guard let dot = header.firstIndex(of: ".") else { return nil }
        let prefix = ExportColumn.normalise(String(header[..<dot]))
        guard prefix == "customattributes" || prefix == "customattribute" || prefix == "custom" else { return nil }
        let key = String(header[header.index(after: dot)...]).trimmingSpaces
        return key.isEmpty ? nil : key
    }
}

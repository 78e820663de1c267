/// How a shape's WorkOS string is made from a row's bytes without the detector: literal text (the prefix and the
/// parameters, the same for every row of the shape) and the row's variable parts, re-encoded as standard base64.
/// Made from the shape's first row and kept only if it writes exactly what the detector wrote for that row.
struct HashShapeTemplate {
    enum Segment {
        case literal([UInt8])
        /// The row's part, decoded from the shape's class of that part, as standard base64.
        case part(HashParts.Index, padded: Bool)
        /// The row's part exactly as it is.
        case copy(HashParts.Index)
    }

    var segments: [Segment]

    func render(_ parts: HashParts, classes: HashParts.Classes, tables: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        for segment in segments {
            switch segment {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .copy(let i): out.append(contentsOf: parts[i])
            case .part(let i, let padded):
                if !parts[i].isEmpty { classes[i].byteClass.appendStandardBase64(parts[i], padded: padded, tables: tables, to: &out) }
            }
        }
    }

    /// The template for a recognised hash, from what its family's WorkOS form is made of; nil when none applies.
    static func make(for h: PasswordHash, whole: Bool) -> HashShapeTemplate? {
        func text(_ s: String) -> Segment { .literal(Array(s.utf8)) }
        switch h.family {
        case .bcrypt:
            return whole ? HashShapeTemplate(segments: [.copy(.whole)]) : nil
        case .argon2:
            guard let v = h.param("v"), let m = h.param("m"), let t = h.param("t"), let p = h.param("p") else { return nil }
            return HashShapeTemplate(segments: [text("$\(h.variant)$v=\(v)$m=\(m),t=\(t),p=\(p)$"), .part(.salt, padded: false),
                                                text("$"), .part(.digest, padded: false)])
        case .pbkdf2:
            guard let i = h.param("i") else { return nil }
            return HashShapeTemplate(segments: [text("$pbkdf2$i=\(i),d=\(h.variant)$"), .part(.salt, padded: false), text("$"),
                                                .part(.digest, padded: false)])
        case .firebaseScrypt:
            guard let r = h.param("r"), let m = h.param("m") else { return nil }
            return HashShapeTemplate(segments: [text("$firebase-scrypt$hash="), .part(.digest, padded: true), text("$salt="),
                                                .part(.salt, padded: true), text("$sk="), .part(.signerKey, padded: true),
                                                text("$ss="), .part(.saltSeparator, padded: true), text("$r=\(r)$m=\(m)")])
        default:
            return nil
        }
    }
}

/// The variable parts of one row's hash the shape cache found: spans of the row's own bytes.
struct HashParts {
    enum Index: Int, CaseIterable { case salt, digest, signerKey, saltSeparator, whole }

    private var spans = PerPart(repeating: HashFieldBytes.none)

    subscript(i: Index) -> UnsafeRawBufferPointer {
        get { spans[i] }
        set { spans[i] = newValue }
    }

    /// How the detector reads each part, and the decoded size it had on the shape's first row: a plain value (the
    /// per-row check reads it without reference counting).
    struct Classes {
        struct Part {
            var byteClass = HashByteClass.text
            /// False for a part the shape does not check.
            var checked = false
            var bytes = 0
            var pads = 0
        }
        var parts = PerPart(repeating: Part())

        subscript(i: Index) -> Part {
            get { parts[i] }
            set { parts[i] = newValue }
        }
    }
}

/// One value per part of a hash, kept in a tuple: the per-row path reads and writes it without an array's
/// reference counting.
struct PerPart<Element> {
    private var values: (Element, Element, Element, Element, Element)

    init(repeating value: Element) { values = (value, value, value, value, value) }

    subscript(i: HashParts.Index) -> Element {
        get {
            switch i {
            case .salt: return values.0
            case .digest: return values.1
            case .signerKey: return values.2
            case .saltSeparator: return values.3
            case .whole: return values.4
            }
        }
        set {
            switch i {
            case .salt: values.0 = newValue
            case .digest: values.1 = newValue
            case .signerKey: values.2 = newValue
            case .saltSeparator: values.3 = newValue
            case .whole: values.4 = newValue
            }
        }
    }
}

extension PerPart: Sendable where Element: Sendable {}

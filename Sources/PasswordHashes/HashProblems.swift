// The catalogue of reading problems: stable codes, sentences that name the field but never its content.

extension HashProblem {
    static let empty = HashProblem("empty", "The password hash is empty.")
    static func tooLong(_ limit: Int) -> HashProblem {
        HashProblem("too_long", "The password hash is longer than \(limit) bytes; no supported format is that long.")
    }
    static let nonASCII = HashProblem("non_ascii", "The password hash contains non-ASCII characters; every supported format is ASCII.")
    static let unknownFormat = HashProblem("unknown_format", "The text is not a password hash format hashport recognises.")

    static func truncated(_ what: String, _ detail: String) -> HashProblem {
        HashProblem("truncated", "The \(what) hash is truncated: \(detail).")
    }
    static func malformed(_ what: String, _ detail: String) -> HashProblem {
        HashProblem("malformed", "The \(what) hash is malformed: \(detail).")
    }
    static func badLength(_ what: String, _ detail: String) -> HashProblem {
        HashProblem("bad_length", "The \(what) hash has the wrong length: \(detail).")
    }
    static func badEncoding(_ what: String, field: String, _ failure: DecodeFailure, hex: Bool = false) -> HashProblem {
        let code = hex ? "bad_hex" : "bad_base64"
        let kind = hex ? "hex" : "base64"
        let why: String
        switch failure {
        case .badCharacter: why = "it contains a character outside the \(kind) alphabet"
        case .badLength: why = "its length is impossible for \(kind)"
        case .badPadding: why = "its '=' padding is wrong for this format"
        case .nonzeroPaddingBits: why = "its last character has nonzero padding bits (not a canonical encoding)"
        }
        return HashProblem(code, "The \(what) \(field) is not valid \(kind): \(why).")
    }
    static func leadingZero(_ what: String, _ param: String) -> HashProblem {
        HashProblem("leading_zero", "The \(what) parameter \(param) has a leading zero; the format requires plain decimals.")
    }
    static func badNumber(_ what: String, _ param: String) -> HashProblem {
        HashProblem("bad_number", "The \(what) parameter \(param) is not a decimal number.")
    }
    static func outOfRange(_ what: String, _ param: String, _ range: ClosedRange<UInt64>) -> HashProblem {
        HashProblem("parameter_out_of_range",
                    "The \(what) parameter \(param) is outside \(range.lowerBound)…\(range.upperBound), the range the algorithm allows.")
    }
    static func missingField(_ what: String, _ field: String) -> HashProblem {
        HashProblem("missing_field", "The \(what) hash has no \(field).")
    }
    static func unknownParameter(_ what: String) -> HashProblem {
        HashProblem("unknown_parameter", "The \(what) hash has a parameter hashport does not know.")
    }
    static func unknownType(_ detail: String) -> HashProblem {
        HashProblem("unknown_hash_type", "The hash type \(detail) is not one hashport recognises.")
    }

    /// Reads a decimal parameter and maps every failure to its problem.
    static func number(_ text: UnsafeBufferPointer<UInt8>.SubSequence, _ what: String, _ param: String,
                       _ range: ClosedRange<UInt64>) -> Result<UInt64, HashProblem> {
        switch HashEncoding.decimal(text) {
        case .value(let v):
            return range.contains(v) ? .success(v) : .failure(outOfRange(what, param, range))
        case .empty: return .failure(missingField(what, param))
        case .leadingZero: return .failure(leadingZero(what, param))
        case .notANumber: return .failure(badNumber(what, param))
        case .tooLarge: return .failure(outOfRange(what, param, range))
        }
    }

    static func number(_ text: String, _ what: String, _ param: String, _ range: ClosedRange<UInt64>) -> Result<UInt64, HashProblem> {
        var t = text
        return t.withUTF8 { number($0[...], what, param, range) }
    }
}

extension DecodeFailure {
    func problem(_ what: String, _ field: String, hex: Bool = false) -> HashProblem {
        HashProblem.badEncoding(what, field: field, self, hex: hex)
    }
}

extension Result where Failure == DecodeFailure {
    /// Maps a decode failure to the problem for `field` of `what`.
    func or(_ what: String, _ field: String, hex: Bool = false) -> Result<Success, HashProblem> {
        mapError { $0.problem(what, field, hex: hex) }
    }
}

/// Search Users / tenant-list JSON objects → model values. Keys match ignoring case (`TOTP` = `totp`,
/// `OAuth` = `oauth`); unknown keys are ignored; a field of the wrong type is a problem on the user.
extension DescopeUser {
    /// Nil when `json` is not an object.
    public init?(searchUsersJSON json: JSONValue, source: SourceLocation) {
        guard case .object(let members) = json else { return nil }
        self.init(source: source)
        let element = "element \(source.line)"
        func problem(_ key: String, _ expected: String) {
            problems.append(ExportProblem(location: source, code: ExportProblem.Code.invalidField,
                                          message: "\(element): '\(key)' is not \(expected)"))
        }
        func string(_ key: String, _ v: JSONValue) -> String? {
            switch v {
            case .string(let s): return s.isEmpty ? nil : s
            case .null: return nil
            default: problem(key, "a string"); return nil
            }
        }
        func bool(_ key: String, _ v: JSONValue) -> Bool? {
            switch v {
            case .bool(let b): return b
            case .null: return nil
            case .string(let s): if let b = CellValues.bool(s) { return b }
            default: break
            }
            problem(key, "true or false")
            return nil
        }
        func strings(_ key: String, _ v: JSONValue) -> [String] {
            switch v {
            case .null: return []
            case .array(let items):
                var out: [String] = []
                for item in items {
                    if case .string(let s) = item { out.append(s) } else if item != .null { problem(key, "a list of strings") }
                }
                return out
            default: problem(key, "a list of strings"); return []
            }
        }
        for (key, value) in members {
            switch key.lowercased() {
            case "userid": userId = string(key, value)
            case "loginids": loginIds += strings(key, value).filter { !loginIds.contains($0) }
            // A batch-create user (Descope's import shape) has one `loginId`.
            case "loginid": if let id = string(key, value), !loginIds.contains(id) { loginIds.insert(id, at: 0) }
            // Descope's hash object, kept as its JSON text for PasswordHashes (a batch-create user or a support export).
            case "hashedpassword", "hashed_password":
                switch value {
                case .null: break
                case .string(let s): if !s.isEmpty { hash.hash = s }
                case .object: hash.hash = value.jsonText
                default: problem(key, "a hash object or a hash string")
                }
            case "email": email = string(key, value)
            case "verifiedemail": verifiedEmail = bool(key, value)
            case "phone": phone = string(key, value)
            case "verifiedphone": verifiedPhone = bool(key, value)
            case "name": name = string(key, value)
            case "givenname": givenName = string(key, value)
            case "middlename": middleName = string(key, value)
            case "familyname": familyName = string(key, value)
            case "status": status = string(key, value)?.lowercased()
            case "rolenames": roleNames = strings(key, value)
            case "usertenants":
                switch value {
                case .null: break
                case .array(let items):
                    for item in items {
                        if let t = DescopeUserTenant(json: item) { tenants.append(t) }
                        else { problem(key, "a list of {tenantId, roleNames} objects") }
                    }
                default: problem(key, "a list of tenants")
                }
            case "customattributes":
                switch value {
                case .object(let attrs): customAttributes = attrs.map { CustomAttribute(key: $0.0, value: $0.1) }
                case .null: break
                default: problem(key, "an object")
                }
            case "createdtime":
                switch value {
                case .number(let n), .string(let n):
                    if let t = CellValues.epochSeconds(n) { createdTime = t } else { problem(key, "a Unix time") }
                case .null: break
                default: problem(key, "a Unix time")
                }
            case "picture": picture = string(key, value)
            case "test": test = bool(key, value) ?? false
            case "totp": totp = bool(key, value) ?? false
            case "saml": saml = bool(key, value) ?? false
            case "scim": scim = bool(key, value) ?? false
            case "oidc": oidc = bool(key, value) ?? false
            case "webauthn": webauthn = bool(key, value) ?? false
            case "password": hasPassword = bool(key, value)
            case "ssoappids": ssoAppIds = strings(key, value)
            case "oauth":
                switch value {
                case .object(let providers):
                    oauthProviders = providers.compactMap { $0.1 == .bool(true) ? $0.0 : nil }
                case .null: break
                default: problem(key, "an object of provider flags")
                }
            default: break
            }
        }
    }
}

extension DescopeTenant {
    /// Nil when `json` is not an object; a missing `id` is reported by the caller.
    init?(tenantJSON json: JSONValue, source: SourceLocation) {
        guard case .object(let members) = json else { return nil }
        guard let id = json[caseInsensitive: "id"]?.stringValue, !id.isEmpty else { return nil }
        self.init(source: source, id: id)
        for (key, value) in members {
            switch key.lowercased() {
            case "name": name = value.stringValue
            case "selfprovisioningdomains": selfProvisioningDomains = value.stringArray ?? []
            case "domains": domains = value.stringArray ?? []
            case "customattributes":
                if case .object(let attrs) = value { customAttributes = attrs.map { CustomAttribute(key: $0.0, value: $0.1) } }
            case "disabled": disabled = value.boolValue ?? false
            default: break
            }
        }
    }
}

/// The tenants of a tenants JSON export (`{"tenants":[…]}`, a bare array, `{"tenant":{…}}`), streamed.
public final class TenantExport: Sequence, IteratorProtocol {
    private let stream: JSONRecordStream

    public init(path: String, options: ExportOptions = ExportOptions()) throws(ExportError) {
        let blocks = try ByteBlocks(path: path, blockSize: options.readBlockSize, maxRecordBytes: options.maxRecordBytes)
        stream = JSONRecordStream(blocks: blocks, arrayKey: "tenants", singleKey: "tenant")
    }

    init(bytes: [UInt8], name: String) {
        stream = JSONRecordStream(blocks: ByteBlocks(bytes: bytes, name: name), arrayKey: "tenants", singleKey: "tenant")
    }

    public func next() -> Result<DescopeTenant, ExportProblem>? {
        guard let item = stream.next() else { return nil }
        switch item {
        case .problem(let number, let message):
            return .failure(ExportProblem(location: SourceLocation(file: stream.path, line: number),
                                          code: ExportProblem.Code.invalidJSON, message: message))
        case .record(let number, let value, _):
            let location = SourceLocation(file: stream.path, line: number)
            guard let tenant = DescopeTenant(tenantJSON: value, source: location) else {
                return .failure(ExportProblem(location: location, code: ExportProblem.Code.notATenant,
                    message: "element \(number): not a tenant object with a string 'id'"))
            }
            return .success(tenant)
        }
    }
}

/// The tenants of a tenants JSON export, streamed.
public func readTenants(path: String, options: ExportOptions = ExportOptions()) throws(ExportError) -> TenantExport {
    try TenantExport(path: path, options: options)
}

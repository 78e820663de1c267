// One Search Users object through simdjson On-Demand: the fields DescopeUser(searchUsersJSON:) reads as spans, and
// every other value walked too, so an element is taken only when all of it is valid JSON. Anything the Swift side
// would report (a wrong type, a key given twice, a boolean in a string) answers HP_JSON_CAREFUL instead: the
// caller then reads the element with its own parser, which words the problems.
#include "hashport_simdjson.h"
#include "JSONTokens.h"

#include <simdjson.h>

#include <cstring>
#include <utility>
#include <vector>

using namespace simdjson;
using namespace hp_json;

struct hp_json_user_parser {
    ondemand::parser parser;
    std::vector<hp_json_span> spans;
    std::vector<hp_json_tenant> tenants;
    std::vector<hp_json_attribute> attributes;
    /// Unescaped strings and compact JSON of the current element; sized before it, never moved during it.
    std::vector<uint8_t> scratch;
};

namespace {

/// Nesting the walk follows; the caller's scan sends deeper elements to the careful path already.
constexpr int max_walk_depth = 128;

class UserReader {
public:
    UserReader(hp_json_user_parser &p, const uint8_t *end) : P(p), end(end), next(p.scratch.data()) {}

    bool read(ondemand::document &doc, hp_json_user &u);

private:
    hp_json_user_parser &P;
    const uint8_t *end;
    uint8_t *next;

    static hp_json_span span(const uint8_t *p, size_t n) { return hp_json_span{p, n}; }

    /// The string starting after the quote at `p`: its raw length and whether it holds an escape.
    size_t raw_string(const uint8_t *p, bool &escaped) const {
        const size_t first = quote_or_backslash(p, escaped);
        if (!escaped) return first;
        const uint8_t *q = p + first;
        while (q < end && *q != '"') {
            if (*q == '\\') { escaped = true; q++; }
            q++;
        }
        return size_t(q - p);
    }

    /// `raw` unescaped (into scratch when it has an escape); false when an escape is invalid.
    bool text(ondemand::raw_json_string raw, hp_json_span &out) {
        const uint8_t *p = reinterpret_cast<const uint8_t *>(raw.raw());
        bool escaped;
        const size_t n = raw_string(p, escaped);
        if (!escaped) { out = span(p, n); return true; }
        if (!surrogates_pair(p, p + n)) return false;
        std::string_view s;
        if (P.parser.unescape(raw, next).get(s)) return false;
        out = span(reinterpret_cast<const uint8_t *>(s.data()), s.size());
        return true;
    }

    bool string_value(ondemand::value &v, hp_json_span &out) {
        ondemand::raw_json_string raw;
        return !v.get_raw_json_string().get(raw) && text(raw, out);
    }

    /// A number's literal, checked against the JSON grammar.
    bool number_value(ondemand::value &v, hp_json_span &out) {
        const std::string_view token = v.raw_json_token();
        const uint8_t *p = reinterpret_cast<const uint8_t *>(token.data());
        size_t n = token.size();
        while (n > 0 && is_space(p[n - 1])) n--;
        out = span(p, n);
        return is_number(p, n);
    }

    bool null_value(ondemand::value &v) {
        bool null;
        return !v.is_null().get(null) && null;
    }

    /// Any value, checked all the way down and then forgotten.
    bool walk(ondemand::value &v, int depth);

    /// `"key": value` pairs of an object, the key unescaped; `body(key, value)` returns false to fail.
    template <typename Body> bool members(ondemand::value &v, int depth, Body body) {
        if (depth > max_walk_depth) return false;
        ondemand::object object;
        if (v.get_object().get(object)) return false;
        for (auto member : object) {
            ondemand::field f;
            hp_json_span key;
            if (std::move(member).get(f) || !text(f.key(), key) || !body(key, f.value())) return false;
        }
        return true;
    }

    template <typename Body> bool items(ondemand::value &v, int depth, Body body) {
        if (depth > max_walk_depth) return false;
        ondemand::array array;
        if (v.get_array().get(array)) return false;
        for (auto item : array) {
            ondemand::value e;
            if (std::move(item).get(e) || !body(e)) return false;
        }
        return true;
    }

    /// The compact JSON text of the array or object at `p` (as JSONValue.jsonText writes it); false when a string
    /// in it holds an escape or a control character (jsonText would spell those its own way).
    bool compact(const uint8_t *p, hp_json_span &out);

    bool optional_string(ondemand::value &v, ondemand::json_type t, hp_json_span &out) {
        if (t == ondemand::json_type::null) return null_value(v);
        return t == ondemand::json_type::string && string_value(v, out);
    }

    bool flag(ondemand::value &v, ondemand::json_type t, int8_t &out) {
        if (t == ondemand::json_type::null) { out = HP_JSON_ABSENT; return null_value(v); }
        bool b;
        if (t != ondemand::json_type::boolean || v.get_bool().get(b)) return false;
        out = b ? HP_JSON_TRUE : HP_JSON_FALSE;
        return true;
    }

    bool strings(ondemand::value &v, ondemand::json_type t, int depth, hp_json_range &out) {
        out = hp_json_range{uint32_t(P.spans.size()), 0};
        if (t == ondemand::json_type::null) return null_value(v);
        if (t != ondemand::json_type::array) return false;
        const bool ok = items(v, depth + 1, [&](ondemand::value &e) {
            ondemand::json_type et;
            if (e.type().get(et)) return false;
            if (et == ondemand::json_type::null) return null_value(e);
            hp_json_span s;
            if (et != ondemand::json_type::string || !string_value(e, s)) return false;
            P.spans.push_back(s);
            return true;
        });
        out.count = uint32_t(P.spans.size()) - out.start;
        return ok;
    }

    bool tenant(ondemand::value &v, int depth);
    bool field(Field id, ondemand::value &v, int depth, hp_json_user &u);
};

bool UserReader::walk(ondemand::value &v, int depth) {
    ondemand::json_type t;
    if (v.type().get(t)) return false;
    hp_json_span ignored;
    switch (t) {
    case ondemand::json_type::object:
        return members(v, depth + 1, [&](hp_json_span, ondemand::value &value) { return walk(value, depth + 1); });
    case ondemand::json_type::array:
        return items(v, depth + 1, [&](ondemand::value &e) { return walk(e, depth + 1); });
    case ondemand::json_type::string: {
        uint8_t *mark = next;
        const bool ok = string_value(v, ignored);
        next = mark;
        return ok;
    }
    case ondemand::json_type::number: return number_value(v, ignored);
    case ondemand::json_type::boolean: {
        bool b;
        return !v.get_bool().get(b);
    }
    case ondemand::json_type::null: return null_value(v);
    }
    return false;
}

bool UserReader::compact(const uint8_t *p, hp_json_span &out) {
    uint8_t *start = next, *w = next;
    int depth = 0;
    bool in_string = false;
    for (; p < end; p++) {
        const uint8_t c = *p;
        if (in_string) {
            if (c == '\\' || c < 0x20) return false;
            if (c == '"') in_string = false;
            *w++ = c;
            continue;
        }
        if (is_space(c)) continue;
        *w++ = c;
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') depth++;
        else if ((c == '}' || c == ']') && --depth == 0) {
            next = w;
            out = span(start, size_t(w - start));
            return true;
        }
    }
    return false;
}

bool UserReader::tenant(ondemand::value &v, int depth) {
    hp_json_tenant t{{nullptr, 0}, {nullptr, 0}, {uint32_t(P.spans.size()), 0}};
    bool has_id = false, has_name = false, has_roles = false, id_ok = false;
    const bool ok = members(v, depth + 1, [&](hp_json_span key, ondemand::value &value) {
        ondemand::json_type type;
        if (value.type().get(type)) return false;
        const Field f = field_named(key.bytes, key.count);
        // DescopeUserTenant(json:) takes the first member of each name.
        char l[10] = {0};
        if (key.count == 8 || key.count == 10) {
            for (size_t i = 0; i < key.count; i++) {
                const uint8_t c = key.bytes[i];
                l[i] = char(c - 'A' < 26u ? c | 0x20 : c);
            }
        }
        if (key.count == 8 && std::memcmp(l, "tenantid", 8) == 0 && !has_id) {
            has_id = true;
            if (type == ondemand::json_type::string) {
                if (!string_value(value, t.tenant_id)) return false;
                id_ok = t.tenant_id.count > 0;
                return true;
            }
            return walk(value, depth + 1);
        }
        if (key.count == 10 && std::memcmp(l, "tenantname", 10) == 0 && !has_name) {
            has_name = true;
            // A "" name is the careful path's: DescopeUserTenant keeps it, a view cannot tell it from none.
            if (type == ondemand::json_type::string) return string_value(value, t.tenant_name) && t.tenant_name.count > 0;
            return walk(value, depth + 1);
        }
        if (f == role_names && !has_roles) {
            has_roles = true;
            if (type != ondemand::json_type::array) return walk(value, depth + 1);
            t.role_names.start = uint32_t(P.spans.size());
            // Items that are not strings are skipped without a word, as stringArray does.
            return items(value, depth + 2, [&](ondemand::value &e) {
                ondemand::json_type et;
                if (e.type().get(et)) return false;
                hp_json_span s;
                if (et != ondemand::json_type::string) return walk(e, depth + 2);
                if (!string_value(e, s)) return false;
                P.spans.push_back(s);
                t.role_names.count++;
                return true;
            });
        }
        return walk(value, depth + 1);
    });
    if (!ok || !id_ok) return false;
    P.tenants.push_back(t);
    return true;
}

bool UserReader::field(Field id, ondemand::value &v, int depth, hp_json_user &u) {
    ondemand::json_type t;
    if (v.type().get(t)) return false;
    switch (id) {
    case unknown: return walk(v, depth);
    case user_id: return optional_string(v, t, u.user_id);
    case login_id: return optional_string(v, t, u.login_id);
    case email: return optional_string(v, t, u.email);
    case phone: return optional_string(v, t, u.phone);
    case name: return optional_string(v, t, u.name);
    case given_name: return optional_string(v, t, u.given_name);
    case middle_name: return optional_string(v, t, u.middle_name);
    case family_name: return optional_string(v, t, u.family_name);
    case status: return optional_string(v, t, u.status);
    case picture: return optional_string(v, t, u.picture);
    case verified_email: return flag(v, t, u.verified_email);
    case verified_phone: return flag(v, t, u.verified_phone);
    case password: return flag(v, t, u.has_password);
    case test: return flag(v, t, u.test);
    case totp: return flag(v, t, u.totp);
    case saml: return flag(v, t, u.saml);
    case scim: return flag(v, t, u.scim);
    case oidc: return flag(v, t, u.oidc);
    case webauthn: return flag(v, t, u.webauthn);
    case login_ids: return strings(v, t, depth, u.login_ids);
    case role_names: return strings(v, t, depth, u.role_names);
    case sso_app_ids: return strings(v, t, depth, u.sso_app_ids);
    case created_time:
        if (t == ondemand::json_type::null) return null_value(v);
        u.created_time_present = 1;
        if (t == ondemand::json_type::number) return number_value(v, u.created_time);
        return t == ondemand::json_type::string && string_value(v, u.created_time);
    case hashed_password:
        if (t == ondemand::json_type::object)
            return compact(reinterpret_cast<const uint8_t *>(v.raw_json_token().data()), u.hashed_password)
                && walk(v, depth);
        return optional_string(v, t, u.hashed_password);
    case user_tenants:
        u.user_tenants = hp_json_range{uint32_t(P.tenants.size()), 0};
        if (t == ondemand::json_type::null) return null_value(v);
        if (t != ondemand::json_type::array) return false;
        if (!items(v, depth + 1, [&](ondemand::value &e) {
                ondemand::json_type et;
                return !e.type().get(et) && et == ondemand::json_type::object && tenant(e, depth + 1);
            }))
            return false;
        u.user_tenants.count = uint32_t(P.tenants.size()) - u.user_tenants.start;
        return true;
    case custom_attributes:
        u.custom_attributes = hp_json_range{uint32_t(P.attributes.size()), 0};
        if (t == ondemand::json_type::null) return null_value(v);
        if (t != ondemand::json_type::object) return false;
        if (!members(v, depth + 1, [&](hp_json_span key, ondemand::value &value) {
                ondemand::json_type vt;
                if (value.type().get(vt)) return false;
                hp_json_attribute a{key, {nullptr, 0}, HP_JSON_NULL};
                bool ok = false;
                switch (vt) {
                case ondemand::json_type::string: a.kind = HP_JSON_STRING; ok = string_value(value, a.value); break;
                case ondemand::json_type::number: a.kind = HP_JSON_NUMBER; ok = number_value(value, a.value); break;
                case ondemand::json_type::boolean: {
                    bool b;
                    a.kind = HP_JSON_BOOL;
                    ok = !value.get_bool().get(b);
                    a.value = b ? span(reinterpret_cast<const uint8_t *>("true"), 4)
                                : span(reinterpret_cast<const uint8_t *>("false"), 5);
                    break;
                }
                case ondemand::json_type::null: ok = null_value(value); break;
                case ondemand::json_type::array:
                case ondemand::json_type::object:
                    a.kind = HP_JSON_COMPOUND;
                    ok = compact(reinterpret_cast<const uint8_t *>(value.raw_json_token().data()), a.value)
                        && walk(value, depth + 1);
                    break;
                }
                if (ok) P.attributes.push_back(a);
                return ok;
            }))
            return false;
        u.custom_attributes.count = uint32_t(P.attributes.size()) - u.custom_attributes.start;
        return true;
    case oauth:
        u.oauth_providers = hp_json_range{uint32_t(P.spans.size()), 0};
        if (t == ondemand::json_type::null) return null_value(v);
        if (t != ondemand::json_type::object) return false;
        if (!members(v, depth + 1, [&](hp_json_span key, ondemand::value &value) {
                ondemand::json_type vt;
                if (value.type().get(vt)) return false;
                if (vt != ondemand::json_type::boolean) return walk(value, depth + 1);
                bool b;
                if (value.get_bool().get(b)) return false;
                if (b) P.spans.push_back(key);
                return true;
            }))
            return false;
        u.oauth_providers.count = uint32_t(P.spans.size()) - u.oauth_providers.start;
        return true;
    }
    return false;
}

bool UserReader::read(ondemand::document &doc, hp_json_user &u) {
    ondemand::object object;
    if (doc.get_object().get(object)) return false;
    uint64_t seen = 0;
    for (auto member : object) {
        ondemand::field f;
        hp_json_span key;
        if (std::move(member).get(f) || !text(f.key(), key)) return false;
        const Field id = field_named(key.bytes, key.count);
        if (id != unknown) {
            // A key given twice (in any case) is read member by member by the careful path.
            if (seen & (1ULL << id)) return false;
            seen |= 1ULL << id;
            if (id == login_id && !(seen & (1ULL << login_ids))) u.login_id_first = 1;
        }
        if (!field(id, f.value(), 1, u)) return false;
    }
    if (!(seen & (1ULL << login_ids))) u.login_id_first = 0;
    // Nothing after the object: the iterator stands past the last token.
    const char *after;
    return doc.current_location().get(after) == OUT_OF_BOUNDS;
}

} // namespace

extern "C" hp_json_user_parser *hp_json_user_parser_create(void) {
    auto *p = new (std::nothrow) hp_json_user_parser();
    if (p && p->parser.allocate(64 << 10)) { delete p; return nullptr; }
    return p;
}

extern "C" void hp_json_user_parser_destroy(hp_json_user_parser *parser) { delete parser; }

extern "C" hp_json_read_status hp_json_read_user(hp_json_user_parser *parser, const uint8_t *bytes, size_t count,
                                                 size_t capacity, hp_json_user *user) {
    std::memset(user, 0, sizeof *user);
    user->verified_email = user->verified_phone = user->has_password = HP_JSON_ABSENT;
    parser->spans.clear();
    parser->tenants.clear();
    parser->attributes.clear();
    // Unescaped strings and compact JSON each take at most the element's length; simdjson writes past the end of
    // what it unescapes by up to its padding.
    if (parser->scratch.size() < 2 * count + 2 * SIMDJSON_PADDING) parser->scratch.resize(2 * count + 2 * SIMDJSON_PADDING);
    if (capacity < count + SIMDJSON_PADDING) return HP_JSON_CAREFUL;
    ondemand::document doc;
    if (parser->parser.iterate(bytes, count, capacity).get(doc)) return HP_JSON_CAREFUL;
    UserReader reader(*parser, bytes + count);
    if (!reader.read(doc, *user)) return HP_JSON_CAREFUL;
    user->spans = parser->spans.data();
    user->tenants = parser->tenants.data();
    user->attributes = parser->attributes.data();
    user->span_count = uint32_t(parser->spans.size());
    user->tenant_count = uint32_t(parser->tenants.size());
    user->attribute_count = uint32_t(parser->attributes.size());
    return HP_JSON_USER;
}

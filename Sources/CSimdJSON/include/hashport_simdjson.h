// The JSON fast path of hashport's Search Users reader: a structural scan that finds where a JSON value ends
// inside a read window, and simdjson (On-Demand) reading one user object into spans of the fields hashport uses.
// Plain C so Swift imports it as is; every SIMD and unsafe detail stays behind these few functions.
#ifndef HASHPORT_SIMDJSON_H
#define HASHPORT_SIMDJSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes of one field: in the caller's buffer, or in the parser's own memory (unescaped strings, compact JSON).
/// Valid until the parser's next `hp_json_read_user`. A JSON "" is a span of count 0 with a non-null pointer.
typedef struct hp_json_span {
    const uint8_t *bytes;
    size_t count;
} hp_json_span;

/// `count` entries from `start` of the user's `spans` (or `tenants`, `attributes`).
typedef struct hp_json_range {
    uint32_t start;
    uint32_t count;
} hp_json_range;

typedef struct hp_json_tenant {
    hp_json_span tenant_id;
    /// count 0 when absent or not a string (a "" name takes the careful path).
    hp_json_span tenant_name;
    hp_json_range role_names;
} hp_json_tenant;

/// The kinds of a custom attribute value (the same numbers as Swift's `AttributeView.Kind`).
enum { HP_JSON_STRING = 0, HP_JSON_NUMBER = 1, HP_JSON_BOOL = 2, HP_JSON_NULL = 3, HP_JSON_COMPOUND = 4 };

typedef struct hp_json_attribute {
    hp_json_span key;
    /// A string unescaped, a number's literal, `true`/`false`, empty for null, an array or object as compact JSON.
    hp_json_span value;
    uint8_t kind;
} hp_json_attribute;

/// A tri-state flag: absent (or null), false, true.
enum { HP_JSON_ABSENT = -1, HP_JSON_FALSE = 0, HP_JSON_TRUE = 1 };

/// What `DescopeUser(searchUsersJSON:)` reads of one object. String fields: count 0 when absent, null or "".
typedef struct hp_json_user {
    hp_json_span user_id, login_id, email, phone, name, given_name, middle_name, family_name, status, picture;
    /// The literal of a number, or the text of a string; `created_time_present` 0 when absent or null.
    hp_json_span created_time;
    uint8_t created_time_present;
    /// `hashedPassword`: a string as it is, an object as compact JSON; count 0 when absent, null or "".
    hp_json_span hashed_password;
    /// Lists of strings (null items left out); `oauth_providers`: the keys of `OAuth` whose value is true.
    hp_json_range login_ids, role_names, sso_app_ids, oauth_providers;
    hp_json_range user_tenants, custom_attributes;
    int8_t verified_email, verified_phone, has_password;
    int8_t test, totp, saml, scim, oidc, webauthn;
    /// 1 when both `loginId` and `loginIds` were present and `loginId` came first.
    uint8_t login_id_first;
    const hp_json_span *spans;
    const hp_json_tenant *tenants;
    const hp_json_attribute *attributes;
    uint32_t span_count, tenant_count, attribute_count;
} hp_json_user;

typedef enum hp_json_read_status {
    /// `user` holds the element's fields.
    HP_JSON_USER = 0,
    /// The element needs the careful path: invalid JSON, not an object, a field of an unexpected type, a key given
    /// twice, a boolean spelled as a string, an escape inside compact JSON — anything whose problems or text the
    /// caller's own parser must produce.
    HP_JSON_CAREFUL = 1,
} hp_json_read_status;

typedef struct hp_json_user_parser hp_json_user_parser;

hp_json_user_parser *hp_json_user_parser_create(void);
void hp_json_user_parser_destroy(hp_json_user_parser *parser);

/// Reads the JSON value in `bytes[0..<count]` as one user. `capacity` readable bytes from `bytes`, at least
/// `count` + 64 (simdjson's padding; their content does not matter).
hp_json_read_status hp_json_read_user(hp_json_user_parser *parser, const uint8_t *bytes, size_t count,
                                      size_t capacity, hp_json_user *user);

typedef enum hp_json_scan_status {
    /// `*end` is one past the value's closing bracket.
    HP_JSON_SCAN_COMPLETE = 0,
    /// The value goes on past `limit`.
    HP_JSON_SCAN_INCOMPLETE = 1,
    /// Nested deeper than `max_depth` brackets.
    HP_JSON_SCAN_TOO_DEEP = 2,
} hp_json_scan_status;

/// Where the object or array opening at `base[start]` closes, looking at `base[start..<limit]` only: strings and
/// escapes are followed 64 bytes at a time, the value is not validated (the reader does that). 64 readable bytes
/// past `limit`.
hp_json_scan_status hp_json_scan_value(const uint8_t *base, size_t start, size_t limit, uint32_t max_depth,
                                       size_t *end);

/// The same scan as a CPU without AVX2 runs it (SSE2, or the byte loop off x86-64): for tests.
hp_json_scan_status hp_json_scan_value_baseline(const uint8_t *base, size_t start, size_t limit, uint32_t max_depth,
                                                size_t *end);

#ifdef __cplusplus
}
#endif

#endif

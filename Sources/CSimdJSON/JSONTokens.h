// The token-level helpers of UserFields.cpp: known keys, JSONParser's rules for numbers and \u escapes, and the
// 16-byte search for the end of a string.
#ifndef HASHPORT_JSON_TOKENS_H
#define HASHPORT_JSON_TOKENS_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#define HP_JSON_SSE2 1
#endif

namespace hp_json {

enum Field : int {
    unknown, user_id, login_ids, login_id, hashed_password, email, verified_email, phone, verified_phone, name,
    given_name, middle_name, family_name, status, role_names, user_tenants, custom_attributes, created_time,
    picture, test, totp, saml, scim, oidc, webauthn, password, sso_app_ids, oauth,
};

inline bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Up to 8 bytes of a name as a little-endian word, each byte `| 0x20`: a letter of either case gives its lower
/// case and nothing else does (`_` becomes 0x7F, which `field_named` then checks exactly).
constexpr uint64_t folded(const char *name, size_t from, size_t n) {
    uint64_t w = 0;
    for (size_t i = from; i < n && i < from + 8; i++) w |= uint64_t(uint8_t(name[i]) | 0x20) << (8 * (i - from));
    return w;
}

template <size_t N> constexpr uint64_t lo(const char (&name)[N]) { return folded(name, 0, N - 1); }
template <size_t N> constexpr uint64_t hi(const char (&name)[N]) { return folded(name, 8, N - 1); }

/// The known key `k` (ASCII case ignored), else `unknown`. Reads 16 bytes from `k` (the document's padding or the
/// scratch's slack covers them).
inline Field field_named(const uint8_t *k, size_t n) {
    if (n < 4 || n > 16) return unknown;
    uint64_t w0, w1;
    std::memcpy(&w0, k, 8);
    std::memcpy(&w1, k + 8, 8);
    const uint64_t fold = 0x2020202020202020ULL;
    w0 |= fold;
    w1 |= fold;
    if (n < 8) { w0 &= (1ULL << (8 * n)) - 1; w1 = 0; }
    else if (n < 16) w1 &= n == 8 ? 0 : (1ULL << (8 * (n - 8))) - 1;
#define HP_IS(s) (w0 == std::integral_constant<uint64_t, lo(s)>::value && w1 == std::integral_constant<uint64_t, hi(s)>::value)
    switch (n) {
    case 4:
        if (HP_IS("name")) return name;
        if (HP_IS("test")) return test;
        if (HP_IS("totp")) return totp;
        if (HP_IS("saml")) return saml;
        if (HP_IS("scim")) return scim;
        if (HP_IS("oidc")) return oidc;
        return unknown;
    case 5: return HP_IS("email") ? email : HP_IS("phone") ? phone : HP_IS("oauth") ? oauth : unknown;
    case 6: return HP_IS("userid") ? user_id : HP_IS("status") ? status : unknown;
    case 7: return HP_IS("loginid") ? login_id : HP_IS("picture") ? picture : unknown;
    case 8: return HP_IS("loginids") ? login_ids : HP_IS("password") ? password : HP_IS("webauthn") ? webauthn : unknown;
    case 9: return HP_IS("rolenames") ? role_names : HP_IS("givenname") ? given_name : HP_IS("ssoappids") ? sso_app_ids : unknown;
    case 10: return HP_IS("middlename") ? middle_name : HP_IS("familyname") ? family_name : unknown;
    case 11: return HP_IS("usertenants") ? user_tenants : HP_IS("createdtime") ? created_time : unknown;
    case 13: return HP_IS("verifiedemail") ? verified_email : HP_IS("verifiedphone") ? verified_phone : unknown;
    case 14: return HP_IS("hashedpassword") ? hashed_password : unknown;
    case 15: return HP_IS("hashed_password") && k[6] == '_' ? hashed_password : unknown;
    case 16: return HP_IS("customattributes") ? custom_attributes : unknown;
    default: return unknown;
    }
#undef HP_IS
}

/// The offset of the first `"` or `\` from `p` (one is always there: the string's closing quote), and whether it is
/// the backslash. Reads 16 bytes at a time; the document's padding covers the last ones.
inline size_t quote_or_backslash(const uint8_t *p, bool &backslash_first) {
#if HP_JSON_SSE2
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    for (size_t i = 0;; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        const unsigned q = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
        const unsigned b = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)));
        if ((q | b) != 0) {
            const unsigned first = unsigned(__builtin_ctz(q | b));
            backslash_first = (b >> first) & 1;
            return i + first;
        }
    }
#else
    size_t i = 0;
    while (p[i] != '"' && p[i] != '\\') i++;
    backslash_first = p[i] == '\\';
    return i;
#endif
}

/// `\u` escapes pair up: a high surrogate is followed by a low one, a low one never stands alone. JSONParser's rule,
/// checked here so the two agree whatever simdjson release is linked (older ones let a bad pair through).
inline bool surrogates_pair(const uint8_t *p, const uint8_t *end) {
    auto hex4 = [](const uint8_t *h, uint32_t &v) {
        v = 0;
        for (int i = 0; i < 4; i++) {
            const uint8_t c = h[i];
            uint32_t d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
            else return false;
            v = v << 4 | d;
        }
        return true;
    };
    while (p < end) {
        if (*p != '\\') { p++; continue; }
        if (p + 1 < end && p[1] != 'u') { p += 2; continue; }
        uint32_t v;
        if (p + 6 > end || !hex4(p + 2, v)) return false;
        p += 6;
        if (v >= 0xDC00 && v <= 0xDFFF) return false;
        if (v >= 0xD800 && v <= 0xDBFF) {
            uint32_t low;
            if (p + 6 > end || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, low) || low < 0xDC00 || low > 0xDFFF)
                return false;
            p += 6;
        }
    }
    return true;
}

/// The JSON number grammar, exactly (no leading zeros, digits after '.' and the exponent).
inline bool is_number(const uint8_t *s, size_t n) {
    size_t i = 0;
    auto digit = [&](size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
    if (i < n && s[i] == '-') i++;
    if (!digit(i)) return false;
    if (s[i] == '0') i++;
    else while (digit(i)) i++;
    if (i < n && s[i] == '.') {
        i++;
        if (!digit(i)) return false;
        while (digit(i)) i++;
    }
    if (i < n && (s[i] | 0x20) == 'e') {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (!digit(i)) return false;
        while (digit(i)) i++;
    }
    return i == n;
}

} // namespace hp_json

#endif

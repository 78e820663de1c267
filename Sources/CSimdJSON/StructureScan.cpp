// Where a JSON object or array ends, found 64 bytes at a time: quote, backslash and bracket masks (SSE2 on x86-64,
// a byte loop elsewhere), escaped characters and the inside of strings by carry and prefix-XOR arithmetic (the
// technique of simdjson's stage 1), then one step per bracket outside strings to follow the depth.
#include "hashport_simdjson.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#define HP_JSON_SSE2 1
#endif

namespace {

struct BlockMasks {
    uint64_t quote, backslash, open, close;
};

#if HP_JSON_SSE2
inline uint64_t movemask(__m128i a, __m128i b, __m128i c, __m128i d) {
    return uint64_t(uint16_t(_mm_movemask_epi8(a))) | uint64_t(uint16_t(_mm_movemask_epi8(b))) << 16
        | uint64_t(uint16_t(_mm_movemask_epi8(c))) << 32 | uint64_t(uint16_t(_mm_movemask_epi8(d))) << 48;
}

inline BlockMasks masks(const uint8_t *p) {
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16));
    const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 32));
    const __m128i v3 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 48));
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    // '[' | 0x20 == '{' and ']' | 0x20 == '}': one compare finds both brackets of a kind.
    const __m128i bit5 = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
    const __m128i l0 = _mm_or_si128(v0, bit5), l1 = _mm_or_si128(v1, bit5);
    const __m128i l2 = _mm_or_si128(v2, bit5), l3 = _mm_or_si128(v3, bit5);
    BlockMasks m;
    m.quote = movemask(_mm_cmpeq_epi8(v0, quote), _mm_cmpeq_epi8(v1, quote), _mm_cmpeq_epi8(v2, quote),
                       _mm_cmpeq_epi8(v3, quote));
    m.backslash = movemask(_mm_cmpeq_epi8(v0, backslash), _mm_cmpeq_epi8(v1, backslash),
                           _mm_cmpeq_epi8(v2, backslash), _mm_cmpeq_epi8(v3, backslash));
    m.open = movemask(_mm_cmpeq_epi8(l0, open), _mm_cmpeq_epi8(l1, open), _mm_cmpeq_epi8(l2, open),
                      _mm_cmpeq_epi8(l3, open));
    m.close = movemask(_mm_cmpeq_epi8(l0, close), _mm_cmpeq_epi8(l1, close), _mm_cmpeq_epi8(l2, close),
                       _mm_cmpeq_epi8(l3, close));
    return m;
}
#else
inline BlockMasks masks(const uint8_t *p) {
    BlockMasks m{0, 0, 0, 0};
    for (int i = 0; i < 64; i++) {
        const uint8_t c = p[i], l = uint8_t(c | 0x20);
        m.quote |= uint64_t(c == '"') << i;
        m.backslash |= uint64_t(c == '\\') << i;
        m.open |= uint64_t(l == '{') << i;
        m.close |= uint64_t(l == '}') << i;
    }
    return m;
}
#endif

/// Characters escaped by a backslash (the second of `\\`, the quote of `\"`), carrying an odd run of backslashes
/// over from the previous block in `prev_escaped`.
inline uint64_t escaped_characters(uint64_t backslash, uint64_t &prev_escaped) {
    backslash &= ~prev_escaped;
    const uint64_t follows_escape = backslash << 1 | prev_escaped;
    const uint64_t even_bits = 0x5555555555555555ULL;
    const uint64_t odd_sequence_starts = backslash & ~even_bits & ~follows_escape;
    uint64_t sequences_starting_on_even_bits;
    prev_escaped = __builtin_add_overflow(odd_sequence_starts, backslash, &sequences_starting_on_even_bits);
    const uint64_t invert_mask = sequences_starting_on_even_bits << 1;
    return (even_bits ^ invert_mask) & follows_escape;
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

} // namespace

extern "C" hp_json_scan_status hp_json_scan_value(const uint8_t *base, size_t start, size_t limit,
                                                  uint32_t max_depth, size_t *end) {
    uint64_t prev_escaped = 0, prev_in_string = 0;
    uint32_t depth = 0;
    for (size_t block = start; block < limit; block += 64) {
        const BlockMasks m = masks(base + block);
        const size_t valid = limit - block;
        const uint64_t valid_mask = valid >= 64 ? ~0ULL : (1ULL << valid) - 1;
        const uint64_t quotes = m.quote & ~escaped_characters(m.backslash, prev_escaped);
        const uint64_t in_string = prefix_xor(quotes) ^ prev_in_string;
        prev_in_string = uint64_t(int64_t(in_string) >> 63);
        uint64_t brackets = (m.open | m.close) & ~in_string & valid_mask;
        while (brackets != 0) {
            const uint64_t bit = brackets & (~brackets + 1);
            if (m.open & bit) {
                if (++depth > max_depth) return HP_JSON_SCAN_TOO_DEEP;
            } else if (depth <= 1) {
                *end = block + size_t(__builtin_ctzll(brackets)) + 1;
                return HP_JSON_SCAN_COMPLETE;
            } else {
                depth--;
            }
            brackets &= brackets - 1;
        }
    }
    return HP_JSON_SCAN_INCOMPLETE;
}

// Where a JSON object or array ends, found 64 bytes at a time: quote, backslash and bracket masks (AVX2 where the
// CPU has it, else SSE2 on x86-64, a byte loop elsewhere), escaped characters and the inside of strings by carry
// and prefix-XOR arithmetic (the technique of simdjson's stage 1), then the depth from the brackets outside strings.
#include "hashport_simdjson.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
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

/// The scan, for one way of computing the masks and the prefix-XOR.
template <BlockMasks (*Masks)(const uint8_t *), uint64_t (*PrefixXor)(uint64_t)>
inline hp_json_scan_status scan(const uint8_t *base, size_t start, size_t limit, uint32_t max_depth, size_t *end) {
    uint64_t prev_escaped = 0, prev_in_string = 0;
    uint32_t depth = 0;
    for (size_t block = start; block < limit; block += 64) {
        const BlockMasks m = Masks(base + block);
        const size_t valid = limit - block;
        const uint64_t valid_mask = valid >= 64 ? ~0ULL : (1ULL << valid) - 1;
        const uint64_t escaped = (m.backslash | prev_escaped) == 0 ? 0 : escaped_characters(m.backslash, prev_escaped);
        const uint64_t quotes = m.quote & ~escaped;
        const uint64_t in_string = PrefixXor(quotes) ^ prev_in_string;
        prev_in_string = uint64_t(int64_t(in_string) >> 63);
        const uint64_t opens = m.open & ~in_string & valid_mask, closes = m.close & ~in_string & valid_mask;
        const uint32_t n_open = uint32_t(__builtin_popcountll(opens)), n_close = uint32_t(__builtin_popcountll(closes));
        // Most blocks can neither close the value nor pass the depth limit: count their brackets at once.
        if (n_close < depth && depth + n_open <= max_depth) {
            depth += n_open - n_close;
            continue;
        }
        uint64_t brackets = opens | closes;
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

#if HP_JSON_SSE2
// Where the CPU has them (checked once): 32 bytes a compare, and the prefix-XOR as one carry-less multiply.
__attribute__((target("avx2,pclmul"))) inline uint64_t equal_avx2(__m256i a, __m256i b, char c) {
    const __m256i k = _mm256_set1_epi8(c);
    return uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, k))))
        | uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, k)))) << 32;
}

__attribute__((target("avx2,pclmul"))) inline BlockMasks masks_avx2(const uint8_t *p) {
    const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
    const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + 32));
    const __m256i bit5 = _mm256_set1_epi8(0x20);
    const __m256i l0 = _mm256_or_si256(v0, bit5), l1 = _mm256_or_si256(v1, bit5);
    return BlockMasks{equal_avx2(v0, v1, '"'), equal_avx2(v0, v1, '\\'), equal_avx2(l0, l1, '{'),
                      equal_avx2(l0, l1, '}')};
}

__attribute__((target("avx2,pclmul"))) inline uint64_t prefix_xor_clmul(uint64_t x) {
    const __m128i all_ones = _mm_set1_epi8(-1);
    return uint64_t(_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, int64_t(x)), all_ones, 0)));
}

__attribute__((target("avx2,pclmul"))) hp_json_scan_status scan_avx2(const uint8_t *base, size_t start, size_t limit,
                                                                     uint32_t max_depth, size_t *end) {
    return scan<masks_avx2, prefix_xor_clmul>(base, start, limit, max_depth, end);
}

const bool has_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul");
#endif

} // namespace

extern "C" hp_json_scan_status hp_json_scan_value(const uint8_t *base, size_t start, size_t limit,
                                                  uint32_t max_depth, size_t *end) {
#if HP_JSON_SSE2
    if (has_avx2) return scan_avx2(base, start, limit, max_depth, end);
#endif
    return scan<masks, prefix_xor>(base, start, limit, max_depth, end);
}

extern "C" hp_json_scan_status hp_json_scan_value_baseline(const uint8_t *base, size_t start, size_t limit,
                                                           uint32_t max_depth, size_t *end) {
    return scan<masks, prefix_xor>(base, start, limit, max_depth, end);
}

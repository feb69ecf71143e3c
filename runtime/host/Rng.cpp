//===- Rng.cpp - Philox4x32-10 counter-based random numbers ---------------===//
//
// Word mapping (matches Random123's philox4x32_R(10, ctr, key) and its
// known-answer vectors, where ctr = {c0, c1, c2, c3} and key = {k0, k1} are
// printed in array order):
//
//   k0 = low 32 bits of key,          k1 = high 32 bits of key
//   c0 = low 32 bits of counterLow,   c1 = high 32 bits of counterLow
//   c2 = low 32 bits of counterHigh,  c3 = high 32 bits of counterHigh
//
// and the result array is {c0, c1, c2, c3} after ten rounds. One round is
//   (hi0, lo0) = 0xD2511F53 * c0,  (hi1, lo1) = 0xCD9E8D57 * c2
//   c = {hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0}
// and the key is bumped by the Weyl constants (0x9E3779B9, 0xBB67AE85)
// between rounds.
//
// uniform01(seed, stream, index) uses key = seed, counterHigh = stream,
// counterLow = index / 4 and takes word index % 4 as (word >> 8) * 2^-24.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Rng.h"
#include "runtime/host/Avx512.h"

namespace hpt::rt {

namespace {

constexpr uint32_t kMul0 = 0xD2511F53u;
constexpr uint32_t kMul1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u;
constexpr uint32_t kWeyl1 = 0xBB67AE85u;

/// Philox4x32-10 for kLanes consecutive values of counterLow (base, base+1,
/// ...), counterHigh fixed. Written as lane loops so the compiler can use
/// vector 32x32->64 multiplies. out[w][l] is word w of lane l.
template <int kLanes>
inline void philoxLanes(uint64_t key, uint64_t counterHigh, uint64_t base,
                        uint32_t out[4][kLanes]) {
  uint32_t c0[kLanes], c1[kLanes], c2[kLanes], c3[kLanes];
  for (int l = 0; l < kLanes; ++l) {
    uint64_t lo = base + static_cast<uint64_t>(l);
    c0[l] = static_cast<uint32_t>(lo);
    c1[l] = static_cast<uint32_t>(lo >> 32);
    c2[l] = static_cast<uint32_t>(counterHigh);
    c3[l] = static_cast<uint32_t>(counterHigh >> 32);
  }
  uint32_t k0 = static_cast<uint32_t>(key);
  uint32_t k1 = static_cast<uint32_t>(key >> 32);
  for (int round = 0; round < 10; ++round) {
    for (int l = 0; l < kLanes; ++l) {
      uint64_t p0 = static_cast<uint64_t>(kMul0) * c0[l];
      uint64_t p1 = static_cast<uint64_t>(kMul1) * c2[l];
      uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1[l] ^ k0;
      uint32_t n1 = static_cast<uint32_t>(p1);
      uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3[l] ^ k1;
      uint32_t n3 = static_cast<uint32_t>(p0);
      c0[l] = n0;
      c1[l] = n1;
      c2[l] = n2;
      c3[l] = n3;
    }
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  for (int l = 0; l < kLanes; ++l) {
    out[0][l] = c0[l];
    out[1][l] = c1[l];
    out[2][l] = c2[l];
    out[3][l] = c3[l];
  }
}

#if defined(__SSE2__)
/// Philox4x32-10 for 16 consecutive counterLow values with SSE2: lane l of
/// group q is counter base + 4q + l. Same result as philoxLanes<16>.
inline void philox16Sse2(uint64_t key, uint64_t counterHigh, uint64_t base,
                         uint32_t out[4][16]) {
  constexpr int kGroups = 4;
  __m128i c0[kGroups], c1[kGroups], c2[kGroups], c3[kGroups];
  for (int q = 0; q < kGroups; ++q) {
    alignas(16) uint32_t lo[4], hi[4];
    for (int l = 0; l < 4; ++l) {
      uint64_t v = base + static_cast<uint64_t>(4 * q + l);
      lo[l] = static_cast<uint32_t>(v);
      hi[l] = static_cast<uint32_t>(v >> 32);
    }
    c0[q] = _mm_load_si128(reinterpret_cast<const __m128i *>(lo));
    c1[q] = _mm_load_si128(reinterpret_cast<const __m128i *>(hi));
    c2[q] = _mm_set1_epi32(static_cast<int>(static_cast<uint32_t>(counterHigh)));
    c3[q] = _mm_set1_epi32(static_cast<int>(static_cast<uint32_t>(counterHigh >> 32)));
  }
  const __m128i mul0 = _mm_set1_epi32(static_cast<int>(kMul0));
  const __m128i mul1 = _mm_set1_epi32(static_cast<int>(kMul1));
  uint32_t k0 = static_cast<uint32_t>(key);
  uint32_t k1 = static_cast<uint32_t>(key >> 32);
  // (hi, lo) of a * mul per 32-bit lane: _mm_mul_epu32 multiplies lanes 0 and
  // 2; shifting right by 32 brings lanes 1 and 3 there.
  auto mulhilo = [](__m128i a, __m128i mul, __m128i &hi, __m128i &lo) {
    __m128i even = _mm_mul_epu32(a, mul);                    // [lo0 hi0 lo2 hi2]
    __m128i odd = _mm_mul_epu32(_mm_srli_epi64(a, 32), mul); // [lo1 hi1 lo3 hi3]
    even = _mm_shuffle_epi32(even, _MM_SHUFFLE(3, 1, 2, 0)); // [lo0 lo2 hi0 hi2]
    odd = _mm_shuffle_epi32(odd, _MM_SHUFFLE(3, 1, 2, 0));   // [lo1 lo3 hi1 hi3]
    lo = _mm_unpacklo_epi32(even, odd);
    hi = _mm_unpackhi_epi32(even, odd);
  };
  for (int round = 0; round < 10; ++round) {
    const __m128i key0 = _mm_set1_epi32(static_cast<int>(k0));
    const __m128i key1 = _mm_set1_epi32(static_cast<int>(k1));
    for (int q = 0; q < kGroups; ++q) {
      __m128i hi0, lo0, hi1, lo1;
      mulhilo(c0[q], mul0, hi0, lo0);
      mulhilo(c2[q], mul1, hi1, lo1);
      c0[q] = _mm_xor_si128(_mm_xor_si128(hi1, c1[q]), key0);
      c1[q] = lo1;
      c2[q] = _mm_xor_si128(_mm_xor_si128(hi0, c3[q]), key1);
      c3[q] = lo0;
    }
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  for (int q = 0; q < kGroups; ++q) {
    _mm_storeu_si128(reinterpret_cast<__m128i *>(&out[0][4 * q]), c0[q]);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(&out[1][4 * q]), c1[q]);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(&out[2][4 * q]), c2[q]);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(&out[3][4 * q]), c3[q]);
  }
}
#endif

inline float toUnit(uint32_t word) {
  return static_cast<float>(word >> 8) * 0x1p-24f;
}

/// (hi, lo) of a * mul per 32-bit lane: _mm512_mul_epu32 multiplies the even
/// lanes; shifting right by 32 brings the odd ones there.
HPT_AVX512 inline void mulhilo512(__m512i a, __m512i mul, __m512i &hi, __m512i &lo) {
  constexpr __mmask16 kOddLanes = 0xAAAA;
  __m512i even = _mm512_mul_epu32(a, mul);
  __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), mul);
  lo = _mm512_mask_blend_epi32(kOddLanes, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(kOddLanes, _mm512_srli_epi64(even, 32), odd);
}

/// Philox4x32-10 for counterLow = base .. base + 15, one lane each, as
/// uniforms: words[w][l] -> toUnit of word w of lane l. Same values as
/// philoxLanes<16>; dropout masks are most of the random numbers a LoRA step
/// draws, so they get the widest vectors the CPU has.
HPT_AVX512 void uniform16x4Avx512(uint64_t key, uint64_t counterHigh, uint64_t base,
                                  float out[4][16]) {
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  // base + l, split into low and high words (a carry out of the low word
  // reaches only the lanes past the wrap).
  __m512i c0 = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(base))),
                                lanes);
  __mmask16 wrapped = _mm512_cmplt_epu32_mask(c0, lanes);
  const __m512i high = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(base >> 32)));
  __m512i c1 = _mm512_mask_add_epi32(high, wrapped, high, _mm512_set1_epi32(1));
  __m512i c2 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(counterHigh)));
  __m512i c3 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(counterHigh >> 32)));
  const __m512i mul0 = _mm512_set1_epi32(static_cast<int>(kMul0));
  const __m512i mul1 = _mm512_set1_epi32(static_cast<int>(kMul1));
  uint32_t k0 = static_cast<uint32_t>(key);
  uint32_t k1 = static_cast<uint32_t>(key >> 32);
  for (int round = 0; round < 10; ++round) {
    __m512i hi0, lo0, hi1, lo1;
    mulhilo512(c0, mul0, hi0, lo0);
    mulhilo512(c2, mul1, hi1, lo1);
    c0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32(static_cast<int>(k0)));
    c1 = lo1;
    c2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32(static_cast<int>(k1)));
    c3 = lo0;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  const __m512 scale = _mm512_set1_ps(0x1p-24f);
  __m512i words[4] = {c0, c1, c2, c3};
  for (int w = 0; w < 4; ++w)
    _mm512_storeu_ps(out[w],
                     _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(words[w], 8)), scale));
}

} // namespace

std::array<uint32_t, 4> philox4x32(uint64_t key, uint64_t counterHigh,
                                   uint64_t counterLow) {
  uint32_t out[4][1];
  philoxLanes<1>(key, counterHigh, counterLow, out);
  return {out[0][0], out[1][0], out[2][0], out[3][0]};
}

float uniform01(uint64_t seed, uint64_t stream, uint64_t index) {
  std::array<uint32_t, 4> words = philox4x32(seed, stream, index / 4);
  return toUnit(words[index % 4]);
}

namespace detail {
void uniformBlock64(uint64_t seed, uint64_t stream, uint64_t firstIndex,
                    float out[64]) {
  constexpr int kLanes = 16;
  if (cpuHasAvx512f()) {
    float units[4][kLanes];
    uniform16x4Avx512(seed, stream, firstIndex / 4, units);
    for (int l = 0; l < kLanes; ++l)
      for (int w = 0; w < 4; ++w)
        out[4 * l + w] = units[w][l];
    return;
  }
  uint32_t words[4][kLanes];
#if defined(__SSE2__)
  philox16Sse2(seed, stream, firstIndex / 4, words);
#else
  philoxLanes<kLanes>(seed, stream, firstIndex / 4, words);
#endif
  for (int l = 0; l < kLanes; ++l)
    for (int w = 0; w < 4; ++w)
      out[4 * l + w] = toUnit(words[w][l]);
}
} // namespace detail

void fillUniform(float *out, int64_t count, float low, float high, uint64_t seed,
                 uint64_t stream) {
  if (count <= 0)
    return;
  const float range = high - low;
  const uint64_t n = static_cast<uint64_t>(count);
  uint64_t i = 0;
  float u[64];
  for (; i + 64 <= n; i += 64) {
    detail::uniformBlock64(seed, stream, i, u);
    for (int j = 0; j < 64; ++j)
      out[i + j] = low + range * u[j];
  }
  for (; i < n; ++i)
    out[i] = low + range * uniform01(seed, stream, i);
}

} // namespace hpt::rt

#include "core/sha256.h"

#include <algorithm>
#include <atomic>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace cp {

namespace {

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
// roots of the first 64 primes.
constexpr std::uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// The block function: runs §6.2.2 over `count` consecutive 64-byte blocks,
// updating the eight state words a..h in place.
using BlockFn = void (*)(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count);

// §6.2.2: the SHA-256 hash computation, in portable C++.
void block_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) {
  for (; count > 0; --count, blocks += 64) {
    const std::uint8_t* block = blocks;
    std::uint32_t w[64];
    for (int t = 0; t < 16; ++t)
      w[t] = (std::uint32_t{block[4 * t]} << 24) | (std::uint32_t{block[4 * t + 1]} << 16) |
             (std::uint32_t{block[4 * t + 2]} << 8) | std::uint32_t{block[4 * t + 3]};
    for (int t = 16; t < 64; ++t) {
      const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; ++t) {
      const std::uint32_t big_s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const std::uint32_t ch = (e & f) ^ (~e & g);
      const std::uint32_t t1 = h + big_s1 + ch + kRound[t] + w[t];
      const std::uint32_t big_s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const std::uint32_t t2 = big_s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if defined(__x86_64__)

// CPUID: SHA extensions (leaf 7, EBX bit 29), plus the SSSE3 and SSE4.1 that
// the routine below also uses (leaf 1, ECX bits 9 and 19).
bool cpu_has_sha_ni() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sse = (ecx & bit_SSSE3) != 0 && (ecx & bit_SSE4_1) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  return sse && (ebx & bit_SHA) != 0;
}

// §6.2.2 with the x86 SHA extensions. Only this function is compiled for
// them; it is called only when cpu_has_sha_ni().
//
// SHA256RNDS2 keeps the working variables in two registers, ABEF and CDGH,
// as 32-bit lanes from high to low: ABEF = {A, B, E, F}, CDGH = {C, D, G, H}.
// It runs two rounds from the two lowest lanes of its third operand (W + K)
// and returns the new ABEF; the old ABEF is then the new CDGH.
// The message schedule keeps W in four registers of four words each, the
// lowest lane holding the lowest index t. For t >= 16,
//   W[t..t+3] = MSG2(MSG1(W[t-16..t-13], W[t-12..t-9]) + W[t-7..t-4], W[t-4..t-1])
// where MSG1 adds σ0(W[t-15..t-12]) and MSG2 adds σ1(W[t-2..t+1]), the last
// two of those being the words it has just computed.
__attribute__((target("sha,sse4.1"))) void block_sha_ni(std::uint32_t* state, const std::uint8_t* blocks,
                                                         std::size_t count) {
  // Byte order within each 32-bit lane reversed: the message is big-endian.
  const __m128i byte_swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);

  // state[0..3] = a b c d, state[4..7] = e f g h (lowest lane first).
  const __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1B);
  const __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  __m128i abef = _mm_unpackhi_epi64(hgfe, dcba);  // lanes low..high: f e b a
  __m128i cdgh = _mm_unpacklo_epi64(hgfe, dcba);  // lanes low..high: h g d c

  for (; count > 0; --count, blocks += 64) {
    const __m128i abef_in = abef;
    const __m128i cdgh_in = cdgh;
    __m128i w[4];
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i)
      w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)), byte_swap);

    // Sixteen steps of four rounds. At step i, w[i % 4] holds W[4i-16..4i-13]
    // and is replaced by W[4i..4i+3]; w[(i+1) % 4], w[(i+2) % 4] and
    // w[(i+3) % 4] hold the next three groups of four.
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
      __m128i& cur = w[i & 3];
      if (i >= 4) {
        const __m128i minus4 = w[(i + 3) & 3];  // W[4i-4..4i-1]
        const __m128i minus8 = w[(i + 2) & 3];  // W[4i-8..4i-5]
        __m128i x = _mm_sha256msg1_epu32(cur, w[(i + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(minus4, minus8, 4));  // + W[4i-7..4i-4]
        cur = _mm_sha256msg2_epu32(x, minus4);
      }
      __m128i wk = _mm_add_epi32(cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kRound + 4 * i)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);  // rounds 4i, 4i+1: cdgh is now ABEF, abef is CDGH
      wk = _mm_shuffle_epi32(wk, 0x0E);              // the upper two W + K into the low lanes
      abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);  // rounds 4i+2, 4i+3: back to their names
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
  }

  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_shuffle_epi32(_mm_unpackhi_epi64(cdgh, abef), 0x1B));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_shuffle_epi32(_mm_unpacklo_epi64(cdgh, abef), 0x1B));
}

#endif  // __x86_64__

BlockFn best_block_fn() {
#if defined(__x86_64__)
  if (cpu_has_sha_ni()) return &block_sha_ni;
#endif
  return &block_portable;
}

// The block function in use. It starts as a stub that makes the choice on
// the first call; the atomic is constant-initialized, so hashing during
// static initialization is safe, and threads racing on the first call all
// store the same pointer.
void block_first_use(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count);
std::atomic<BlockFn> g_block{&block_first_use};

void block_first_use(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) {
  const BlockFn fn = best_block_fn();
  g_block.store(fn, std::memory_order_relaxed);
  fn(state, blocks, count);
}

}  // namespace

Sha256::Sha256()
    // §5.3.3: the initial hash value.
    : state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::compress(const std::uint8_t* blocks, std::size_t count) {
  g_block.load(std::memory_order_relaxed)(state_.data(), blocks, count);
}

void Sha256::update(std::string_view bytes) {
  total_bytes_ += bytes.size();
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t n = bytes.size();
  while (n > 0) {
    if (buffered_ == 0 && n >= 64) {
      const std::size_t blocks = n / 64;
      compress(p, blocks);
      p += 64 * blocks;
      n -= 64 * blocks;
      continue;
    }
    const std::size_t take = std::min<std::size_t>(64 - buffered_, n);
    for (std::size_t i = 0; i < take; ++i) buffer_[buffered_ + i] = p[i];
    buffered_ += take;
    p += take;
    n -= take;
    if (buffered_ == 64) {
      compress(buffer_.data(), 1);
      buffered_ = 0;
    }
  }
}

std::array<std::uint8_t, 32> Sha256::digest() {
  // §5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, then the length in bits.
  const std::uint64_t bits = total_bytes_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > 56) {
    while (buffered_ < 64) buffer_[buffered_++] = 0;
    compress(buffer_.data(), 1);
    buffered_ = 0;
  }
  while (buffered_ < 56) buffer_[buffered_++] = 0;
  for (int i = 7; i >= 0; --i) buffer_[buffered_++] = static_cast<std::uint8_t>(bits >> (8 * i));
  compress(buffer_.data(), 1);
  buffered_ = 0;

  std::array<std::uint8_t, 32> out{};
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t k = 0; k < 4; ++k) out[4 * i + k] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * k));
  return out;
}

std::string Sha256::hex_digest() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (std::uint8_t byte : digest()) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex_digest();
}

namespace detail {

bool sha256_backend_available(Sha256Backend backend) {
  switch (backend) {
    case Sha256Backend::Portable:
      return true;
    case Sha256Backend::ShaNi:
#if defined(__x86_64__)
      return cpu_has_sha_ni();
#else
      return false;
#endif
  }
  return false;
}

Sha256Backend sha256_backend() {
  BlockFn fn = g_block.load(std::memory_order_relaxed);
  if (fn == &block_first_use) fn = best_block_fn();
  return fn == &block_portable ? Sha256Backend::Portable : Sha256Backend::ShaNi;
}

bool sha256_set_backend(Sha256Backend backend) {
  if (!sha256_backend_available(backend)) return false;
#if defined(__x86_64__)
  g_block.store(backend == Sha256Backend::ShaNi ? &block_sha_ni : &block_portable, std::memory_order_relaxed);
#else
  g_block.store(&block_portable, std::memory_order_relaxed);
#endif
  return true;
}

}  // namespace detail

}  // namespace cp

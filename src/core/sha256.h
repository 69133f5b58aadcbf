// SHA-256 (FIPS 180-4), for content hashes: cache keys and manifests.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cp {

// Incremental hashing: feed bytes with update(), then take the digest once.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::array<std::uint8_t, 32> digest();  // finishes; the object is then spent
  std::string hex_digest();               // 64 lower-case hex digits

 private:
  // Runs the block function over `count` consecutive 64-byte blocks.
  void compress(const std::uint8_t* blocks, std::size_t count);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// SHA-256 of `bytes` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

// For tests and benchmarks only: the block function behind Sha256. It is
// chosen once per process: the x86 SHA extensions when the CPU has them
// (CPUID), the portable code otherwise. Both give identical digests.
namespace detail {

enum class Sha256Backend { Portable, ShaNi };

bool sha256_backend_available(Sha256Backend backend);
Sha256Backend sha256_backend();
// Makes every Sha256 in the process use `backend` from now on. Returns false,
// changing nothing, when this CPU or build lacks it.
bool sha256_set_backend(Sha256Backend backend);

}  // namespace detail

}  // namespace cp

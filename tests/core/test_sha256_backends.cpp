// Both SHA-256 block functions (portable and x86 SHA extensions) against the
// FIPS 180-2 vectors and against each other.
#include "core/sha256.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

using cp::detail::Sha256Backend;

namespace {

// Selects a backend for one test and restores the previous one afterwards.
class BackendScope {
 public:
  explicit BackendScope(Sha256Backend backend) : previous_(cp::detail::sha256_backend()) {
    selected_ = cp::detail::sha256_set_backend(backend);
  }
  ~BackendScope() { cp::detail::sha256_set_backend(previous_); }
  BackendScope(const BackendScope&) = delete;
  BackendScope& operator=(const BackendScope&) = delete;
  bool selected() const { return selected_; }

 private:
  Sha256Backend previous_;
  bool selected_ = false;
};

const char* name(Sha256Backend backend) { return backend == Sha256Backend::Portable ? "portable" : "SHA-NI"; }

// The backends to test; the SHA-NI one is skipped, with a warning, only when
// this CPU (or a non-x86 build) lacks it.
std::vector<Sha256Backend> testable_backends() {
  std::vector<Sha256Backend> out{Sha256Backend::Portable};
  if (cp::detail::sha256_backend_available(Sha256Backend::ShaNi))
    out.push_back(Sha256Backend::ShaNi);
  else
    WARN("this CPU lacks the SHA extensions: only the portable SHA-256 is tested");
  return out;
}

std::string random_bytes(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(byte(rng));
  return out;
}

// `msg` fed to one Sha256 in pieces of random length (0 to max_piece bytes).
std::string hash_in_pieces(std::mt19937& rng, const std::string& msg, std::size_t max_piece) {
  std::uniform_int_distribution<std::size_t> piece(0, max_piece);
  cp::Sha256 h;
  std::size_t at = 0;
  while (at < msg.size()) {
    const std::size_t n = std::min(piece(rng), msg.size() - at);
    h.update(std::string_view(msg).substr(at, n));
    at += n;
  }
  return h.hex_digest();
}

}  // namespace

TEST_CASE("sha256 backends: SHA-NI by default where the CPU has it, else portable", "[sha256]") {
  // Every other test restores the backend it found, so this is the choice
  // made from CPUID.
  const bool sha_ni = cp::detail::sha256_backend_available(Sha256Backend::ShaNi);
  CHECK(cp::detail::sha256_backend() == (sha_ni ? Sha256Backend::ShaNi : Sha256Backend::Portable));
  CHECK(cp::detail::sha256_backend_available(Sha256Backend::Portable));
#if defined(__x86_64__)
  // Only the SHA-NI half depends on the CPU.
  if (!cp::detail::sha256_backend_available(Sha256Backend::ShaNi)) {
    WARN("this CPU lacks the SHA extensions");
    CHECK_FALSE(cp::detail::sha256_set_backend(Sha256Backend::ShaNi));
  }
#else
  CHECK_FALSE(cp::detail::sha256_backend_available(Sha256Backend::ShaNi));
#endif
  for (Sha256Backend backend : testable_backends()) {
    BackendScope scope(backend);
    REQUIRE(scope.selected());
    CHECK(cp::detail::sha256_backend() == backend);
  }
}

TEST_CASE("sha256 backends: FIPS 180-2 test vectors", "[sha256]") {
  for (Sha256Backend backend : testable_backends()) {
    INFO("backend: " << name(backend));
    BackendScope scope(backend);
    REQUIRE(scope.selected());
    CHECK(cp::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(cp::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(cp::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(cp::sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // The million 'a' again, 1000 bytes at a time.
    cp::Sha256 h;
    const std::string thousand(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.update(thousand);
    CHECK(h.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
}

TEST_CASE("sha256 backends: random messages hash alike whole, in pieces and on either backend", "[sha256]") {
  const std::vector<Sha256Backend> backends = testable_backends();
  std::mt19937 rng(20261128);  // fixed seed: failures reproduce

  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (std::size_t n : {4096u, 65536u + 17u, 1000003u, 4u * 1024 * 1024 + 63}) lengths.push_back(n);

  for (std::size_t length : lengths) {
    const std::string msg = random_bytes(rng, length);
    std::string reference;
    {
      BackendScope scope(Sha256Backend::Portable);
      reference = cp::sha256_hex(msg);
    }
    for (Sha256Backend backend : backends) {
      INFO("backend: " << name(backend) << ", length: " << length);
      BackendScope scope(backend);
      REQUIRE(scope.selected());
      CHECK(cp::sha256_hex(msg) == reference);
      // Small pieces cross every buffer position; large ones take the
      // many-blocks-at-once path with an unaligned remainder.
      CHECK(hash_in_pieces(rng, msg, 70) == reference);
      CHECK(hash_in_pieces(rng, msg, length < 1000 ? 300 : 100000) == reference);
    }
  }
}

// out/verify/: a static page that confirms a certificate from its code,
// with nothing about anyone readable without that person's code.
//
// For each certificate, master = PBKDF2-HMAC-SHA256(code, salt,
// kIterations, 32 bytes); its entry is stored under
// id = hex(SHA-256("coursepack verify id" || master))[0..32) and holds
// AES-256-GCM(key = SHA-256("coursepack verify key" || master),
// iv, additional data = id) of the details as JSON, padded to a multiple of
// 256 bytes. The page (WebCrypto) derives the same from a typed code. See
// SECURITY.md for what this protects and what it does not.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pack/pack.h"
#include "verify/register.h"

namespace cp::verify {

inline constexpr unsigned kIterations = 600000;

// Derived masters by code, kept between runs (out/.cache/verify-keys.json):
// each code costs one slow derivation, once.
// The entry "#params" records the salt and iteration count they were
// derived with; other parameters start the cache afresh.
using KeyCache = std::map<std::string, std::string>;  // code → master, hex
KeyCache parse_key_cache(std::string_view json);
std::string key_cache_json(const KeyCache& cache);

// The salt of a programme: SHA-256 of its title and organisation, first 16
// bytes (the same for every certificate of the programme; public).
std::string programme_salt(const model::Project& project);

// PBKDF2-HMAC-SHA256 of the code (hex of 32 bytes).
std::string derive_master(const std::string& code, const std::string& salt, unsigned iterations);

struct SealedEntry {
  std::string id;          // 32 hex digits
  std::string iv;          // base64 of 12 bytes
  std::string ciphertext;  // base64 of the encrypted details and the 16-byte tag
};
// The entry for one certificate; `master` in hex. The IV is derived from
// the key and the plaintext, so the same details give the same bytes.
SealedEntry seal(const Issued& entry, const std::string& master_hex);
// The inverse, for tests: the details' JSON, or "" when the key is wrong.
std::string unseal(const SealedEntry& sealed, const std::string& master_hex);

// index.html and entries.js for every certificate of the register.
// Missing masters are derived on `threads` threads and added to `cache`.
std::vector<pack::OutputFile> verification_page(const Register& reg, const model::Project& project, KeyCache& cache,
                                                unsigned threads, unsigned iterations = kIterations);

}  // namespace cp::verify

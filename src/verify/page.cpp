#include "verify/page.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "core/json.h"
#include "core/parallel.h"
#include "core/sha256.h"
#include "core/text.h"

namespace cp::verify {

namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

std::string unhex(const std::string& h) {
  auto v = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(v(h[i]) << 4 | v(h[i + 1]));
  return out;
}

std::string b64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unb64(const std::string& text) {
  std::string out(3 * (text.size() / 4) + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return {};
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as data.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --len;
  out.resize(len);
  return out;
}

std::string sha256_bytes(std::string_view data) {
  Sha256 h;
  h.update(data);
  const auto d = h.digest();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

// id and key from the master (32 raw bytes).
std::string entry_id(const std::string& master) {
  const std::string h = sha256_bytes("coursepack verify id" + master);
  return hex(reinterpret_cast<const unsigned char*>(h.data()), 16);
}
std::string entry_key(const std::string& master) { return sha256_bytes("coursepack verify key" + master); }

std::string details_json(const Issued& e) {
  std::string date = e.date;
  if (const auto d = model::Date::parse_iso(e.date)) date = d->swedish_long();
  nlohmann::ordered_json j;
  j["name"] = e.name;
  j["course"] = e.course;
  j["date"] = date;
  j["municipality"] = e.municipality;
  j["status"] = status_word(e.status);
  std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Padding hides how long the name is.
  s.append((256 - s.size() % 256) % 256, ' ');
  return s;
}

}  // namespace

KeyCache parse_key_cache(std::string_view json) {
  KeyCache cache;
  const auto j = cp::json::parse(json);
  if (j.is_discarded() || !j.is_object()) return cache;
  for (const auto& [code, master] : j.items())
    if (master.is_string() && (master.get<std::string>().size() == 64 || code == "#params"))
      cache[code] = master.get<std::string>();
  return cache;
}

std::string key_cache_json(const KeyCache& cache) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [code, master] : cache) j[code] = master;
  return j.dump(1) + "\n";
}

std::string programme_salt(const model::Project& project) {
  const std::string h = sha256_bytes("coursepack verify salt\x1f" + project.title + '\x1f' + project.organisation);
  return h.substr(0, 16);
}

std::string derive_master(const std::string& code, const std::string& salt, unsigned iterations) {
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(code.data(), static_cast<int>(code.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(), sizeof out,
                        out) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return hex(out, sizeof out);
}

SealedEntry seal(const Issued& entry, const std::string& master_hex) {
  const std::string master = unhex(master_hex);
  SealedEntry s;
  s.id = entry_id(master);
  const std::string key = entry_key(master);
  const std::string plain = details_json(entry);
  const std::string iv = sha256_bytes("coursepack verify iv" + key + plain).substr(0, 12);
  std::string ct(plain.size() + 16, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0, total = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx, nullptr, nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                               reinterpret_cast<const unsigned char*>(iv.data())) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(s.id.data()),
                              static_cast<int>(s.id.size())) == 1 &&
            EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(ct.data()), &len,
                              reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size())) == 1;
  total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(ct.data()) + total, &len) == 1;
  total += len;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, ct.data() + total) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("AES-GCM failed");
  ct.resize(static_cast<std::size_t>(total) + 16);
  s.iv = b64(iv);
  s.ciphertext = b64(ct);
  return s;
}

std::string unseal(const SealedEntry& sealed, const std::string& master_hex) {
  const std::string master = unhex(master_hex);
  if (entry_id(master) != sealed.id) return {};
  const std::string key = entry_key(master);
  const std::string iv = unb64(sealed.iv);
  const std::string ct = unb64(sealed.ciphertext);
  if (iv.size() != 12 || ct.size() < 16) return {};
  std::string plain(ct.size() - 16, '\0');
  std::string tag = ct.substr(ct.size() - 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx, nullptr, nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                               reinterpret_cast<const unsigned char*>(iv.data())) == 1 &&
            EVP_DecryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(sealed.id.data()),
                              static_cast<int>(sealed.id.size())) == 1 &&
            EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plain.data()), &len,
                              reinterpret_cast<const unsigned char*>(ct.data()), static_cast<int>(plain.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1;
  int fin = 0;
  ok = ok && EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(plain.data()) + len, &fin) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return {};
  while (!plain.empty() && plain.back() == ' ') plain.pop_back();
  return plain;
}

namespace {

constexpr const char* kIndexHtml = R"HTML(<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>Kontrollera ett kursintyg – {{title}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.5rem; }
form { display: flex; gap: .5rem; flex-wrap: wrap; margin: 1.5rem 0; }
input { font: inherit; font-family: ui-monospace, monospace; font-size: 1.25rem; letter-spacing: .1em; padding: .4rem .6rem; width: 15ch; text-transform: uppercase; }
button { font: inherit; padding: .4rem 1rem; }
#result { border-left: .4rem solid #888; padding: .5rem 1rem; min-height: 1.5rem; }
#result.valid { border-color: #1b7d3a; background: #eef8f0; }
#result.revoked, #result.notfound { border-color: #b3261e; background: #fcefee; }
#result.planned { border-color: #b26a00; background: #fff6e5; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
footer { margin-top: 2rem; font-size: .9rem; color: #555; }
</style>
</head>
<body>
<main>
<h1>Kontrollera ett kursintyg</h1>
<p>{{title}}, {{organisation}}. Skriv koden som står på intyget (till exempel <code>ABCDE-FGHJK</code>).</p>
<form id="form" autocomplete="off">
<label for="code">Kod</label>
<input id="code" name="code" maxlength="13" spellcheck="false" autocapitalize="characters" required>
<button type="submit">Kontrollera</button>
</form>
<div id="result" role="status" aria-live="polite"></div>
</main>
<footer>Uppgifterna är krypterade med intygets kod och kan bara läsas av den som har koden.</footer>
<script src="entries.js"></script>
<script src="verify.js"></script>
</body>
</html>
)HTML";

constexpr const char* kVerifyJs = R"JS('use strict';
(function () {
  var ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  var data = window.COURSEPACK_VERIFY;
  var form = document.getElementById('form');
  var input = document.getElementById('code');
  var result = document.getElementById('result');
  var enc = new TextEncoder();

  function normal(text) {
    var s = String(text).toUpperCase().replace(/[^0-9A-Z]/g, '');
    if (s.length !== 10) return null;
    for (var i = 0; i < s.length; i++) if (ALPHABET.indexOf(s[i]) < 0) return null;
    return s.slice(0, 5) + '-' + s.slice(5);
  }
  function bytes(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function join(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }
  function show(kind, heading, details) {
    result.className = kind;
    result.textContent = '';
    var p = document.createElement('p');
    var strong = document.createElement('strong');
    strong.textContent = heading;
    p.appendChild(strong);
    result.appendChild(p);
    if (!details) return;
    var dl = document.createElement('dl');
    [['Namn', details.name], ['Utbildning', details.course], ['Datum', details.date], ['Kommun', details.municipality]]
      .forEach(function (row) {
        var dt = document.createElement('dt'), dd = document.createElement('dd');
        dt.textContent = row[0];
        dd.textContent = row[1];
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
    result.appendChild(dl);
  }
  async function check(text) {
    var code = normal(text);
    if (!code) {
      show('notfound', 'Det är inte en giltig kod: koden har tio tecken, till exempel ABCDE-FGHJK.');
      return;
    }
    input.value = code;
    if (!window.crypto || !crypto.subtle) {
      show('notfound', 'Webbläsaren kan inte kontrollera koden här: sidan behöver https (eller öppnas som fil).');
      return;
    }
    show('', 'Kontrollerar ' + code + ' …');
    var base = await crypto.subtle.importKey('raw', enc.encode(code), 'PBKDF2', false, ['deriveBits']);
    var master = new Uint8Array(await crypto.subtle.deriveBits(
      { name: 'PBKDF2', salt: bytes(data.salt), iterations: data.iterations, hash: 'SHA-256' }, base, 256));
    var id = hex(await crypto.subtle.digest('SHA-256', join(enc.encode('coursepack verify id'), master))).slice(0, 32);
    var entry = data.entries[id];
    if (!entry) {
      show('notfound', 'Inget kursintyg med koden ' + code + ' hittades. Kontrollera att koden är rätt skriven.');
      return;
    }
    var raw = await crypto.subtle.digest('SHA-256', join(enc.encode('coursepack verify key'), master));
    var key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
    var plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(entry[0]), additionalData: enc.encode(id) },
                                            key, bytes(entry[1]));
    var details = JSON.parse(new TextDecoder().decode(plain));
    if (details.status === 'valid') show('valid', 'Kursintyget ' + code + ' är äkta.', details);
    else if (details.status === 'planned') show('planned', 'Kursintyget ' + code + ' gäller en utbildning som ännu inte är genomförd.', details);
    else show('revoked', 'Kursintyget ' + code + ' är återkallat och gäller inte längre.', details);
  }
  function run(text) {
    check(text).catch(function () { show('notfound', 'Koden kunde inte kontrolleras.'); });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    history.replaceState(null, '', '#' + (normal(input.value) || input.value));
    run(input.value);
  });
  function fromHash() {
    var h = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (h) { input.value = h; run(h); }
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
)JS";


std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

std::vector<pack::OutputFile> verification_page(const Register& reg, const model::Project& project, KeyCache& cache,
                                                unsigned threads, unsigned iterations) {
  const std::string salt = programme_salt(project);
  // The cache is only good for the same salt and iteration count.
  const std::string cache_tag = fmt::format("{}:{}", hex(reinterpret_cast<const unsigned char*>(salt.data()), salt.size()),
                                            iterations);
  if (auto it = cache.find("#params"); it == cache.end() || it->second != cache_tag) cache.clear();
  std::vector<std::string> missing;
  for (const auto& e : reg.entries)
    if (!cache.count(e.code)) missing.push_back(e.code);
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  std::vector<std::string> derived(missing.size());
  parallel_for(missing.size(), std::max(1u, threads),
               [&](std::size_t i) { derived[i] = derive_master(missing[i], salt, iterations); });
  for (std::size_t i = 0; i < missing.size(); ++i) cache[missing[i]] = derived[i];
  cache["#params"] = cache_tag;

  // One entry per code: the latest word on a code is its status.
  std::map<std::string, SealedEntry> entries;  // by id: sorted, so the file is stable
  for (const auto& e : reg.entries) {
    SealedEntry s = seal(e, cache.at(e.code));
    entries[s.id] = std::move(s);
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::object();
  for (const auto& [id, s] : entries) list[id] = {s.iv, s.ciphertext};
  nlohmann::ordered_json data;
  data["format"] = "coursepack verify 1";
  data["salt"] = b64(salt);
  data["iterations"] = iterations;
  data["entries"] = std::move(list);
  std::string entries_js = "window.COURSEPACK_VERIFY = " + data.dump(-1) + ";\n";

  std::string html = replace_all(kIndexHtml, "{{title}}", text::html_escape(project.title));
  html = replace_all(html, "{{organisation}}", text::html_escape(project.organisation));
  return {{"index.html", html}, {"verify.js", kVerifyJs}, {"entries.js", std::move(entries_js)}};
}

}  // namespace cp::verify

#include "documents/verification.h"

#include <fmt/format.h>

#include <qrencode.h>

#include <array>
#include <cstdint>

#include "core/sha256.h"
#include "core/text.h"

namespace cp::documents {

namespace {

// Fields are joined with the ASCII unit separator, which no field contains
// (control characters are refused by validation), so ("ab", "c") and
// ("a", "bc") hash differently.
constexpr char kSep = '\x1f';

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string verification_code(const model::Project& project, const model::Course& course,
                              const model::Municipality& municipality, const model::Visit& visit,
                              const model::Participant& participant) {
  Sha256 h;
  auto field = [&h](std::string_view s) {
    h.update(s);
    h.update(std::string_view(&kSep, 1));
  };
  field("coursepack certificate v1");
  field(text::is_valid_utf8(project.title) ? text::to_nfc(project.title) : project.title);
  field(course.id);
  field(municipality.code);
  field(visit.date.iso());
  const std::string name(text::trim(participant.name));
  field(text::is_valid_utf8(name) ? text::to_nfc(name) : name);
  const std::string email(text::trim(participant.email));
  field(text::is_valid_utf8(email) ? text::to_lower(text::to_nfc(email)) : lower_ascii(email));
  const auto digest = h.digest();

  // The first 128 bits as a number, written in base 31 (the bias of taking
  // it modulo 31^10 is far below anything that matters here).
  unsigned __int128 n = 0;
  for (std::size_t i = 0; i < 16; ++i) n = n << 8 | digest[i];
  constexpr std::size_t base = sizeof(kCodeAlphabet) - 1;
  std::string symbols;
  for (std::size_t i = 0; i < kCodeSymbols; ++i) {
    symbols.push_back(kCodeAlphabet[static_cast<std::size_t>(n % base)]);
    n /= base;
  }
  return symbols.substr(0, kCodeSymbols / 2) + "-" + symbols.substr(kCodeSymbols / 2);
}

bool is_verification_code(const std::string& code) {
  if (code.size() != kCodeSymbols + 1 || code[kCodeSymbols / 2] != '-') return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i == kCodeSymbols / 2) continue;
    if (std::string_view(kCodeAlphabet).find(code[i]) == std::string_view::npos) return false;
  }
  return true;
}

std::string participant_slug(std::size_t number, const std::string& name) {
  const std::string safe_name = text::is_valid_utf8(name) ? name : std::string();
  return fmt::format("{:02}-{}", number, text::ascii_slug(safe_name, 60, "deltagare"));
}

std::string verify_address(const model::Project& project, const std::string& code) {
  std::string url = project.verify_url;
  if (url.empty()) return url;
  const std::string token = "{code}";
  for (std::size_t pos = url.find(token); pos != std::string::npos; pos = url.find(token, pos + code.size()))
    url.replace(pos, token.size(), code);
  return url;
}

std::optional<QrMatrix> qr_matrix(const std::string& text) {
  // Version 0: the smallest that holds the text; case-sensitive 8-bit mode
  // so a URL comes back exactly as written.
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return std::nullopt;
  QrMatrix m;
  m.size = qr->width;
  m.dark.resize(static_cast<std::size_t>(qr->width) * static_cast<std::size_t>(qr->width));
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (qr->data[i] & 1) != 0;
  QRcode_free(qr);
  return m;
}

}  // namespace cp::documents

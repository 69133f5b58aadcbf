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
  auto normal_name = [](const model::Participant& who) {
    const std::string name(text::trim(who.name));
    return text::is_valid_utf8(name) ? text::to_nfc(name) : name;
  };
  const std::string name = normal_name(participant);
  field(name);
  // Only the name identifies the person: correcting an e-mail, title or
  // unit keeps the code. A second participant of the same name in the
  // visit is told apart by their place among those of that name.
  int same_name_before = 0;
  const auto& all = visit.participants;
  if (!all.empty() && &participant >= &all.front() && &participant <= &all.back())
    for (const auto* other = &all.front(); other != &participant; ++other)
      if (normal_name(*other) == name) ++same_name_before;
  if (same_name_before > 0) field(std::to_string(same_name_before + 1));
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

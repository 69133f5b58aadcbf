// Checking a participant's values (validate/participant_values.h).
#include "validate/participant_values.h"

#include <fmt/format.h>

#include "core/text.h"
#include "validate/fields.h"

namespace cp::validate {

namespace {

std::string lost_letter_hint(Origin origin) {
  switch (origin) {
    case Origin::Csv:
      return "the file was saved in an encoding that has no such letter; type the letter again and save the "
             "file from Excel as \"CSV UTF-8\"";
    case Origin::Xlsx: return "type the letter itself in the workbook";
    case Origin::Yaml: return "type the letter itself; the file is UTF-8 and can hold any letter";
  }
  return {};
}

// The words for attendance, written as the documentation lists them.
constexpr Choice<bool> kAttendance[] = {
    {"ja", true},        {"j", true},          {"x", true},      {"✓", true},     {"✔", true},
    {"1", true},         {"true", true},       {"sant", true},   {"yes", true},   {"y", true},
    {"närvarande", true}, {"närvarade", true},  {"deltog", true}, {"present", true},
    {"nej", false},      {"n", false},         {"0", false},     {"false", false}, {"falskt", false},
    {"no", false},       {"frånvarande", false}, {"ej", false},  {"absent", false},
};

}  // namespace

bool check_printed_text(std::string_view what, std::string_view value, const SourceLoc& loc, Origin origin,
                        Diagnostics& diags) {
  if (value.find_first_of("\n\r") != std::string_view::npos) {
    diags.error(loc, fmt::format("participant {} contains a line break", what),
                origin == Origin::Yaml ? std::string("write it on one line")
                                       : std::string("write it on one line; in the spreadsheet, delete the line "
                                                     "break inside the cell (Alt+Enter makes one)"));
    return false;
  }
  std::size_t i = 0;
  while (i < value.size()) {
    const char32_t cp = text::next_code_point(value, i);
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      diags.error(loc, fmt::format("participant {} contains a control character (U+{:04X})", what,
                                   static_cast<unsigned>(cp)),
                  "delete it: it prints as nothing or as a box");
      return false;
    }
    if (cp == 0xFFFD) {
      diags.error(loc, fmt::format("participant {} '{}' has a letter that was lost in saving", what, value),
                  lost_letter_hint(origin));
      return false;
    }
  }
  // No name, title or unit has a '?' of its own; Excel writes one for each
  // letter the file's encoding cannot hold.
  if (value.find('?') != std::string_view::npos) {
    diags.error(loc, fmt::format("participant {} '{}' has '?' where a letter was probably lost in saving", what, value),
                lost_letter_hint(origin));
    return false;
  }
  return true;
}

bool check_email(std::string_view address, const SourceLoc& loc, Diagnostics& diags) {
  if (address.empty()) return true;
  if (const auto problem = email_problem(address)) {
    diags.error(loc, fmt::format("'{}' is not an e-mail address", address), *problem);
    return false;
  }
  return true;
}

std::string attendance_error(std::string_view name, std::string_view value) {
  return fmt::format("'{}' must be ja or nej, not '{}'", name, value);
}

std::optional<bool> parse_attendance(std::string_view word) {
  const std::string folded = fold(word);
  for (const auto& w : kAttendance)
    if (w.word == folded) return w.value;
  return std::nullopt;
}

std::optional<std::string> email_problem(std::string_view address) {
  if (address.find_first_of(" \t\n\r") != std::string_view::npos ||
      address.find("\xC2\xA0") != std::string_view::npos)
    return "an address has no spaces";
  if (address.find_first_of(",;") != std::string_view::npos)
    return "write one address per participant, without commas or semicolons";
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    return "an address has exactly one @, as in anna.svensson@eksjo.se";
  const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.empty()) return "an address has a name before the @, as in anna.svensson@eksjo.se";
  const bool bad_domain = domain.find('.') == std::string_view::npos || domain.front() == '.' ||
                          domain.back() == '.' || domain.find("..") != std::string_view::npos;
  if (domain.empty() || bad_domain) return "the part after the @ is a domain with a dot, as in eksjo.se";
  for (char c : address)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "the address holds a control character";
  return std::nullopt;
}

}  // namespace cp::validate

#include "mail/mime.h"

#include <fmt/format.h>

#include <array>
#include <ctime>

#include "core/sha256.h"

namespace cp::mail {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// Length of the UTF-8 sequence starting with byte `c` (1 for a stray byte).
std::size_t sequence_length(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// An RFC 2231 parameter value: attribute*=UTF-8''percent-encoded.
std::string rfc2231(std::string_view utf8) {
  std::string out = "UTF-8''";
  for (unsigned char c : utf8) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// An ASCII stand-in for a file name: letters with marks lose them, anything
// else outside printable ASCII (and quotes, backslashes) becomes '_'.
std::string ascii_file_name(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    const std::size_t n = std::min(sequence_length(c), utf8.size() - i);
    if (n == 1) {
      out += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    } else {
      const std::string_view seq = utf8.substr(i, n);
      static const std::array<std::pair<std::string_view, char>, 16> folds{{{"å", 'a'}, {"ä", 'a'}, {"ö", 'o'},
                                                                            {"Å", 'A'}, {"Ä", 'A'}, {"Ö", 'O'},
                                                                            {"é", 'e'}, {"è", 'e'}, {"ü", 'u'},
                                                                            {"Ü", 'U'}, {"É", 'E'}, {"ø", 'o'},
                                                                            {"Ø", 'O'}, {"æ", 'a'}, {"ñ", 'n'},
                                                                            {"á", 'a'}}};
      char repl = '_';
      for (const auto& [from, to] : folds)
        if (seq == from) repl = to;
      out += repl;
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[v >> 18 & 63];
    out += kB64[v >> 12 & 63];
    out += kB64[v >> 6 & 63];
    out += kB64[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kB64[v >> 18 & 63];
    out += kB64[v >> 12 & 63];
    out += i + 1 < bytes.size() ? kB64[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  const std::string all = base64(bytes);
  std::string out;
  out.reserve(all.size() + all.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < all.size(); i += 76) {
    out.append(all, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string encode_words(std::string_view utf8) {
  if (printable_ascii(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + base64 + "?=" within 75 characters: 63 base64
  // characters hold 45 bytes (a multiple of 3, so no padding mid-text).
  constexpr std::size_t kMaxBytes = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i;
    while (end < utf8.size()) {
      const std::size_t n = std::min(sequence_length(static_cast<unsigned char>(utf8[end])), utf8.size() - end);
      if (end + n - i > kMaxBytes) break;
      end += n;
    }
    if (end == i) end = i + 1;  // cannot happen for valid UTF-8
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string format_address(std::string_view name, std::string_view address) {
  if (name.empty()) return std::string(address);
  if (printable_ascii(name)) {
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\" <" + std::string(address) + ">";
  }
  return encode_words(name) + " <" + std::string(address) + ">";
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::string line;  // the current output line
  auto flush_line = [&](bool hard) {
    // Trailing white space is encoded so transports cannot strip it.
    if (hard && !line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      const char c = line.back();
      line.pop_back();
      line += fmt::format("={:02X}", static_cast<unsigned char>(c));
    }
    out += line;
    out += hard ? "\r\n" : "=\r\n";
    line.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r') continue;
    if (c == '\n') {
      flush_line(true);
      continue;
    }
    std::string token;
    if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t')
      token = std::string(1, static_cast<char>(c));
    else
      token = fmt::format("={:02X}", c);
    // 75 characters plus the soft break's '=' make 76; a trailing space
    // may still grow by two when it ends the line.
    if (line.size() + token.size() > 73) flush_line(false);
    line += token;
  }
  if (!line.empty()) flush_line(true);
  return out;
}

std::string rfc5322_date(long long epoch_seconds) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string render_message(const Message& m) {
  const std::string seed = sha256_hex(m.message_id).substr(0, 24);
  const std::string mixed = "=_mixed_" + seed;
  const std::string alt = "=_alt_" + seed;
  std::string out;
  auto header = [&out](std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  };
  header("Date", rfc5322_date(m.date));
  header("From", format_address(m.from_name, m.from_address));
  if (!m.reply_to_address.empty()) header("Reply-To", format_address(m.reply_to_name, m.reply_to_address));
  header("To", format_address(m.to_name, m.to_address));
  header("Subject", encode_words(m.subject));
  header("Message-ID", m.message_id);
  header("MIME-Version", "1.0");
  header("Auto-Submitted", "auto-generated");
  header("Content-Type", "multipart/mixed; boundary=\"" + mixed + "\"");
  out += "\r\n";
  out += "This is a message in MIME format.\r\n";
  out += "\r\n--" + mixed + "\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  out += "--" + alt + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(m.text);
  out += "\r\n--" + alt + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(m.html);
  out += "\r\n--" + alt + "--\r\n";
  out += "\r\n--" + mixed + "\r\n";
  // A file name outside ASCII: RFC 2231 in the disposition (Thunderbird,
  // Apple Mail, Gmail) and an encoded word as the type's name (Outlook).
  const std::string& file = m.attachment.file_name;
  const bool ascii = printable_ascii(file) && ascii_file_name(file) == file;
  if (ascii) {
    out += "Content-Type: " + m.attachment.content_type + "; name=\"" + file + "\"\r\n";
    out += "Content-Disposition: attachment; filename=\"" + file + "\"";
  } else {
    out += "Content-Type: " + m.attachment.content_type + ";\r\n name=\"=?UTF-8?B?" + base64(file) + "?=\"\r\n";
    out += "Content-Disposition: attachment;\r\n filename*=" + rfc2231(file);
  }
  out += "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(m.attachment.bytes);
  out += "\r\n--" + mixed + "--\r\n";
  return out;
}

}  // namespace cp::mail

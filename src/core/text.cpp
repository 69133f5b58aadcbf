#include "core/text.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>

namespace cp::text {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point; returns false (and consumes one byte) on any
// malformed sequence.
bool decode_one(std::string_view s, std::size_t& i, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    out = b0;
    ++i;
    return true;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    ++i;
    return false;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return false;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return false;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return false;
  }
  i += static_cast<std::size_t>(len);
  out = cp;
  return true;
}

icu::UnicodeString to_icu(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string from_icu(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  char32_t cp = 0;
  while (i < s.size())
    if (!decode_one(s, i, cp)) return false;
  return true;
}

char32_t next_code_point(std::string_view s, std::size_t& i) {
  char32_t cp = 0;
  return decode_one(s, i, cp) ? cp : kReplacement;
}

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) out.push_back(next_code_point(s, i));
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : s) append_utf8(out, cp);
  return out;
}

std::string windows1252_to_utf8(std::string_view s) {
  // 0x80..0x9F per the WHATWG windows-1252 table; 0 = undefined.
  static constexpr char32_t kHigh[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80)
      out.push_back(c);
    else if (b < 0xA0)
      append_utf8(out, kHigh[b - 0x80] ? kHigh[b - 0x80] : kReplacement);
    else
      append_utf8(out, b);
  }
  return out;
}

std::string to_nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(s);
  const icu::UnicodeString in = to_icu(s);
  if (nfc->isNormalized(in, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(s);
  return from_icu(out);
}

std::string to_lower(std::string_view s) {
  icu::UnicodeString u = to_icu(s);
  u.toLower(icu::Locale("sv", "SE"));
  return from_icu(u);
}

namespace {

// icu::Collator::compare is const and documented thread-safe; creating one is
// not cheap, so keep one for the process.
const icu::Collator& swedish_collator() {
  static std::unique_ptr<icu::Collator> coll = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(icu::Locale("sv", "SE"), status));
    if (U_FAILURE(status) || !c) std::abort();
    return c;
  }();
  return *coll;
}

}  // namespace

int compare_swedish(std::string_view a, std::string_view b) {
  UErrorCode status = U_ZERO_ERROR;
  const auto r = swedish_collator().compareUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
                                                icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
  if (U_FAILURE(status)) return a.compare(b);
  return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

std::string swedish_sort_key(std::string_view s) {
  const icu::UnicodeString u = to_icu(s);
  const icu::Collator& c = swedish_collator();
  int32_t n = c.getSortKey(u, nullptr, 0);
  std::string key(static_cast<std::size_t>(n), '\0');
  c.getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), n);
  if (!key.empty() && key.back() == '\0') key.pop_back();
  return key;
}

std::size_t length(std::string_view s) {
  std::size_t n = 0, i = 0;
  while (i < s.size()) {
    next_code_point(s, i);
    ++n;
  }
  return n;
}

namespace {

// ASCII for the Latin-1 letters U+00C0..U+00FF, as ICU's Latin-ASCII gives
// them (a test compares every one); nullptr for × and ÷, which take ICU's
// path.
const char* latin1_ascii(char32_t c) {
  static constexpr const char* kTable[64] = {
      "A", "A", "A", "A",  "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
      "D", "N", "O", "O",  "O", "O", "O",  nullptr, "O", "U", "U", "U", "U", "Y", "TH", "ss",
      "a", "a", "a", "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o",  "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
  return c >= 0xC0 && c <= 0xFF ? kTable[c - 0xC0] : nullptr;
}

// Most names are ASCII or Latin-1 (Swedish, German, French, Spanish): they
// are folded here directly, without the transliterator and its lock.
// False when the text holds anything else.
bool fold_latin1(std::string_view s, std::string& out) {
  const std::u32string cps = decode_utf8(s);
  out.clear();
  out.reserve(cps.size());
  for (char32_t c : cps) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (const char* a = latin1_ascii(c)) {
      out += a;
    } else {
      return false;
    }
  }
  return true;
}

std::string icu_ascii(std::string_view s) {
  static std::mutex mutex;
  static std::unique_ptr<icu::Transliterator> translit = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  icu::UnicodeString u = to_icu(s);
  if (translit) {
    std::lock_guard lock(mutex);
    translit->transliterate(u);
  }
  return from_icu(u);
}

}  // namespace

std::string to_ascii(std::string_view s) {
  std::string ascii;
  if (fold_latin1(s, ascii)) return ascii;
  return icu_ascii(s);
}

std::string to_ascii_icu(std::string_view s) { return icu_ascii(s); }

std::string ascii_slug(std::string_view s, std::size_t max_len, std::string_view fallback) {
  const std::string ascii = to_ascii(s);
  std::string out;
  bool dash = false;
  for (char c : ascii) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
      out.push_back(c);
      dash = false;
    } else if (b >= 'A' && b <= 'Z') {
      out.push_back(static_cast<char>(b - 'A' + 'a'));
      dash = false;
    } else if (!out.empty() && !dash) {
      out.push_back('-');
      dash = true;
    }
    if (out.size() >= max_len) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty()) out = std::string(fallback);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::u32string x = decode_utf8(a), y = decode_utf8(b);
  std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

void append_decimal(std::string& out, double v, int decimals) {
  static constexpr long long kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  decimals = std::clamp(decimals, 0, 6);
  const double scaled = std::round(v * static_cast<double>(kScale[decimals]));
  if (!std::isfinite(scaled) || std::fabs(scaled) > 9e15) {
    out += std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf");
    return;
  }
  const auto units = static_cast<long long>(scaled);
  if (units == 0) {
    out += '0';
    return;
  }
  const unsigned long long magnitude = units < 0 ? 0ULL - static_cast<unsigned long long>(units)
                                                 : static_cast<unsigned long long>(units);
  const auto scale = static_cast<unsigned long long>(kScale[decimals]);
  if (units < 0) out += '-';
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, magnitude / scale).ptr);
  unsigned long long fraction = magnitude % scale;
  if (fraction == 0) return;
  char digits[6];
  int n = decimals;
  for (int k = decimals - 1; k >= 0; --k) {
    digits[k] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  while (digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, static_cast<std::size_t>(n));
}

std::string swedish_number(double v, int decimals, bool fixed) {
  if (!std::isfinite(v)) return "\u2013";
  decimals = std::clamp(decimals, 0, 6);
  std::string plain;
  append_decimal(plain, v, decimals);
  std::string_view digits = plain;
  const bool negative = digits.starts_with('-');
  if (negative) digits.remove_prefix(1);
  const std::size_t point = std::min(digits.find('.'), digits.size());
  const std::string_view whole = digits.substr(0, point);
  std::string fraction(digits.substr(std::min(point + 1, digits.size())));
  if (fixed) fraction.resize(static_cast<std::size_t>(decimals), '0');
  std::string out = negative ? "\u2212" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0 && whole.size() > 3) out += "\u00A0";
    out += whole[i];
  }
  if (!fraction.empty()) out += ',' + fraction;
  return out;
}

std::string_view trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace cp::text

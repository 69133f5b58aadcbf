// Text helpers of the Pandoc converter (content/pandoc_text.h).
#include "content/pandoc_text.h"

#include <algorithm>

#include "core/text.h"

namespace cp::content::detail {

namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool iequals_at(std::string_view s, std::size_t at, std::string_view what) {
  if (at + what.size() > s.size()) return false;
  for (std::size_t i = 0; i < what.size(); ++i) {
    char c = s[at + i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != what[i]) return false;
  }
  return true;
}

}  // namespace

std::string nfc(std::string_view s) {
  if (is_ascii(s)) return std::string(s);
  if (!text::is_valid_utf8(s)) return text::to_nfc(text::encode_utf8(text::decode_utf8(s)));
  return text::to_nfc(s);
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return text::is_valid_utf8(out) ? out : std::string(s);
}

std::string restore_placeholders(std::string_view url) {
  std::string out;
  std::size_t i = 0;
  while (i < url.size()) {
    if (iequals_at(url, i, "%7B%7B")) {
      std::size_t close = i + 6;
      while (close < url.size() && !iequals_at(url, close, "%7D%7D")) ++close;
      if (close < url.size()) {
        out += "{{";
        out += percent_decode(url.substr(i + 6, close - i - 6));
        out += "}}";
        i = close + 6;
        continue;
      }
    }
    out += url[i++];
  }
  return out;
}

std::string first_line(std::string_view s, std::size_t max_chars) {
  std::string_view t = text::trim(s);
  const std::size_t nl = t.find('\n');
  if (nl != std::string_view::npos) t = text::trim(t.substr(0, nl));
  std::string out;
  std::size_t i = 0, n = 0;
  while (i < t.size() && n < max_chars) {
    const std::size_t start = i;
    text::next_code_point(t, i);
    out.append(t.substr(start, i - start));
    ++n;
  }
  if (i < t.size()) out += "…";
  return out;
}

std::string format_name(std::string_view f) {
  if (f == "html" || f == "html4" || f == "html5") return "HTML";
  if (f == "latex" || f == "tex") return "LaTeX";
  return std::string(f);
}

bool is_html_comment(std::string_view format, std::string_view t) {
  const std::string_view s = text::trim(t);
  return format.starts_with("html") && s.starts_with("<!--") && s.ends_with("-->");
}

void merge_texts(doc::Inlines& v) {
  std::size_t w = 0;
  for (std::size_t r = 0; r < v.size(); ++r) {
    if (v[r].kind == doc::InlineKind::Text && v[r].text.empty()) continue;
    if (w > 0 && v[r].kind == doc::InlineKind::Text && v[w - 1].kind == doc::InlineKind::Text) {
      v[w - 1].text += v[r].text;
      continue;
    }
    if (w != r) v[w] = std::move(v[r]);
    ++w;
  }
  v.resize(w);
}

doc::Inline make_text(std::string t) {
  doc::Inline in;
  in.kind = doc::InlineKind::Text;
  in.text = std::move(t);
  return in;
}

doc::Inline make_kind(doc::InlineKind k) {
  doc::Inline in;
  in.kind = k;
  return in;
}

}  // namespace cp::content::detail

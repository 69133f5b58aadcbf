#include "render/own_pdf.h"

#include <charconv>
#include <string>

namespace cp::render::own {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool is_delimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}

// The tokens of one object's body up to its "stream" keyword (or its end).
// Strings are single tokens; false on anything malformed.
bool tokenize(std::string_view pdf, std::size_t begin, std::size_t end, std::vector<Token>& out,
              std::size_t& stream_keyword) {
  stream_keyword = std::string_view::npos;
  std::size_t i = begin;
  while (i < end) {
    const char c = pdf[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '%') {
      while (i < end && pdf[i] != '\n' && pdf[i] != '\r') ++i;
      continue;
    }
    const std::size_t start = i;
    if (c == '(') {
      int depth = 0;
      for (; i < end; ++i) {
        if (pdf[i] == '\\') {
          ++i;
        } else if (pdf[i] == '(') {
          ++depth;
        } else if (pdf[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
      }
      if (depth != 0) return false;
    } else if (c == '<' && i + 1 < end && pdf[i + 1] == '<') {
      i += 2;
    } else if (c == '>' && i + 1 < end && pdf[i + 1] == '>') {
      i += 2;
    } else if (c == '<') {
      const std::size_t close = pdf.find('>', i);
      if (close == std::string_view::npos || close >= end) return false;
      i = close + 1;
    } else if (c == '[' || c == ']' || c == '{' || c == '}') {
      ++i;
    } else if (c == ')' || c == '>') {
      return false;
    } else {
      ++i;  // a name's '/' or a regular character
      while (i < end && !is_space(pdf[i]) && !is_delimiter(pdf[i])) ++i;
    }
    const std::string_view text = pdf.substr(start, i - start);
    if (text == "stream") {
      stream_keyword = start;
      return true;
    }
    out.push_back({start, i, text});
  }
  return true;
}

std::optional<long> to_long(std::string_view s) {
  long v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

bool Reader::read() {
  if (pdf_.substr(0, 5) != "%PDF-") return false;
  const std::size_t sx = pdf_.rfind("startxref");
  if (sx == std::string_view::npos) return false;
  std::size_t i = sx + 9;
  while (i < pdf_.size() && is_space(pdf_[i])) ++i;
  std::size_t j = i;
  while (j < pdf_.size() && pdf_[j] >= '0' && pdf_[j] <= '9') ++j;
  const auto xref = to_long(pdf_.substr(i, j - i));
  if (!xref || *xref <= 0 || static_cast<std::size_t>(*xref) >= pdf_.size()) return false;
  std::size_t p = static_cast<std::size_t>(*xref);
  if (pdf_.substr(p, 4) != "xref") return false;
  p += 4;
  auto number = [&](long& v) {
    while (p < pdf_.size() && is_space(pdf_[p])) ++p;
    std::size_t q = p;
    while (q < pdf_.size() && pdf_[q] >= '0' && pdf_[q] <= '9') ++q;
    const auto n = to_long(pdf_.substr(p, q - p));
    p = q;
    if (!n) return false;
    v = *n;
    return true;
  };
  long first = 0, count = 0;
  if (!number(first) || !number(count) || first != 0 || count <= 1 || count > 10'000'000) return false;
  while (p < pdf_.size() && is_space(pdf_[p])) ++p;
  if (p + static_cast<std::size_t>(count) * 20 > pdf_.size()) return false;
  offsets_.assign(static_cast<std::size_t>(count), 0);
  for (long n = 0; n < count; ++n) {
    const std::string_view entry = pdf_.substr(p + static_cast<std::size_t>(n) * 20, 20);
    if (entry[17] != 'n') continue;
    const auto off = to_long(entry.substr(0, 10));
    if (!off) return false;
    offsets_[static_cast<std::size_t>(n)] = static_cast<std::size_t>(*off);
  }
  p += static_cast<std::size_t>(count) * 20;
  const std::size_t trailer = pdf_.find("trailer", p);
  if (trailer == std::string_view::npos || trailer > sx) return false;
  std::vector<Token> tokens;
  std::size_t stream = 0;
  if (!tokenize(pdf_, trailer + 7, sx, tokens, stream)) return false;
  root_ = ref_after(tokens, "/Root");
  info_ = ref_after(tokens, "/Info");
  if (root_ <= 0 || has_key(tokens, "/Encrypt") || has_key(tokens, "/Prev")) return false;
  objects_.resize(offsets_.size());

  const Object* catalog = object(root_);
  if (!catalog) return false;
  pages_root_ = ref_after(catalog->tokens, "/Pages");
  lang_ = value_after(catalog->tokens, "/Lang");
  const Object* pages = object(pages_root_);
  if (!pages) return false;
  // A flat tree: /Kids lists every page.
  const auto kids = array_refs(pages->tokens, "/Kids");
  if (!kids) return false;
  kids_ = *kids;
  for (long kid : kids_) {
    const Object* page = object(kid);
    if (!page || value_after(page->tokens, "/Type") != "/Page") return false;
  }
  tree_.insert(kids_.begin(), kids_.end());
  tree_.insert(pages_root_);
  tree_.insert(root_);
  return !kids_.empty();
}

std::optional<long> Reader::number(std::string_view text) { return to_long(text); }

std::optional<std::vector<long>> Reader::array_refs(const std::vector<Token>& tokens, std::string_view key) {
  std::vector<long> refs;
  bool in_array = false;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const std::string_view t = tokens[k].text;
    if (t == key) {
      in_array = true;
    } else if (in_array && t == "]") {
      break;
    } else if (in_array && t == "R") {
      const auto n = k >= 2 ? to_long(tokens[k - 2].text) : std::nullopt;
      if (!n) return std::nullopt;
      refs.push_back(*n);
    }
  }
  return refs;
}

long Reader::ref_after(const std::vector<Token>& tokens, std::string_view key) {
  for (std::size_t k = 0; k + 3 < tokens.size(); ++k)
    if (tokens[k].text == key && tokens[k + 3].text == "R")
      if (const auto n = to_long(tokens[k + 1].text)) return *n;
  return -1;
}
bool Reader::has_key(const std::vector<Token>& tokens, std::string_view key) {
  for (const Token& t : tokens)
    if (t.text == key) return true;
  return false;
}
std::string_view Reader::value_after(const std::vector<Token>& tokens, std::string_view key) {
  for (std::size_t k = 0; k + 1 < tokens.size(); ++k)
    if (tokens[k].text == key) return tokens[k + 1].text;
  return {};
}

// The object, parsed on first use; nullptr when it is not a plain object
// this reader understands.
const Object* Reader::object(long n) {
  if (n <= 0 || static_cast<std::size_t>(n) >= offsets_.size() || offsets_[static_cast<std::size_t>(n)] == 0)
    return nullptr;
  Object& o = objects_[static_cast<std::size_t>(n)];
  if (o.parsed) return o.body ? &o : nullptr;
  o.parsed = true;
  const std::size_t at = offsets_[static_cast<std::size_t>(n)];
  const std::string header = std::to_string(n) + " 0 obj";
  if (pdf_.compare(at, header.size(), header) != 0) return nullptr;
  const std::size_t body = at + header.size();
  const std::size_t next_endobj = pdf_.find("endobj", body);
  if (next_endobj == std::string_view::npos) return nullptr;
  std::size_t stream = 0;
  if (!tokenize(pdf_, body, next_endobj, o.tokens, stream)) return nullptr;
  std::size_t end = next_endobj;
  if (stream != std::string_view::npos) {
    // The data starts after "stream" and its end of line; /Length says
    // how long it is (a number, or a reference to one).
    std::size_t data = stream + 6;
    if (pdf_.compare(data, 2, "\r\n") == 0)
      data += 2;
    else if (data < pdf_.size() && pdf_[data] == '\n')
      ++data;
    else
      return nullptr;
    long length = -1;
    if (const long ref = ref_after(o.tokens, "/Length"); ref > 0) {
      const Object* len = object(ref);
      if (!len || len->tokens.size() != 1) return nullptr;
      length = to_long(len->tokens[0].text).value_or(-1);
    } else {
      length = to_long(value_after(o.tokens, "/Length")).value_or(-1);
    }
    if (length < 0 || data + static_cast<std::size_t>(length) > pdf_.size()) return nullptr;
    const std::size_t endstream = pdf_.find("endstream", data + static_cast<std::size_t>(length));
    if (endstream == std::string_view::npos) return nullptr;
    end = pdf_.find("endobj", endstream);
    if (end == std::string_view::npos) return nullptr;
    o.stream = true;
    o.data = data;
    o.data_length = static_cast<std::size_t>(length);
  }
  o.dict_end = stream == std::string_view::npos ? end : stream;
  for (std::size_t k = 2; k < o.tokens.size(); ++k) {
    if (o.tokens[k].text != "R") continue;
    const auto num = to_long(o.tokens[k - 2].text);
    const auto gen = to_long(o.tokens[k - 1].text);
    if (!num || !gen) return nullptr;
    if (*gen != 0) return nullptr;  // the renderer writes generation 0 only
    const bool parent = k >= 3 && o.tokens[k - 3].text == "/Parent";
    o.refs.push_back({o.tokens[k - 2].begin, o.tokens[k].end, *num, parent});
  }
  o.body = body;
  o.end = end;
  return &o;
}

std::string_view Reader::version() const {
  // "%PDF-1.4" and its end of line.
  std::size_t end = 5;
  while (end < pdf_.size() && end < 16 && !is_space(pdf_[end])) ++end;
  return pdf_.substr(5, end - 5);
}

std::optional<Span> Reader::value_span(const Object& o, std::string_view key) {
  const std::vector<Token>& t = o.tokens;
  if (t.empty() || t[0].text != "<<") return std::nullopt;
  int depth = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const std::string_view s = t[k].text;
    if (s == "<<" || s == "[") {
      ++depth;
    } else if (s == ">>" || s == "]") {
      --depth;
    } else if (depth == 1 && s == key && k + 1 < t.size()) {
      std::size_t last = k + 2;
      const std::string_view first = t[k + 1].text;
      if (first == "<<" || first == "[") {
        int d = 0;
        for (last = k + 1; last < t.size(); ++last) {
          const std::string_view u = t[last].text;
          if (u == "<<" || u == "[") ++d;
          if ((u == ">>" || u == "]") && --d == 0) break;
        }
        if (last == t.size()) return std::nullopt;
        ++last;
      } else if (k + 3 < t.size() && t[k + 3].text == "R") {
        last = k + 4;
      }
      return Span{k + 1, last, t[k + 1].begin, t[last - 1].end};
    }
  }
  return std::nullopt;
}

}  // namespace cp::render::own

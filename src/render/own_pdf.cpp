#include "render/own_pdf.h"

#include "render/archive.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>
#include <tuple>

namespace cp::render::own {

std::optional<std::string> inflate_bytes(std::string_view in) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  std::string out(std::max<std::size_t>(in.size() * 4, 1024), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (z.total_out == out.size()) out.resize(out.size() * 2);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_BUF_ERROR && z.avail_out != 0) break;  // input cut short
    if (rc == Z_BUF_ERROR) rc = Z_OK;
  }
  out.resize(z.total_out);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string deflate_bytes(std::string_view data, int level) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), level) != Z_OK)
    return {};
  out.resize(size);
  return out;
}

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


// Where a stream's data starts: after "stream" and its end of line.
std::size_t stream_data(std::string_view pdf, std::size_t keyword) {
  std::size_t data = keyword + 6;
  if (pdf.compare(data, 2, "\r\n") == 0) return data + 2;
  if (data < pdf.size() && pdf[data] == '\n') return data + 1;
  return std::string_view::npos;
}

// PNG row predictors (/Predictor 10-15): each row starts with its filter.
std::optional<std::string> unpredict(const std::string& in, std::size_t columns) {
  const std::size_t row = columns + 1;
  if (columns == 0 || in.size() % row != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / row * columns);
  std::string prior(columns, '\0');
  for (std::size_t r = 0; r < in.size(); r += row) {
    const auto filter = static_cast<unsigned char>(in[r]);
    std::string cur = in.substr(r + 1, columns);
    for (std::size_t c = 0; c < columns; ++c) {
      const int a = c > 0 ? static_cast<unsigned char>(cur[c - 1]) : 0;
      const int b = static_cast<unsigned char>(prior[c]);
      const int ab = c > 0 ? static_cast<unsigned char>(prior[c - 1]) : 0;
      int add = 0;
      switch (filter) {
        case 0: break;
        case 1: add = a; break;
        case 2: add = b; break;
        case 3: add = (a + b) / 2; break;
        case 4: {
          const int pa = std::abs(b - ab), pb = std::abs(a - ab), pc = std::abs(a + b - 2 * ab);
          add = pa <= pb && pa <= pc ? a : pb <= pc ? b : ab;
          break;
        }
        default: return std::nullopt;
      }
      cur[c] = static_cast<char>(static_cast<unsigned char>(cur[c]) + add);
    }
    out += cur;
    prior = std::move(cur);
  }
  return out;
}

// A stream's data decoded: as it is, or Flate (with a PNG predictor);
// nothing for other filters.
std::optional<std::string> decode(std::string_view data, const std::vector<Token>& dict) {
  std::string_view filter;
  for (std::size_t k = 0; k + 1 < dict.size(); ++k)
    if (dict[k].text == "/Filter") filter = dict[k + 1].text;
  if (filter.empty()) return std::string(data);
  if (filter != "/FlateDecode") return std::nullopt;
  auto out = inflate_bytes(data);
  if (!out) return std::nullopt;
  long predictor = 1, columns = 1;
  for (std::size_t k = 0; k + 1 < dict.size(); ++k) {
    if (dict[k].text == "/Predictor") predictor = to_long(dict[k + 1].text).value_or(-1);
    if (dict[k].text == "/Columns") columns = to_long(dict[k + 1].text).value_or(-1);
    if (dict[k].text == "/Colors" && dict[k + 1].text != "1") return std::nullopt;
    if (dict[k].text == "/BitsPerComponent" && dict[k + 1].text != "8") return std::nullopt;
  }
  if (predictor == 1) return out;
  if (predictor < 10 || predictor > 15 || columns <= 0) return std::nullopt;
  return unpredict(*out, static_cast<std::size_t>(columns));
}

// The numbers of an array value of `key`; nothing when it is not one.
std::optional<std::vector<long>> array_numbers(const std::vector<Token>& tokens, std::string_view key) {
  for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
    if (tokens[k].text != key || tokens[k + 1].text != "[") continue;
    std::vector<long> out;
    for (std::size_t m = k + 2; m < tokens.size(); ++m) {
      if (tokens[m].text == "]") return out;
      const auto v = to_long(tokens[m].text);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return std::nullopt;
  }
  return std::nullopt;
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
  const auto at = static_cast<std::size_t>(*xref);
  if (pdf_.substr(at, 4) == "xref" ? !read_xref_table(at) : !read_xref_stream(at)) return false;
  if (root_ <= 0) return false;

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

bool Reader::read_xref_table(std::size_t at) {
  std::size_t p = at + 4;
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
  const std::size_t sx = pdf_.rfind("startxref");
  const std::size_t trailer = pdf_.find("trailer", p);
  if (trailer == std::string_view::npos || trailer > sx) return false;
  std::vector<Token> tokens;
  std::size_t stream = 0;
  if (!tokenize(pdf_, trailer + 7, sx, tokens, stream)) return false;
  root_ = ref_after(tokens, "/Root");
  info_ = ref_after(tokens, "/Info");
  if (has_key(tokens, "/Encrypt") || has_key(tokens, "/Prev")) return false;
  objects_.resize(offsets_.size());
  return true;
}

bool Reader::read_xref_stream(std::size_t at) {
  // "N 0 obj << /Type /XRef … >> stream": the dictionary is the trailer.
  std::size_t p = at;
  while (p < pdf_.size() && pdf_[p] >= '0' && pdf_[p] <= '9') ++p;
  const auto self = to_long(pdf_.substr(at, p - at));
  if (!self || pdf_.compare(p, 6, " 0 obj") != 0) return false;
  const std::size_t end = pdf_.find("endobj", p);
  if (end == std::string_view::npos) return false;
  std::vector<Token> tokens;
  std::size_t stream = 0;
  if (!tokenize(pdf_, p + 6, end, tokens, stream) || stream == std::string_view::npos) return false;
  if (value_after(tokens, "/Type") != "/XRef" || has_key(tokens, "/Encrypt") || has_key(tokens, "/Prev")) return false;
  const auto size = to_long(value_after(tokens, "/Size"));
  const auto length = to_long(value_after(tokens, "/Length"));
  const auto w = array_numbers(tokens, "/W");
  if (!size || *size <= 1 || *size > 10'000'000 || !length || *length < 0 || !w || w->size() != 3) return false;
  for (long v : *w)
    if (v < 0 || v > 8) return false;
  std::vector<long> index = array_numbers(tokens, "/Index").value_or(std::vector<long>{});
  if (!has_key(tokens, "/Index")) index = {0, *size};
  if (index.size() % 2 != 0) return false;
  root_ = ref_after(tokens, "/Root");
  info_ = ref_after(tokens, "/Info");

  const std::size_t data = stream_data(pdf_, stream);
  if (data == std::string_view::npos || data + static_cast<std::size_t>(*length) > pdf_.size()) return false;
  const auto table = decode(pdf_.substr(data, static_cast<std::size_t>(*length)), tokens);
  if (!table) return false;
  const std::size_t row = static_cast<std::size_t>((*w)[0] + (*w)[1] + (*w)[2]);
  if (row == 0) return false;

  offsets_.assign(static_cast<std::size_t>(*size), 0);
  struct Packed {
    long object, stream, index;
  };
  std::vector<Packed> packed;
  std::size_t q = 0;
  auto field = [&](long width, unsigned long long fallback) {
    if (width == 0) return fallback;
    unsigned long long v = 0;
    for (long k = 0; k < width; ++k) v = (v << 8) | static_cast<unsigned char>((*table)[q++]);
    return v;
  };
  for (std::size_t r = 0; r < index.size(); r += 2) {
    if (index[r] < 0 || index[r + 1] < 0 || index[r] + index[r + 1] > *size) return false;
    for (long n = index[r]; n < index[r] + index[r + 1]; ++n) {
      if (q + row > table->size()) return false;
      const auto type = field((*w)[0], 1);
      const auto second = field((*w)[1], 0);
      const auto third = field((*w)[2], 0);
      if (type == 1) {
        if (third != 0 || second >= pdf_.size()) return false;  // generation 0 only
        offsets_[static_cast<std::size_t>(n)] = static_cast<std::size_t>(second);
      } else if (type == 2) {
        if (second >= static_cast<unsigned long long>(*size)) return false;
        packed.push_back({n, static_cast<long>(second), static_cast<long>(third)});
      } else if (type != 0) {
        return false;
      }
    }
  }
  objects_.assign(offsets_.size(), Object{});
  if (packed.empty()) return true;

  // Each object stream's objects, written after the file as plain objects.
  auto unpacked = std::make_shared<std::string>(pdf_);
  std::sort(packed.begin(), packed.end(),
            [](const Packed& a, const Packed& b) { return std::tie(a.stream, a.index) < std::tie(b.stream, b.index); });
  for (std::size_t k = 0; k < packed.size();) {
    const long number = packed[k].stream;
    const Object* o = object(number);
    if (!o || !o->stream || value_after(o->tokens, "/Type") != "/ObjStm") return false;
    const auto count = to_long(value_after(o->tokens, "/N"));
    const auto first = to_long(value_after(o->tokens, "/First"));
    const auto body = decode(pdf_.substr(o->data, o->data_length), o->tokens);
    if (!count || !first || !body || *count < 0 || *first < 0 || static_cast<std::size_t>(*first) > body->size())
      return false;
    std::vector<Token> head;
    std::size_t none = 0;
    if (!tokenize(*body, 0, static_cast<std::size_t>(*first), head, none) ||
        head.size() != 2 * static_cast<std::size_t>(*count))
      return false;
    std::vector<std::pair<long, std::size_t>> entries;  // (object, offset after /First)
    for (std::size_t h = 0; h < head.size(); h += 2) {
      const auto n = to_long(head[h].text);
      const auto off = to_long(head[h + 1].text);
      if (!n || !off || *off < 0 || static_cast<std::size_t>(*first + *off) > body->size()) return false;
      entries.emplace_back(*n, static_cast<std::size_t>(*first + *off));
    }
    for (; k < packed.size() && packed[k].stream == number; ++k) {
      const Packed& e = packed[k];
      if (e.index < 0 || static_cast<std::size_t>(e.index) >= entries.size() ||
          entries[static_cast<std::size_t>(e.index)].first != e.object)
        return false;
      const std::size_t from = entries[static_cast<std::size_t>(e.index)].second;
      const std::size_t to = static_cast<std::size_t>(e.index) + 1 < entries.size()
                                 ? entries[static_cast<std::size_t>(e.index) + 1].second
                                 : body->size();
      if (to < from) return false;
      const std::string_view text = std::string_view(*body).substr(from, to - from);
      if (text.find("endobj") != std::string_view::npos) return false;
      unpacked->push_back('\n');
      offsets_[static_cast<std::size_t>(e.object)] = unpacked->size();
      *unpacked += std::to_string(e.object) + " 0 obj\n";
      *unpacked += text;
      *unpacked += "\nendobj\n";
    }
  }
  // From here on every object is read from the unpacked copy: the same
  // offsets for the file's own objects, the appended ones for the others.
  unpacked_ = std::move(unpacked);
  pdf_ = *unpacked_;
  objects_.assign(offsets_.size(), Object{});
  return true;
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

namespace {

// Objects per object stream: enough for the structure elements of several
// pages to compress together, few enough that a reader decodes little to
// reach one object.
constexpr std::size_t kObjectsPerStream = 200;
// Small dictionaries compress well at zlib's fastest level: the county's
// files are about 1% larger than at the default level, for a fraction of
// the time.
constexpr int kPackLevel = Z_BEST_SPEED;

}  // namespace

std::optional<std::string> pack_objects(std::string_view pdf) {
  Reader r(pdf);
  if (!r.read()) return std::nullopt;
  const std::string_view version = r.version();
  if (version.size() < 3 || version[1] != '.' || version[0] < '1' || (version[0] == '1' && version[2] < '5'))
    return std::nullopt;
  const std::string_view bytes = r.bytes();
  const auto size = static_cast<long>(r.size());
  // The header (with its binary comment) as written: up to the first object.
  std::size_t first = bytes.size();
  std::vector<const Object*> objects(static_cast<std::size_t>(size), nullptr);
  for (long n = 1; n < size; ++n) {
    if (!r.present(n)) continue;
    const Object* o = r.object(n);
    if (!o) return std::nullopt;
    objects[static_cast<std::size_t>(n)] = o;
    first = std::min(first, r.offset(n));
  }
  std::string out(bytes.substr(0, first));
  // Per object: (type, field 2, field 3) of its cross-reference entry.
  struct Entry {
    unsigned type = 0;
    std::size_t second = 0, third = 0;
  };
  std::vector<Entry> entries(static_cast<std::size_t>(size));
  entries[0] = {0, 0, 65535};
  std::vector<long> packed;
  for (long n = 1; n < size; ++n) {
    const Object* o = objects[static_cast<std::size_t>(n)];
    if (!o) continue;
    if (o->stream || n == r.root() || n == r.info()) {
      entries[static_cast<std::size_t>(n)] = {1, out.size(), 0};
      out += std::to_string(n) + " 0 obj";
      out += bytes.substr(o->body, o->end - o->body);
      out += "endobj\n";
    } else {
      packed.push_back(n);
    }
  }
  auto trimmed = [&](const Object& o) {
    std::string_view t = bytes.substr(o.body, o.end - o.body);
    while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
    while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
    return t;
  };
  const std::size_t streams = (packed.size() + kObjectsPerStream - 1) / kObjectsPerStream;
  long number = size;
  for (std::size_t s = 0; s < streams; ++s, ++number) {
    std::string head, body;
    const std::size_t from = s * kObjectsPerStream, to = std::min(packed.size(), from + kObjectsPerStream);
    for (std::size_t k = from; k < to; ++k) {
      const long n = packed[k];
      if (!head.empty()) head += ' ';
      head += std::to_string(n) + ' ' + std::to_string(body.size());
      entries[static_cast<std::size_t>(n)] = {2, static_cast<std::size_t>(number), k - from};
      body += trimmed(*objects[static_cast<std::size_t>(n)]);
      body += '\n';
    }
    head += '\n';
    const std::string data = deflate_bytes(head + body, kPackLevel);
    if (data.empty()) return std::nullopt;
    entries.push_back({1, out.size(), 0});
    out += std::to_string(number) + " 0 obj\n<< /Type /ObjStm /N " + std::to_string(to - from) + " /First " +
           std::to_string(head.size()) + " /Filter /FlateDecode /Length " + std::to_string(data.size()) +
           " >>\nstream\n";
    out += data;
    out += "\nendstream\nendobj\n";
  }
  // The cross-reference stream, the last object: rows of 1 + width + 2
  // bytes, PNG "up"-predicted so that the rows' alike columns compress.
  const std::size_t xref_at = out.size();
  entries.push_back({1, xref_at, 0});
  int width = 1;
  while ((std::max<std::size_t>(xref_at, static_cast<std::size_t>(number)) >> (8 * width)) != 0) ++width;
  const std::size_t columns = 1 + static_cast<std::size_t>(width) + 2;
  std::string rows;
  rows.reserve(entries.size() * (columns + 1));
  std::string prior(columns, '\0'), cur(columns, '\0');
  for (const Entry& e : entries) {
    cur[0] = static_cast<char>(e.type);
    for (int b = 0; b < width; ++b) cur[1 + static_cast<std::size_t>(b)] = static_cast<char>((e.second >> (8 * (width - 1 - b))) & 0xFF);
    cur[columns - 2] = static_cast<char>((e.third >> 8) & 0xFF);
    cur[columns - 1] = static_cast<char>(e.third & 0xFF);
    rows += '\2';
    for (std::size_t c = 0; c < columns; ++c)
      rows += static_cast<char>(static_cast<unsigned char>(cur[c]) - static_cast<unsigned char>(prior[c]));
    std::swap(prior, cur);
  }
  const std::string table = deflate_bytes(rows, kPackLevel);
  if (table.empty()) return std::nullopt;
  const std::string placeholder = kIdPlaceholder;
  out += std::to_string(number) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(entries.size()) + " /W [1 " +
         std::to_string(width) + " 2] /Root " + std::to_string(r.root()) + " 0 R";
  if (r.info() > 0) out += " /Info " + std::to_string(r.info()) + " 0 R";
  out += " /ID [<" + placeholder + "><" + placeholder + ">] /Filter /FlateDecode /DecodeParms << /Columns " +
         std::to_string(columns) + " /Predictor 12 >> /Length " + std::to_string(table.size()) + " >>\nstream\n";
  out += table;
  out += "\nendstream\nendobj\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return out;
}

}  // namespace cp::render::own

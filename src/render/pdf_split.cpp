#include "render/pdf_split.h"

#include "render/archive.h"
#include "render/qpdf_copy.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace cp::render {

namespace {

// ---- the direct path --------------------------------------------------------
//
// A reader for exactly the files the renderer writes: one classic xref
// section, a flat page tree, objects whose streams' lengths are known. Only
// the bytes before a stream's data are tokenised (to find references); the
// data itself is copied as it is. Anything else returns nothing, and the
// file is split with qpdf instead.

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool is_delimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}

struct Token {
  std::size_t begin = 0, end = 0;  // in the file
  std::string_view text;
};

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

struct Reference {
  std::size_t begin, end;  // "N G R" in the file
  long object;
  bool parent;  // the value of a /Parent key
};

struct Object {
  std::size_t body = 0, end = 0;          // after "N G obj", at "endobj"
  std::size_t dict_end = 0;               // where the stream keyword starts, or end
  std::vector<Reference> refs;
  std::vector<Token> tokens;
  bool parsed = false;
};

class Source {
 public:
  explicit Source(std::string_view pdf) : pdf_(pdf) {}

  bool read() {
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
    for (std::string_view key : kCarried) {
      const auto span = value_span(catalog->tokens, key);
      if (span) carried_.push_back({key, span->first, span->second});
    }
    const Object* pages = object(pages_root_);
    if (!pages) return false;
    // A flat tree: /Kids lists every page.
    bool in_kids = false;
    for (std::size_t k = 0; k < pages->tokens.size(); ++k) {
      const std::string_view t = pages->tokens[k].text;
      if (t == "/Kids") {
        in_kids = true;
      } else if (in_kids && t == "]") {
        break;
      } else if (in_kids && t == "R") {
        const auto n = to_long(pages->tokens[k - 2].text);
        if (!n) return false;
        kids_.push_back(*n);
      }
    }
    for (long kid : kids_) {
      const Object* page = object(kid);
      if (!page || value_after(page->tokens, "/Type") != "/Page") return false;
    }
    tree_.insert(kids_.begin(), kids_.end());
    tree_.insert(pages_root_);
    tree_.insert(root_);
    return !kids_.empty();
  }

  std::size_t page_count() const { return kids_.size(); }

  // One page as a PDF of its own, or nothing if the page reaches what this
  // reader does not copy (another page, the page tree, the catalog).
  std::optional<std::string> page(std::size_t index) {
    std::vector<long> order;           // old object numbers in output order
    std::map<long, long> renumbered;   // old → new
    constexpr long kFirst = 3;         // 1 catalog, 2 pages
    auto visit = [&](long n) -> bool {
      if (renumbered.count(n)) return true;
      if (n != kids_[index] && tree_.count(n)) return false;  // another page, the page tree, the catalog
      renumbered[n] = kFirst + static_cast<long>(order.size());
      order.push_back(n);
      return true;
    };
    if (info_ > 0 && !visit(info_)) return std::nullopt;
    const Object* catalog = object(root_);
    for (const Carried& c : carried_)
      for (const Reference& r : catalog->refs)
        if (r.begin >= c.begin && r.end <= c.end && !visit(r.object)) return std::nullopt;
    if (!visit(kids_[index])) return std::nullopt;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const Object* o = object(order[k]);
      if (!o) return std::nullopt;
      for (const Reference& r : o->refs)
        if (!(r.parent && order[k] == kids_[index]) && !visit(r.object)) return std::nullopt;
    }

    std::string out(pdf_.substr(0, pdf_.find('\n') + 1));
    out += "%\xB7\xBE\xAD\xAA\n";
    std::vector<std::size_t> offsets;
    offsets.push_back(out.size());
    out += "1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n";
    if (!lang_.empty()) {
      out += "/Lang ";
      out += lang_;
      out += '\n';
    }
    for (const Carried& c : carried_) {
      out += c.key;
      out += ' ';
      std::size_t at = c.begin;
      for (const Reference& r : catalog->refs) {
        if (r.begin < c.begin || r.end > c.end) continue;
        out.append(pdf_.substr(at, r.begin - at));
        out += std::to_string(renumbered.at(r.object));
        out += " 0 R";
        at = r.end;
      }
      out.append(pdf_.substr(at, c.end - at));
      out += '\n';
    }
    out += ">>\nendobj\n";
    offsets.push_back(out.size());
    out += "2 0 obj\n<<\n/Type /Pages\n/Kids [ ";
    out += std::to_string(renumbered[kids_[index]]);
    out += " 0 R ]\n/Count 1\n>>\nendobj\n";
    for (long old : order) {
      const Object& o = *object(old);
      offsets.push_back(out.size());
      out += std::to_string(renumbered[old]);
      out += " 0 obj";
      std::size_t at = o.body;
      for (const Reference& r : o.refs) {
        out.append(pdf_.substr(at, r.begin - at));
        out += std::to_string(r.parent && old == kids_[index] ? 2 : renumbered.at(r.object));
        out += " 0 R";
        at = r.end;
      }
      out.append(pdf_.substr(at, o.end - at));
      out += "endobj\n";
    }
    const std::size_t xref = out.size();
    const std::size_t size = offsets.size() + 1;
    out += "xref\n0 " + std::to_string(size) + "\n0000000000 65535 f\r\n";
    for (std::size_t off : offsets) {
      char entry[24];
      std::snprintf(entry, sizeof entry, "%010zu 00000 n\r\n", off);
      out += entry;
    }
    out += "trailer\n<<\n/Root 1 0 R\n";
    if (info_ > 0) out += "/Info " + std::to_string(renumbered[info_]) + " 0 R\n";
    out += std::string("/ID [<") + kIdPlaceholder + "><" + kIdPlaceholder + ">]\n";
    out += "/Size " + std::to_string(size) + "\n>>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    if (!stamp_file_id(out)) return std::nullopt;
    return out;
  }

 private:
  static long ref_after(const std::vector<Token>& tokens, std::string_view key) {
    for (std::size_t k = 0; k + 3 < tokens.size(); ++k)
      if (tokens[k].text == key && tokens[k + 3].text == "R")
        if (const auto n = to_long(tokens[k + 1].text)) return *n;
    return -1;
  }
  // Where the value of `key` lies in the file: from its first token to the
  // end of its last ("N 0 R", a [ ] array or a << >> dictionary, or one
  // token). Only the dictionary's own keys count: a key nested in a value
  // is skipped with that value.
  static std::optional<std::pair<std::size_t, std::size_t>> value_span(const std::vector<Token>& tokens,
                                                                       std::string_view key) {
    int depth = 0;
    for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
      const std::string_view t = tokens[k].text;
      if (t == "<<" || t == "[") {
        ++depth;
      } else if (t == ">>" || t == "]") {
        --depth;
      } else if (depth == 1 && t == key) {
        const std::size_t v = k + 1;
        const std::string_view first = tokens[v].text;
        if (first == "<<" || first == "[") {
          int d = 0;
          for (std::size_t e = v; e < tokens.size(); ++e) {
            const std::string_view u = tokens[e].text;
            if (u == "<<" || u == "[") ++d;
            if ((u == ">>" || u == "]") && --d == 0) return std::make_pair(tokens[v].begin, tokens[e].end);
          }
          return std::nullopt;
        }
        if (v + 2 < tokens.size() && tokens[v + 2].text == "R") return std::make_pair(tokens[v].begin, tokens[v + 2].end);
        return std::make_pair(tokens[v].begin, tokens[v].end);
      }
    }
    return std::nullopt;
  }
  static bool has_key(const std::vector<Token>& tokens, std::string_view key) {
    for (const Token& t : tokens)
      if (t.text == key) return true;
    return false;
  }
  static std::string_view value_after(const std::vector<Token>& tokens, std::string_view key) {
    for (std::size_t k = 0; k + 1 < tokens.size(); ++k)
      if (tokens[k].text == key) return tokens[k + 1].text;
    return {};
  }

  // The object, parsed on first use; nullptr when it is not a plain object
  // this reader understands.
  const Object* object(long n) {
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

  std::string_view pdf_;
  std::vector<std::size_t> offsets_;
  std::vector<Object> objects_;
  std::vector<long> kids_;
  std::set<long> tree_;  // the pages, the page tree and the catalog: never copied with a page
  long root_ = -1, info_ = -1, pages_root_ = -1;
  std::string_view lang_;
  // The catalog entries every one-page file keeps: its archival metadata.
  struct Carried {
    std::string_view key;
    std::size_t begin, end;  // the value in the file
  };
  static constexpr std::string_view kCarried[] = {"/Metadata", "/OutputIntents", "/ViewerPreferences"};
  std::vector<Carried> carried_;
};

// ---- qpdf ---------------------------------------------------------------------

std::string one_page(QPDF& source, QPDFPageObjectHelper& page) {
  QPDF out;
  out.emptyPDF();
  QPDFPageDocumentHelper(out).addPage(out.copyForeignObject(page.getObjectHandle()), false);
  if (auto info = source.getTrailer().getKey("/Info"); info.isDictionary())
    out.getTrailer().replaceKey("/Info", out.copyForeignObject(info));
  copy_catalog_entries(source, out);

  QPDFWriter writer(out);
  writer.setOutputMemory();
  writer.setDeterministicID(true);
  // Streams are written as they come: the renderer compressed what is worth
  // compressing, and decoding or compressing again would cost what splitting
  // is meant to save.
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setCompressStreams(false);
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setMinimumPDFVersion(source.getPDFVersion());
  writer.write();
  const auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

SplitResult split_pages_direct(const std::string& pdf) {
  SplitResult result;
  Source source(pdf);
  if (!source.read()) {
    result.error = "not a PDF this splitter reads";
    return result;
  }
  result.pages.reserve(source.page_count());
  for (std::size_t i = 0; i < source.page_count(); ++i) {
    auto page = source.page(i);
    if (!page) {
      result.pages.clear();
      result.error = "page " + std::to_string(i + 1) + " refers to objects this splitter does not copy";
      return result;
    }
    result.pages.push_back(std::move(*page));
  }
  result.ok = true;
  return result;
}

SplitResult split_pages_qpdf(const std::string& pdf) {
  SplitResult result;
  try {
    QPDF source;
    source.setSuppressWarnings(true);
    source.processMemoryFile("document", pdf.data(), pdf.size());
    auto pages = QPDFPageDocumentHelper(source).getAllPages();
    result.pages.reserve(pages.size());
    for (auto& page : pages) result.pages.push_back(one_page(source, page));
    if (source.anyWarnings()) {
      result.pages.clear();
      result.error = "the PDF to split has damaged objects";
      return result;
    }
    result.ok = true;
  } catch (const std::exception& e) {
    result.pages.clear();
    result.error = std::string("cannot split the PDF into pages: ") + e.what();
  }
  return result;
}

SplitResult split_pages(const std::string& pdf) {
  SplitResult direct = split_pages_direct(pdf);
  return direct.ok ? direct : split_pages_qpdf(pdf);
}

}  // namespace cp::render

// Drawing other files' pages as form XObjects, shared by print.pdf and the
// booklet: unmarking a tagged page's content, the text of titles and
// alternative texts, placing a form on a sheet.
#include "render/impose_forms.h"

#include <qpdf/Buffer.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_QPDFTokenizer.hh>

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace cp::render::forms {

namespace {


// `content` without its marked-content operators (BMC, BDC with their
// operands, EMC): what is left draws the same.
class DropMarkedContent : public QPDFObjectHandle::TokenFilter {
 public:
  void handleToken(const QPDFTokenizer::Token& token) override {
    held_.push_back(token);
    if (token.getType() != QPDFTokenizer::tt_word) return;
    const std::string& op = token.getValue();
    if (op == "BMC" || op == "BDC" || op == "EMC") {
      held_.clear();
      write(" ");
      return;
    }
    // Operands and operators inside dictionaries or arrays are words too
    // (true, false, null): those stay with their operator.
    if (op == "true" || op == "false" || op == "null") return;
    flush();
  }
  void handleEOF() override { flush(); }

 private:
  void flush() {
    for (const auto& t : held_) writeToken(t);
    held_.clear();
  }
  std::vector<QPDFTokenizer::Token> held_;
};

}  // namespace

// The renderer's own content streams put each marked-content operator on
// a line of its own ("/P<</MCID 3>>BDC", "EMC"; newlines inside strings are
// escaped): those lines go. Nothing when another line names such an
// operator (a stream of another writer, or string bytes that happen to
// spell one), for the tokenizer to do.
std::optional<std::string> unmarked_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line == "EMC" || (line.starts_with('/') && line.ends_with(">>BDC"))) continue;
    for (std::string_view op : {"BDC", "EMC", "BMC"})
      if (line.find(op) != std::string_view::npos) return std::nullopt;
    out.append(line);
    out += '\n';
  }
  return out;
}

std::string unmarked(QPDFObjectHandle stream) {
  const auto decoded = stream.getStreamData(qpdf_dl_generalized);
  if (auto fast = unmarked_lines(
          std::string_view(reinterpret_cast<const char*>(decoded->getBuffer()), decoded->getSize())))
    return *fast;
  Pl_Buffer buffer("unmarked");
  DropMarkedContent filter;
  Pl_QPDFTokenizer tokenizer("unmarked", &filter, &buffer);
  stream.pipeStreamData(&tokenizer, 0, qpdf_dl_generalized);
  const auto data = buffer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
}

std::string title_of(QPDF& source) {
  auto info = source.getTrailer().getKey("/Info");
  if (info.isDictionary() && info.getKey("/Title").isString()) return info.getKey("/Title").getUTF8Value();
  return {};
}

// A form of a tagged file's page, without its marked content.
void unmark_form(QPDFObjectHandle form) {
  form.replaceStreamData(unmarked(form), QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
  form.getDict().removeKey("/StructParents");
}

bool is_space_char(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// A text string token of the renderer's (a UTF-16BE hex string with its
// byte-order mark, or a literal of printable ASCII without escapes) as
// UTF-8; nothing for any other.
std::optional<std::string> text_of(std::string_view token) {
  if (token.size() >= 2 && token.front() == '(' && token.back() == ')') {
    const std::string_view body = token.substr(1, token.size() - 2);
    for (const char c : body)
      if (c < 0x20 || c > 0x7E || c == '\\' || c == '(' || c == ')') return std::nullopt;
    return std::string(body);
  }
  if (token.size() < 6 || token.front() != '<' || token.back() != '>') return std::nullopt;
  std::string hex;
  for (const char c : token.substr(1, token.size() - 2))
    if (!is_space_char(c)) hex += c;
  if (hex.size() % 4 != 0 || (hex.substr(0, 4) != "FEFF" && hex.substr(0, 4) != "feff")) return std::nullopt;
  std::u32string text;
  unsigned high = 0;
  for (std::size_t at = 4; at < hex.size(); at += 4) {
    unsigned unit = 0;
    const auto [end, ec] = std::from_chars(hex.data() + at, hex.data() + at + 4, unit, 16);
    if (ec != std::errc{} || end != hex.data() + at + 4) return std::nullopt;
    if (unit >= 0xD800 && unit < 0xDC00) {
      if (high) return std::nullopt;
      high = unit;
    } else if (unit >= 0xDC00 && unit < 0xE000) {
      if (!high) return std::nullopt;
      text += static_cast<char32_t>(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00));
      high = 0;
    } else {
      if (high) return std::nullopt;
      text += static_cast<char32_t>(unit);
    }
  }
  if (high) return std::nullopt;
  return text::encode_utf8(text);
}

// The PDFDocEncoding byte of `c`, 0 when it has none.
unsigned char pdf_doc_byte(char32_t c) {
  // 0x18-0x1F and 0x80-0xA0, where PDFDocEncoding is not Latin-1.
  static constexpr char32_t kLow[8] = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
  static constexpr char32_t kHigh[33] = {
      0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
      0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
      0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0,      0x20AC};
  if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r' || (c >= 0xA1 && c <= 0xFF && c != 0xAD))
    return static_cast<unsigned char>(c);
  for (unsigned k = 0; k < 8; ++k)
    if (kLow[k] == c) return static_cast<unsigned char>(0x18 + k);
  for (unsigned k = 0; k < 33; ++k)
    if (c != 0 && kHigh[k] == c) return static_cast<unsigned char>(0x80 + k);
  return 0;
}

// UTF-8 text as a PDF text string: a literal in PDFDocEncoding when that
// holds every character (as qpdf writes it), else UTF-16BE with its
// byte-order mark, in hex.
std::string text_string(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const std::u32string text = text::decode_utf8(utf8);
  std::string doc = "(";
  doc.reserve(text.size() + 16);
  for (const char32_t c : text) {
    const unsigned char b = pdf_doc_byte(c);
    if (!b) {
      doc.clear();
      break;
    }
    if (b == '(' || b == ')' || b == '\\') {
      doc += '\\';
      doc += static_cast<char>(b);
    } else if (b < 0x20 || b > 0x7E) {
      doc += '\\';
      doc += static_cast<char>('0' + (b >> 6));
      doc += static_cast<char>('0' + ((b >> 3) & 7));
      doc += static_cast<char>('0' + (b & 7));
    } else {
      doc += static_cast<char>(b);
    }
  }
  if (!doc.empty()) return doc + ")";
  std::string out = "<FEFF";
  out.reserve(text.size() * 4 + 6);
  auto put = [&](unsigned v) {
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xF];
  };
  own::utf16_units(text, put);
  return out + ">";
}

// The titles the print file's structure gives a part and its pages, the
// same from either path.
std::string section_title(const std::string& title, const PrintPart& part) {
  if (part.each_page_a_copy) return title;
  return title + (part.copies == 1 ? ", ett exemplar" : ", " + std::to_string(part.copies) + " exemplar");
}
std::string page_alt(const std::string& title, bool one_copy, std::size_t copy, std::size_t copies,
                     std::size_t page, std::size_t pages) {
  return one_copy ? title + ", sida " + std::to_string(page + 1) + " av " + std::to_string(pages)
                  : title + ", exemplar " + std::to_string(copy + 1) + " av " + std::to_string(copies) + ", sida " +
                        std::to_string(page + 1) + " av " + std::to_string(pages);
}

// A number as a content stream operand: at most five decimals, no
// trailing zeros.
std::string operand(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// The cm operands that draw a form of bounding box `box` ("[ llx lly urx
// ury ]") inside the rectangle from (x0, y0) to (x1, y1): scaled down to
// fit, never up, and centred; nothing when the box cannot be read.
std::optional<std::string> placement(std::string_view box, double x0, double y0, double x1, double y1) {
  double b[4];
  std::size_t at = box.find('[');
  if (at == std::string_view::npos) return std::nullopt;
  ++at;
  for (double& v : b) {
    while (at < box.size() && is_space_char(box[at])) ++at;
    std::size_t end = at;
    while (end < box.size() && !is_space_char(box[end]) && box[end] != ']') ++end;
    const auto [ptr, ec] = std::from_chars(box.data() + at, box.data() + end, v);
    if (ec != std::errc{} || ptr != box.data() + end) return std::nullopt;
    at = end;
  }
  const double w = b[2] - b[0], h = b[3] - b[1];
  if (w <= 0 || h <= 0) return std::nullopt;
  const double scale = std::min({1.0, (x1 - x0) / w, (y1 - y0) / h});
  const double tx = x0 + ((x1 - x0) - w * scale) / 2 - b[0] * scale;
  const double ty = y0 + ((y1 - y0) - h * scale) / 2 - b[1] * scale;
  return operand(scale) + " 0 0 " + operand(scale) + " " + operand(tx) + " " + operand(ty);
}

}  // namespace cp::render::forms

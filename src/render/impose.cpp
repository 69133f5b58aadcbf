#include "render/impose.h"

#include <qpdf/Buffer.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_QPDFTokenizer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "render/own_pdf.h"

#include "render/qpdf_copy.h"

namespace cp::render {

std::vector<BookletSide> booklet_order(int pages) {
  std::vector<BookletSide> sides;
  if (pages <= 0) return sides;
  const int padded = (pages + 3) / 4 * 4;
  // A page past the end of the document is a blank.
  auto page = [pages](int i) { return i < pages ? i : -1; };
  for (int sheet = 0; sheet < padded / 4; ++sheet) {
    // Front: the outer pair, e.g. 8 and 1 of 8; back: 2 and 7.
    sides.push_back({page(padded - 1 - 2 * sheet), page(2 * sheet)});
    sides.push_back({page(2 * sheet + 1), page(padded - 2 - 2 * sheet)});
  }
  return sides;
}

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

// The structure of a file whose pages draw other files' pages: a Document
// of Sects (one per source file, titled), each holding one Figure per page
// drawn, whose alternative text says what the drawing is; the drawing on
// the page one marked-content sequence.
class DrawingStructure {
 public:
  explicit DrawingStructure(QPDF& out) : out_(out) {
    root_ = out.makeIndirectObject(QPDFObjectHandle::newDictionary());
    root_.replaceKey("/Type", QPDFObjectHandle::newName("/StructTreeRoot"));
    document_ = element("/Document", root_);
    root_.replaceKey("/K", QPDFObjectHandle::newArray({document_}));
  }

  void section(const std::string& title) {
    sect_ = element("/Sect", document_);
    sect_.replaceKey("/T", QPDFObjectHandle::newUnicodeString(title));
  }

  // The operators that draw `content` on `page` as its next MCID.
  std::string figure(QPDFObjectHandle page, const std::string& alt, const std::string& content) {
    auto fig = element("/Figure", sect_.isInitialized() ? sect_ : document_);
    auto& mcids = pages_[page.getObjGen()];
    if (mcids.empty()) order_.push_back(page);
    const auto mcid = static_cast<long long>(mcids.size());
    fig.replaceKey("/Pg", page);
    fig.replaceKey("/K", QPDFObjectHandle::newInteger(mcid));
    fig.replaceKey("/Alt", QPDFObjectHandle::newUnicodeString(alt));
    mcids.push_back(fig);
    return "/Figure <</MCID " + std::to_string(mcid) + ">> BDC\n" + content + "\nEMC\n";
  }

  // The parent tree, /StructParents of the pages, the catalog's entries.
  void finish() {
    auto nums = QPDFObjectHandle::newArray();
    long long key = 0;
    for (auto& page : order_) {
      page.replaceKey("/StructParents", QPDFObjectHandle::newInteger(key));
      nums.appendItem(QPDFObjectHandle::newInteger(key++));
      nums.appendItem(QPDFObjectHandle::newArray(pages_[page.getObjGen()]));
    }
    auto tree = QPDFObjectHandle::newDictionary();
    tree.replaceKey("/Nums", nums);
    root_.replaceKey("/ParentTree", out_.makeIndirectObject(tree));
    root_.replaceKey("/ParentTreeNextKey", QPDFObjectHandle::newInteger(key));
    out_.getRoot().replaceKey("/StructTreeRoot", root_);
    auto mark = QPDFObjectHandle::newDictionary();
    mark.replaceKey("/Marked", QPDFObjectHandle::newBool(true));
    out_.getRoot().replaceKey("/MarkInfo", mark);
  }

 private:
  QPDFObjectHandle element(const char* role, QPDFObjectHandle parent) {
    auto e = out_.makeIndirectObject(QPDFObjectHandle::newDictionary());
    e.replaceKey("/Type", QPDFObjectHandle::newName("/StructElem"));
    e.replaceKey("/S", QPDFObjectHandle::newName(role));
    e.replaceKey("/P", parent);
    e.replaceKey("/K", QPDFObjectHandle::newArray());
    if (parent.getKey("/K").isArray()) parent.getKey("/K").appendItem(e);
    return e;
  }

  QPDF& out_;
  QPDFObjectHandle root_, document_, sect_;
  std::map<QPDFObjGen, std::vector<QPDFObjectHandle>> pages_;  // per page, the element of each MCID
  std::vector<QPDFObjectHandle> order_;                        // pages in the order first tagged
};

// A form of a tagged file's page, without its marked content.
void unmark_form(QPDFObjectHandle form) {
  form.replaceStreamData(unmarked(form), QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
  form.getDict().removeKey("/StructParents");
}

}  // namespace

BookletResult impose_booklet_qpdf(const std::string& pdf, double sheet_width, double sheet_height) {
  BookletResult result;
  try {
    QPDF source;
    source.setSuppressWarnings(true);
    source.processMemoryFile("handout", pdf.data(), pdf.size());
    auto pages = QPDFPageDocumentHelper(source).getAllPages();
    QPDF out;
    out.emptyPDF();
    // A tagged handout makes a tagged booklet: each half a Figure saying
    // which page of the handout it is (drawn forms cannot carry the
    // handout's own marked content, see print_file).
    std::optional<DrawingStructure> structure;
    if (source.getRoot().getKey("/StructTreeRoot").isDictionary()) structure.emplace(out);
    std::vector<QPDFObjectHandle> forms;
    forms.reserve(pages.size());
    for (auto& page : pages) {
      forms.push_back(out.copyForeignObject(page.getFormXObjectForPage()));
      if (structure) unmark_form(forms.back());
    }
    const std::string title = title_of(source);
    if (structure) structure->section(title);
    QPDFPageDocumentHelper sheets(out);
    const double half = sheet_width / 2;
    for (const BookletSide& side : booklet_order(static_cast<int>(pages.size()))) {
      QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
      QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
      resources.replaceKey("/XObject", xobjects);
      QPDFObjectHandle dict = QPDFObjectHandle::newDictionary();
      dict.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
      dict.replaceKey("/MediaBox", QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(0, 0, sheet_width,
                                                                                           sheet_height)));
      dict.replaceKey("/Resources", resources);
      QPDFObjectHandle sheet = out.makeIndirectObject(dict);
      QPDFPageObjectHelper helper(sheet);
      std::string content;
      const int halves[2] = {side.left, side.right};
      for (int h = 0; h < 2; ++h) {
        if (halves[h] < 0) continue;
        const std::string name = h == 0 ? "/L" : "/R";
        xobjects.replaceKey(name, forms[static_cast<std::size_t>(halves[h])]);
        std::string draw = helper.placeFormXObject(forms[static_cast<std::size_t>(halves[h])], name,
                                                   QPDFObjectHandle::Rectangle(h * half, 0, (h + 1) * half, sheet_height),
                                                   true, true, false);
        if (structure)
          draw = structure->figure(sheet, title + ", sida " + std::to_string(halves[h] + 1) + " av " +
                                                 std::to_string(pages.size()),
                                   draw);
        content += draw;
      }
      sheet.replaceKey("/Contents", QPDFObjectHandle::newStream(&out, content));
      sheets.addPage(sheet, false);
    }
    if (auto info = source.getTrailer().getKey("/Info"); info.isDictionary())
      out.getTrailer().replaceKey("/Info", out.copyForeignObject(info));
    copy_catalog_entries(source, out);
    if (structure) structure->finish();
    if (source.anyWarnings()) {
      result.error = "the handout's PDF has damaged objects";
      return result;
    }
    QPDFWriter writer(out);
    writer.setOutputMemory();
    writer.setDeterministicID(true);
    writer.setMinimumPDFVersion(source.getPDFVersion());
    writer.write();
    const auto buffer = writer.getBufferSharedPointer();
    result.pdf.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    result.ok = true;
  } catch (const std::exception& e) {
    result.error = std::string("cannot impose the booklet: ") + e.what();
  }
  return result;
}

namespace {

// ---- print.pdf and the booklet from the renderer's own files ------------------
//
// Each page of a part becomes a form XObject whose data is the page's
// content stream exactly as the renderer compressed it, with the page's
// resources; fonts and images are copied object by object, untouched. The
// pages of the print file, blanks and copies, are small dictionaries that
// draw one form each: they go into one compressed object stream, with a
// cross-reference stream (PDF 1.5). Nothing is decoded or compressed again
// but those small objects and a tagged file's page contents, which lose
// their marked content once per output file.

bool is_space_char(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// A form drawn many times is compressed once per print file; the fastest
// level keeps that cheap, at a few percent more bytes than the default.
constexpr int kFormLevel = Z_BEST_SPEED;

std::string deflate_bytes(std::string_view data, int level) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), level) != Z_OK)
    return {};
  out.resize(size);
  return out;
}

// The data of a zlib (FlateDecode) stream; nothing when it is damaged.
std::optional<std::string> inflate_bytes(std::string_view data) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  std::string out(data.size() * 4 + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int status = Z_OK;
  while (status == Z_OK) {
    if (z.total_out == out.size()) out.resize(out.size() * 2);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    status = inflate(&z, Z_NO_FLUSH);
    if (status == Z_BUF_ERROR && z.avail_out != 0) break;  // input ended early
    if (status == Z_BUF_ERROR) status = Z_OK;
  }
  const bool ok = status == Z_STREAM_END;
  out.resize(z.total_out);
  inflateEnd(&z);
  if (!ok) return std::nullopt;
  return out;
}

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

// UTF-8 text as a PDF text string, in hex: in PDFDocEncoding when it
// holds every character (as qpdf writes it), else UTF-16BE with its
// byte-order mark.
std::string text_string(std::string_view utf8) {
  const std::u32string text = text::decode_utf8(utf8);
  char buf[8];
  std::string doc = "<";
  for (const char32_t c : text) {
    const unsigned char b = pdf_doc_byte(c);
    if (!b) {
      doc.clear();
      break;
    }
    std::snprintf(buf, sizeof buf, "%02X", b);
    doc += buf;
  }
  if (!doc.empty()) return doc + ">";
  std::string out = "<FEFF";
  auto put = [&](unsigned v) {
    std::snprintf(buf, sizeof buf, "%04X", v);
    out += buf;
  };
  for (char32_t c : text) {
    if (c > 0xFFFF) {
      c -= 0x10000;
      put(0xD800 + (static_cast<unsigned>(c) >> 10));
      put(0xDC00 + (static_cast<unsigned>(c) & 0x3FF));
    } else {
      put(static_cast<unsigned>(c));
    }
  }
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

// A file whose pages draw, as form XObjects, pages of the renderer's own
// files: print.pdf and the booklet.
class DirectWriter {
 public:
  // keep_source_info: the output keeps the first file's /Info and XMP
  // (finish without information of its own).
  explicit DirectWriter(bool keep_source_info) : keep_source_info_(keep_source_info) {}

  // The pages of one source file, each one form of the output.
  struct Part {
    std::vector<long> forms;         // object numbers in the output
    std::vector<std::string> boxes;  // each page's media box, as written
    std::string title;               // its /Info /Title, UTF-8
    std::size_t pages() const { return forms.size(); }
  };
  // One form drawn on a page of the output.
  struct Placement {
    std::string name;  // its resource name, "/P"
    long form = -1;
    std::string cm;    // the operands of the cm that places it; empty: none
    std::string alt;   // what it shows, for its Figure in a tagged file
  };

  // The pages of `pdf` as forms of the output; nothing when it is not a
  // file this writer copies directly. The first file's catalog entries
  // (language, output intent, viewer preferences) hold for the output.
  std::optional<Part> read(std::string_view pdf) {
    own::Reader reader(pdf);
    if (!reader.read()) return std::nullopt;
    const own::Object* root = reader.object(reader.root());
    if (!root) return std::nullopt;
    // A tagged file's forms lose their marked content: each drawing of
    // one is a Figure of its own (see print_file_qpdf).
    const bool tagged = own::Reader::value_span(*root, "/StructTreeRoot").has_value();
    tagged_ = tagged_ || tagged;
    Part part;
    if (reader.info() >= 0) {
      const own::Object* info = reader.object(reader.info());
      if (!info) return std::nullopt;
      if (const auto span = own::Reader::value_span(*info, "/Title")) {
        if (span->last != span->first + 1) return std::nullopt;
        const auto decoded = text_of(reader.bytes().substr(span->begin, span->end - span->begin));
        if (!decoded) return std::nullopt;
        part.title = *decoded;
      }
    }
    renumbered_.clear();
    reader_ = &reader;
    const bool first = !catalog_copied_;
    if (first) {
      if (lang_.empty()) lang_ = std::string(reader.lang());
      for (std::string_view key : {"/OutputIntents", "/ViewerPreferences"}) {
        const auto span = own::Reader::value_span(*root, key);
        if (!span) continue;
        std::string value;
        if (!copy_span(*root, *span, value)) return std::nullopt;
        catalog_entries_ += ' ';
        catalog_entries_ += key;
        catalog_entries_ += ' ';
        catalog_entries_ += value;
      }
      if (const auto span = own::Reader::value_span(*root, "/Metadata"); span && keep_source_info_) {
        std::string value;
        if (!copy_span(*root, *span, value)) return std::nullopt;
        source_metadata_ = value;
      }
      if (reader.info() >= 0 && keep_source_info_) {
        const auto info = copy(reader.info());
        if (!info) return std::nullopt;
        source_info_ = *info;
      }
      catalog_copied_ = true;
    } else if (lang_.empty()) {
      lang_ = std::string(reader.lang());
    }
    for (const long page : reader.pages()) {
      const own::Object* o = reader.object(page);
      if (!o || own::Reader::has_key(o->tokens, "/Rotate") || own::Reader::has_key(o->tokens, "/UserUnit"))
        return std::nullopt;
      const auto box = own::Reader::value_span(*o, "/MediaBox");
      const auto resources = own::Reader::value_span(*o, "/Resources");
      const auto contents = own::Reader::value_span(*o, "/Contents");
      if (!box || !resources || !contents || contents->last - contents->first != 3) return std::nullopt;
      const own::Object* data = reader.object(own::Reader::ref_after(o->tokens, "/Contents"));
      if (!data || !data->stream) return std::nullopt;
      // The content stream's dictionary: its length and filter only.
      std::string_view filter;
      for (std::size_t k = 1; k + 1 < data->tokens.size(); ++k) {
        const std::string_view key = data->tokens[k].text;
        if (key.empty() || key[0] != '/') continue;
        const auto span = own::Reader::value_span(*data, key);
        if (!span) continue;
        if (key == "/Filter")
          filter = reader.bytes().substr(span->begin, span->end - span->begin);
        else if (key != "/Length")
          return std::nullopt;
        k = span->last - 1;
      }
      std::string_view stored = reader.bytes().substr(data->data, data->data_length);
      std::string unmarked;
      if (tagged) {
        // The content without its marked-content operators, compressed again.
        std::optional<std::string> plain;
        if (filter.empty())
          plain = std::string(stored);
        else if (filter == "/FlateDecode" || filter == "[ /FlateDecode ]" || filter == "[/FlateDecode]")
          plain = inflate_bytes(stored);
        if (!plain) return std::nullopt;
        const auto lines = unmarked_lines(*plain);
        if (!lines) return std::nullopt;
        unmarked = deflate_bytes(*lines, kFormLevel);
        if (unmarked.empty()) return std::nullopt;
        stored = unmarked;
        filter = "/FlateDecode";
      }
      std::string form = "<< /Type /XObject /Subtype /Form /BBox ";
      form += reader.bytes().substr(box->begin, box->end - box->begin);
      form += " /Resources ";
      if (!copy_span(*o, *resources, form)) return std::nullopt;
      if (!filter.empty()) {
        form += " /Filter ";
        form += filter;
      }
      form += " /Length " + std::to_string(stored.size()) + " >>\nstream\n";
      form += stored;
      form += "\nendstream";
      part.forms.push_back(write_object(form));
      part.boxes.emplace_back(reader.bytes().substr(box->begin, box->end - box->begin));
    }
    reader_ = nullptr;
    return part;
  }

  // A section of the structure (a Sect titled `title`): the Figures of the
  // placements added after it belong to it.
  void section(std::string title) { sections_.push_back({std::move(title), {}}); }

  // A page of `box` that draws `drawn` (nothing: a blank page).
  void add_page(std::string box, std::vector<Placement> drawn) {
    if (!sections_.empty())
      for (std::size_t k = 0; k < drawn.size(); ++k) sections_.back().figures.emplace_back(pages_.size(), k);
    pages_.push_back({std::move(box), std::move(drawn)});
  }

  std::size_t pages() const { return pages_.size(); }

  // The whole file. With `info`, the file states it (its /Info and XMP);
  // without, it keeps the first file's /Info and XMP as they are.
  std::string finish(const DocumentInfo* info) {
    long metadata = -1;
    long info_object = -1;
    std::string metadata_ref, info_ref;
    if (info) {
      // The XMP packet, unfiltered (PDF/A), and the /Info it agrees with.
      const std::string xmp = xmp_packet(*info, tagged_ ? Conformance{2, 'A', true} : Conformance{});
      metadata = write_object("<< /Type /Metadata /Subtype /XML /Length " + std::to_string(xmp.size()) +
                              " >>\nstream\n" + xmp + "\nendstream");
      info_object = write_object(info_dictionary(*info));
      metadata_ref = std::to_string(metadata) + " 0 R";
      info_ref = std::to_string(info_object) + " 0 R";
    } else {
      metadata_ref = source_metadata_;
      if (source_info_ >= 0) info_ref = std::to_string(source_info_) + " 0 R";
    }
    std::string catalog = "<< /Type /Catalog /Pages 2 0 R";
    if (!lang_.empty()) catalog += " /Lang " + lang_;
    if (!metadata_ref.empty()) catalog += " /Metadata " + metadata_ref;
    catalog += catalog_entries_;
    std::string tree = "<< /Type /Pages /Count " + std::to_string(pages_.size()) + " /Kids [";
    std::vector<std::pair<long, std::string>> small = {{1, {}}, {2, {}}};
    std::vector<long> page_numbers;
    for (std::size_t k = 0; k < pages_.size(); ++k) page_numbers.push_back(next_++);
    // The structure: the root, a Document, a Sect per section and a Figure
    // per placement, and the parent tree that leads from each page's
    // MCIDs (one per placement, in order) to their Figures.
    std::vector<long> key_of(pages_.size(), -1);
    if (tagged_) {
      const long root = next_++, document = next_++, parents = next_++;
      std::vector<std::vector<long>> figures_of(pages_.size());
      std::string document_kids;
      for (const Section& section : sections_) {
        const long sect = next_++;
        document_kids += ' ' + std::to_string(sect) + " 0 R";
        std::string kids;
        std::vector<std::pair<long, std::string>> figures;
        for (const auto& [at, k] : section.figures) {
          const long figure = next_++;
          kids += ' ' + std::to_string(figure) + " 0 R";
          figures_of[at].push_back(figure);
          figures.emplace_back(figure, "<< /Type /StructElem /S /Figure /P " + std::to_string(sect) + " 0 R /K " +
                                           std::to_string(k) + " /Pg " + std::to_string(page_numbers[at]) +
                                           " 0 R /Alt " + text_string(pages_[at].drawn[k].alt) + " >>");
        }
        small.emplace_back(sect, "<< /Type /StructElem /S /Sect /P " + std::to_string(document) + " 0 R /K [" +
                                     kids + " ] /T " + text_string(section.title) + " >>");
        for (auto& f : figures) small.push_back(std::move(f));
      }
      // Keys in page order, for the pages with a drawing.
      std::string nums;
      long key = 0;
      for (std::size_t at = 0; at < pages_.size(); ++at) {
        if (figures_of[at].empty()) continue;
        key_of[at] = key;
        nums += ' ' + std::to_string(key++) + " [";
        for (const long f : figures_of[at]) nums += ' ' + std::to_string(f) + " 0 R";
        nums += " ]";
      }
      small.emplace_back(root, "<< /Type /StructTreeRoot /K [ " + std::to_string(document) + " 0 R ] /ParentTree " +
                                   std::to_string(parents) + " 0 R /ParentTreeNextKey " + std::to_string(key) +
                                   " >>");
      small.emplace_back(document, "<< /Type /StructElem /S /Document /P " + std::to_string(root) + " 0 R /K [" +
                                       document_kids + " ] >>");
      small.emplace_back(parents, "<< /Nums [" + nums + " ] >>");
      catalog += " /StructTreeRoot " + std::to_string(root) + " 0 R /MarkInfo << /Marked true >>";
    }
    small[0].second = catalog + " >>";
    // Pages that draw the same way share one content stream.
    std::map<std::string, long> contents;
    for (std::size_t at = 0; at < pages_.size(); ++at) {
      const Page& p = pages_[at];
      const long number = page_numbers[at];
      tree += ' ' + std::to_string(number) + " 0 R";
      std::string page = "<< /Type /Page /Parent 2 0 R /MediaBox " + p.box;
      if (p.drawn.empty()) {
        page += " /Resources << >> >>";
      } else {
        std::string content, xobjects;
        for (std::size_t k = 0; k < p.drawn.size(); ++k) {
          const Placement& d = p.drawn[k];
          xobjects += ' ' + d.name + ' ' + std::to_string(d.form) + " 0 R";
          std::string draw = d.cm.empty() ? d.name + " Do\n" : "q\n" + d.cm + " cm\n" + d.name + " Do\nQ\n";
          if (tagged_) draw = "/Figure <</MCID " + std::to_string(k) + ">> BDC\n" + draw + "EMC\n";
          content += draw;
        }
        auto [it, added] = contents.try_emplace(content, 0);
        if (added)
          it->second = write_object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                                    "\nendstream");
        page += " /Resources << /XObject <<" + xobjects + " >> >> /Contents " + std::to_string(it->second) + " 0 R";
        if (key_of[at] >= 0) page += " /StructParents " + std::to_string(key_of[at]);
        page += " >>";
      }
      small.emplace_back(number, std::move(page));
    }
    small[1].second = tree + " ] >>";

    // The object stream: "number offset" pairs, then the objects.
    const long objstm = next_++;
    const long xref = next_++;
    std::string index, body;
    entries_.resize(static_cast<std::size_t>(next_));
    for (std::size_t k = 0; k < small.size(); ++k) {
      index += std::to_string(small[k].first) + ' ' + std::to_string(body.size()) + ' ';
      body += small[k].second;
      body += '\n';
      entries_[static_cast<std::size_t>(small[k].first)] = {2, static_cast<std::uint64_t>(objstm), k};
    }
    const std::string packed = deflate_bytes(index + body, Z_DEFAULT_COMPRESSION);
    if (packed.empty()) return {};
    entries_[static_cast<std::size_t>(objstm)] = {1, out_.size(), 0};
    out_ += std::to_string(objstm) + " 0 obj\n<< /Type /ObjStm /N " + std::to_string(small.size()) + " /First " +
            std::to_string(index.size()) + " /Filter /FlateDecode /Length " + std::to_string(packed.size()) +
            " >>\nstream\n" + packed + "\nendstream\nendobj\n";

    // The cross-reference stream: type, offset (4 bytes), index (2 bytes).
    entries_[static_cast<std::size_t>(xref)] = {1, out_.size(), 0};
    std::string table;
    for (std::size_t n = 0; n < entries_.size(); ++n) {
      const Entry& e = n == 0 ? Entry{0, 0, 65535} : entries_[n];
      table += static_cast<char>(e.type);
      for (int b = 3; b >= 0; --b) table += static_cast<char>((e.field >> (8 * b)) & 0xFF);
      table += static_cast<char>((e.index >> 8) & 0xFF);
      table += static_cast<char>(e.index & 0xFF);
    }
    const std::string packed_table = deflate_bytes(table, Z_DEFAULT_COMPRESSION);
    if (packed_table.empty()) return {};
    const std::size_t at = out_.size();
    out_ += std::to_string(xref) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(entries_.size()) +
            " /W [ 1 4 2 ] /Root 1 0 R" + (info_ref.empty() ? std::string() : " /Info " + info_ref) + " /ID [<" +
            kIdPlaceholder + "><" + kIdPlaceholder + ">] /Filter /FlateDecode /Length " +
            std::to_string(packed_table.size()) + " >>\nstream\n" + packed_table +
            "\nendstream\nendobj\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
    if (out_.size() > 0xFFFFFFFFu) return {};
    if (!stamp_file_id(out_)) return {};
    return std::move(out_);
  }

 private:
  struct Entry {
    int type = 0;             // 0 free, 1 at an offset, 2 in an object stream
    std::uint64_t field = 0;  // the offset, or the object stream's number
    std::size_t index = 0;    // the index in the object stream
  };

  struct Page {
    std::string box;  // the media box
    std::vector<Placement> drawn;
  };
  struct Section {
    std::string title;
    std::vector<std::pair<std::size_t, std::size_t>> figures;  // page in pages_, placement on it
  };

  // Writes `body` ("<< ... >>", a stream's dictionary and data) as a new
  // object; returns its number.
  long write_object(const std::string& body) {
    const long number = next_++;
    place(number);
    out_ += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
    return number;
  }

  void place(long number) {
    if (entries_.size() <= static_cast<std::size_t>(number)) entries_.resize(static_cast<std::size_t>(number) + 1);
    entries_[static_cast<std::size_t>(number)] = {1, out_.size(), 0};
  }

  // The new number of the source's object `n`, copied (with what it
  // refers to) the first time; nullopt when it is not copyable.
  std::optional<long> copy(long n) {
    if (const auto it = renumbered_.find(n); it != renumbered_.end()) return it->second;
    if (reader_->in_tree(n)) return std::nullopt;
    const own::Object* o = reader_->object(n);
    if (!o) return std::nullopt;
    const long number = next_++;
    renumbered_.emplace(n, number);
    std::string body;
    const std::string_view pdf = reader_->bytes();
    std::size_t at = o->body;
    for (const own::Reference& r : o->refs) {
      const auto target = copy(r.object);
      if (!target) return std::nullopt;
      body.append(pdf.substr(at, r.begin - at));
      body += std::to_string(*target) + " 0 R";
      at = r.end;
    }
    body.append(pdf.substr(at, o->end - at));
    place(number);
    out_ += std::to_string(number) + " 0 obj";
    out_ += body;
    out_ += "endobj\n";
    return number;
  }

  // The bytes of `span` of `o`, with its references to the copies.
  bool copy_span(const own::Object& o, const own::Span& span, std::string& out) {
    const std::string_view pdf = reader_->bytes();
    std::size_t at = span.begin;
    for (const own::Reference& r : o.refs) {
      if (r.begin < span.begin || r.end > span.end) continue;
      const auto target = copy(r.object);
      if (!target) return false;
      out.append(pdf.substr(at, r.begin - at));
      out += std::to_string(*target) + " 0 R";
      at = r.end;
    }
    out.append(pdf.substr(at, span.end - at));
    return true;
  }

  std::string out_ = "%PDF-1.7\n%\xB7\xBE\xAD\xAA\n";  // PDF/A-2 is based on 1.7
  std::vector<Entry> entries_ = std::vector<Entry>(3);
  long next_ = 3;  // 1 the catalog, 2 the page tree
  std::string lang_;
  bool catalog_copied_ = false;
  std::string catalog_entries_;  // " /OutputIntents [...] /ViewerPreferences <<...>>", renumbered
  std::string source_metadata_;  // the first file's /Metadata value, renumbered
  long source_info_ = -1;        // the first file's /Info, copied
  std::vector<Page> pages_;
  std::vector<Section> sections_;
  bool tagged_ = false;  // a file read is tagged: so is the output
  bool keep_source_info_;
  own::Reader* reader_ = nullptr;
  std::map<long, long> renumbered_;  // in the current file
};

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

}  // namespace

std::optional<PrintFileResult> print_file_direct(const std::vector<PrintPart>& parts, const DocumentInfo& info) {
  PrintFileResult result;
  DirectWriter print(false);
  for (const PrintPart& part : parts) {
    if (!part.pdf || part.copies <= 0) continue;
    const auto read = print.read(*part.pdf);
    if (!read) return std::nullopt;
    // Each copy as a run of pages, padded to an even count.
    std::vector<std::vector<std::size_t>> copies;
    const std::size_t n = read->pages();
    if (part.each_page_a_copy) {
      for (std::size_t i = 0; i < n; ++i) copies.push_back({i});
    } else {
      std::vector<std::size_t> all;
      for (std::size_t i = 0; i < n; ++i) all.push_back(i);
      for (int c = 0; c < part.copies; ++c) copies.push_back(all);
    }
    print.section(section_title(read->title, part));
    const bool one_copy = part.each_page_a_copy || copies.size() == 1;
    for (std::size_t c = 0; c < copies.size(); ++c) {
      for (const std::size_t i : copies[c])
        print.add_page(read->boxes[i],
                       {{"/P", read->forms[i], {}, page_alt(read->title, one_copy, c, copies.size(), i, n)}});
      if (copies[c].size() % 2 == 1) {
        print.add_page(read->boxes[copies[c].back()], {});
        ++result.blanks;
      }
    }
  }
  result.pages = static_cast<int>(print.pages());
  result.pdf = print.finish(&info);
  if (result.pdf.empty()) return std::nullopt;
  result.ok = true;
  return result;
}

std::optional<BookletResult> impose_booklet_direct(const std::string& pdf, double sheet_width, double sheet_height) {
  DirectWriter booklet(true);
  const auto read = booklet.read(pdf);
  if (!read) return std::nullopt;
  booklet.section(read->title);
  const double half = sheet_width / 2;
  const std::string sheet = "[ 0 0 " + operand(sheet_width) + " " + operand(sheet_height) + " ]";
  const std::size_t n = read->pages();
  for (const BookletSide& side : booklet_order(static_cast<int>(n))) {
    std::vector<DirectWriter::Placement> drawn;
    const int halves[2] = {side.left, side.right};
    for (int h = 0; h < 2; ++h) {
      if (halves[h] < 0) continue;
      const auto i = static_cast<std::size_t>(halves[h]);
      const auto cm = placement(read->boxes[i], h * half, 0, (h + 1) * half, sheet_height);
      if (!cm) return std::nullopt;
      drawn.push_back({h == 0 ? "/L" : "/R", read->forms[i], *cm,
                       read->title + ", sida " + std::to_string(i + 1) + " av " + std::to_string(n)});
    }
    booklet.add_page(sheet, std::move(drawn));
  }
  BookletResult result;
  result.pdf = booklet.finish(nullptr);
  if (result.pdf.empty()) return std::nullopt;
  result.ok = true;
  return result;
}


// A print file of tagged parts is tagged too. Its pages are drawings of
// other documents' pages, which cannot carry those documents' structure
// once per copy: each part is a Sect titled with the part's title, and
// each page of it a Figure whose alternative text says which part, copy
// and page it is. The forms lose their own marked content (it would be
// nested in the page's), so each page's drawing is one tagged sequence.
PrintFileResult print_file_qpdf(const std::vector<PrintPart>& parts, const DocumentInfo& info) {
  PrintFileResult result;
  try {
    QPDF out;
    out.emptyPDF();
    QPDFPageDocumentHelper doc(out);
    std::vector<std::unique_ptr<QPDF>> sources;
    bool catalog_set = false;
    // Pages of one size draw their form with the same operators: one
    // content stream for all of them (each page's /P is its own form).
    std::map<std::string, QPDFObjectHandle> contents;
    std::optional<DrawingStructure> structure;
    std::string alt;  // the alternative text of the next page drawn
    // A page that draws `form` (or nothing, for a blank) on a page of `box`.
    auto add_page = [&](QPDFObjectHandle box, QPDFObjectHandle form) {
      QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
      QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
      resources.replaceKey("/XObject", xobjects);
      QPDFObjectHandle dict = QPDFObjectHandle::newDictionary();
      dict.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
      dict.replaceKey("/MediaBox", box);
      dict.replaceKey("/Resources", resources);
      QPDFObjectHandle page = out.makeIndirectObject(dict);
      std::string content;
      if (form.isInitialized()) {
        xobjects.replaceKey("/P", form);
        content = QPDFPageObjectHelper(page).placeFormXObject(form, "/P", box.getArrayAsRectangle(), true, true,
                                                                false);
        if (structure) content = structure->figure(page, alt, content);
      }
      auto [it, added] = contents.try_emplace(content);
      if (added) it->second = QPDFObjectHandle::newStream(&out, content);
      page.replaceKey("/Contents", it->second);
      doc.addPage(page, false);
      ++result.pages;
    };
    std::vector<const PrintPart*> used;
    for (const PrintPart& part : parts) {
      if (!part.pdf || part.copies <= 0) continue;
      auto& source = *sources.emplace_back(std::make_unique<QPDF>());
      source.setSuppressWarnings(true);
      source.processMemoryFile("part", part.pdf->data(), part.pdf->size());
      used.push_back(&part);
      if (source.getRoot().getKey("/StructTreeRoot").isDictionary() && !structure) structure.emplace(out);
    }
    for (std::size_t s = 0; s < used.size(); ++s) {
      const PrintPart& part = *used[s];
      QPDF& source = *sources[s];
      const bool part_tagged = source.getRoot().getKey("/StructTreeRoot").isDictionary();
      if (!catalog_set) {
        copy_catalog_entries(source, out);
        catalog_set = true;
      }
      auto pages = QPDFPageDocumentHelper(source).getAllPages();
      std::vector<QPDFObjectHandle> forms, boxes;
      for (auto& page : pages) {
        auto form = out.copyForeignObject(page.getFormXObjectForPage());
        if (part_tagged) unmark_form(form);
        forms.push_back(form);
        const auto box = page.getMediaBox(false).getArrayAsRectangle();
        boxes.push_back(QPDFObjectHandle::newArray(box));
      }
      const std::string title = title_of(source);
      if (structure)
        structure->section(part.each_page_a_copy ? title
                                                 : title + (part.copies == 1 ? ", ett exemplar"
                                                                             : ", " + std::to_string(part.copies) +
                                                                                   " exemplar"));
      if (source.anyWarnings()) {
        result.error = "a PDF to print has damaged objects";
        return result;
      }
      // Each copy as a run of pages, padded to an even count.
      std::vector<std::vector<std::size_t>> copies;
      if (part.each_page_a_copy) {
        for (std::size_t i = 0; i < pages.size(); ++i) copies.push_back({i});
      } else {
        std::vector<std::size_t> all;
        for (std::size_t i = 0; i < pages.size(); ++i) all.push_back(i);
        for (int c = 0; c < part.copies; ++c) copies.push_back(all);
      }
      for (std::size_t c = 0; c < copies.size(); ++c) {
        const auto& copy = copies[c];
        for (const std::size_t i : copy) {
          alt = part.each_page_a_copy || copies.size() == 1
                    ? title + ", sida " + std::to_string(i + 1) + " av " + std::to_string(pages.size())
                    : title + ", exemplar " + std::to_string(c + 1) + " av " + std::to_string(copies.size()) +
                          ", sida " + std::to_string(i + 1) + " av " + std::to_string(pages.size());
          add_page(boxes[i], forms[i]);
        }
        if (copy.size() % 2 == 1) {
          add_page(boxes[copy.back()], QPDFObjectHandle());
          ++result.blanks;
        }
      }
    }
    if (structure) structure->finish();
    state_info(out, info, structure ? Conformance{2, 'A', true} : Conformance{});
    QPDFWriter writer(out);
    writer.setOutputMemory();
    writer.setDeterministicID(true);
    // Object streams keep a thousand small page objects small.
    writer.setObjectStreamMode(qpdf_o_generate);
    if (structure) writer.setMinimumPDFVersion("1.7");  // PDF/UA-1
    writer.write();
    const auto buffer = writer.getBufferSharedPointer();
    result.pdf.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    result.ok = true;
  } catch (const std::exception& e) {
    result.error = std::string("cannot make the print file: ") + e.what();
  }
  return result;
}

PrintFileResult print_file(const std::vector<PrintPart>& parts, const DocumentInfo& info) {
  if (auto direct = print_file_direct(parts, info)) return std::move(*direct);
  return print_file_qpdf(parts, info);
}

BookletResult impose_booklet(const std::string& pdf, double sheet_width, double sheet_height) {
  if (auto direct = impose_booklet_direct(pdf, sheet_width, sheet_height)) return std::move(*direct);
  return impose_booklet_qpdf(pdf, sheet_width, sheet_height);
}

}  // namespace cp::render

// Drawing other files' pages as form XObjects: what print.pdf and the
// booklet (render/impose.h) share. Internal to render/.
#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "render/archive.h"
#include "render/impose.h"
#include "render/own_pdf.h"

namespace cp::render::forms {

// `text` without its marked-content lines, as the renderer writes them;
// nothing when another line names a marked-content operator.
std::optional<std::string> unmarked_lines(std::string_view text);
// The /Title of a file's /Info, UTF-8; empty without one.
std::string title_of(QPDF& source);
// A form of a tagged file's page, without its marked content.
void unmark_form(QPDFObjectHandle form);

bool is_space_char(char c);
using own::deflate_bytes;
using own::inflate_bytes;
// A text string token as UTF-8, and UTF-8 as a text string token.
std::optional<std::string> text_of(std::string_view token);
std::string text_string(std::string_view utf8);
// The Sect title of a print part and the Figure's /Alt of a page of it.
std::string section_title(const std::string& title, const PrintPart& part);
std::string page_alt(const std::string& title, bool one_copy, std::size_t copy, std::size_t copies,
                     std::size_t page, std::size_t pages);
// A number as a content stream operand, and the cm operands that draw a
// form of bounding box `box` inside a rectangle.
std::string operand(double v);
std::optional<std::string> placement(std::string_view box, double x0, double y0, double x1, double y1);

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

// A form drawn many times is compressed once per print file; the fastest
// level keeps that cheap, at a few percent more bytes than the default.
constexpr int kFormLevel = Z_BEST_SPEED;

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
    const std::string packed = deflate_bytes(index + body, Z_BEST_SPEED);
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

}  // namespace cp::render::forms

#include "render/pdf_split.h"

#include "render/archive.h"
#include "render/own_pdf.h"
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

using own::Object;
using own::Reader;
using own::Reference;

class Source {
 public:
  explicit Source(std::string_view pdf) : reader_(pdf) {}

  bool read() { return reader_.read(); }
  std::size_t page_count() const { return reader_.pages().size(); }

  // One page as a PDF of its own, or nothing if the page reaches what this
  // reader does not copy (another page, the page tree, the catalog).
  std::optional<std::string> page(std::size_t index) {
    const long page_obj = reader_.pages()[index];
    const long info = reader_.info();
    const std::string_view lang = reader_.lang();
    const std::string_view pdf = reader_.bytes();
    std::vector<long> order;           // old object numbers in output order
    std::map<long, long> renumbered;   // old → new
    constexpr long kFirst = 3;         // 1 catalog, 2 pages
    auto visit = [&](long n) -> bool {
      if (renumbered.count(n)) return true;
      if (n != page_obj && reader_.in_tree(n)) return false;  // another page, the page tree, the catalog
      renumbered[n] = kFirst + static_cast<long>(order.size());
      order.push_back(n);
      return true;
    };
    if (info > 0 && !visit(info)) return std::nullopt;
    // The catalog entries every one-page file keeps: its archival metadata.
    const Object* catalog = object(reader_.root());
    if (!catalog) return std::nullopt;
    std::vector<std::pair<std::string_view, own::Span>> carried;
    for (std::string_view key : {"/Metadata", "/OutputIntents", "/ViewerPreferences"})
      if (const auto span = Reader::value_span(*catalog, key)) carried.emplace_back(key, *span);
    for (const auto& [key, span] : carried)
      for (const Reference& r : catalog->refs)
        if (r.begin >= span.begin && r.end <= span.end && !visit(r.object)) return std::nullopt;
    if (!visit(page_obj)) return std::nullopt;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const Object* o = object(order[k]);
      if (!o) return std::nullopt;
      for (const Reference& r : o->refs)
        if (!(r.parent && order[k] == page_obj) && !visit(r.object)) return std::nullopt;
    }

    std::string out(pdf.substr(0, pdf.find('\n') + 1));
    out += "%\xB7\xBE\xAD\xAA\n";
    std::vector<std::size_t> offsets;
    offsets.push_back(out.size());
    out += "1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n";
    if (!lang.empty()) {
      out += "/Lang ";
      out += lang;
      out += '\n';
    }
    for (const auto& [key, span] : carried) {
      out += key;
      out += ' ';
      std::size_t at = span.begin;
      for (const Reference& r : catalog->refs) {
        if (r.begin < span.begin || r.end > span.end) continue;
        out.append(pdf.substr(at, r.begin - at));
        out += std::to_string(renumbered.at(r.object));
        out += " 0 R";
        at = r.end;
      }
      out.append(pdf.substr(at, span.end - at));
      out += '\n';
    }
    out += ">>\nendobj\n";
    offsets.push_back(out.size());
    out += "2 0 obj\n<<\n/Type /Pages\n/Kids [ ";
    out += std::to_string(renumbered[page_obj]);
    out += " 0 R ]\n/Count 1\n>>\nendobj\n";
    for (long old : order) {
      const Object& o = *object(old);
      offsets.push_back(out.size());
      out += std::to_string(renumbered[old]);
      out += " 0 obj";
      std::size_t at = o.body;
      for (const Reference& r : o.refs) {
        out.append(pdf.substr(at, r.begin - at));
        out += std::to_string(r.parent && old == page_obj ? 2 : renumbered.at(r.object));
        out += " 0 R";
        at = r.end;
      }
      out.append(pdf.substr(at, o.end - at));
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
    if (info > 0) out += "/Info " + std::to_string(renumbered[info]) + " 0 R\n";
    out += std::string("/ID [<") + kIdPlaceholder + "><" + kIdPlaceholder + ">]\n";
    out += "/Size " + std::to_string(size) + "\n>>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    if (!stamp_file_id(out)) return std::nullopt;
    return out;
  }

 private:
  const Object* object(long n) { return reader_.object(n); }

  Reader reader_;
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

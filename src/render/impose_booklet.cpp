// Booklet imposition: booklet_order, and impose_booklet's two ways (the
// direct writer and qpdf).
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "render/impose.h"
#include "render/impose_forms.h"
#include "render/qpdf_copy.h"

namespace cp::render {

using namespace forms;

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

BookletResult impose_booklet(const std::string& pdf, double sheet_width, double sheet_height) {
  if (auto direct = impose_booklet_direct(pdf, sheet_width, sheet_height)) return std::move(*direct);
  return impose_booklet_qpdf(pdf, sheet_width, sheet_height);
}

}  // namespace cp::render

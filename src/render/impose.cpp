#include "render/impose.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>
#include <map>
#include <memory>

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

BookletResult impose_booklet(const std::string& pdf, double sheet_width, double sheet_height) {
  BookletResult result;
  try {
    QPDF source;
    source.setSuppressWarnings(true);
    source.processMemoryFile("handout", pdf.data(), pdf.size());
    auto pages = QPDFPageDocumentHelper(source).getAllPages();
    QPDF out;
    out.emptyPDF();
    std::vector<QPDFObjectHandle> forms;
    forms.reserve(pages.size());
    for (auto& page : pages) forms.push_back(out.copyForeignObject(page.getFormXObjectForPage()));
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
        content += helper.placeFormXObject(forms[static_cast<std::size_t>(halves[h])], name,
                                           QPDFObjectHandle::Rectangle(h * half, 0, (h + 1) * half, sheet_height),
                                           true, true, false);
      }
      sheet.replaceKey("/Contents", QPDFObjectHandle::newStream(&out, content));
      sheets.addPage(sheet, false);
    }
    if (auto info = source.getTrailer().getKey("/Info"); info.isDictionary())
      out.getTrailer().replaceKey("/Info", out.copyForeignObject(info));
    copy_catalog_entries(source, out);
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

PrintFileResult print_file(const std::vector<PrintPart>& parts, const DocumentInfo& info) {
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
      }
      auto [it, added] = contents.try_emplace(content);
      if (added) it->second = QPDFObjectHandle::newStream(&out, content);
      page.replaceKey("/Contents", it->second);
      doc.addPage(page, false);
      ++result.pages;
    };
    for (const PrintPart& part : parts) {
      if (!part.pdf || part.copies <= 0) continue;
      auto& source = *sources.emplace_back(std::make_unique<QPDF>());
      source.setSuppressWarnings(true);
      source.processMemoryFile("part", part.pdf->data(), part.pdf->size());
      if (!catalog_set) {
        copy_catalog_entries(source, out);
        catalog_set = true;
      }
      auto pages = QPDFPageDocumentHelper(source).getAllPages();
      std::vector<QPDFObjectHandle> forms, boxes;
      for (auto& page : pages) {
        forms.push_back(out.copyForeignObject(page.getFormXObjectForPage()));
        const auto box = page.getMediaBox(false).getArrayAsRectangle();
        boxes.push_back(QPDFObjectHandle::newArray(box));
      }
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
      for (const auto& copy : copies) {
        for (const std::size_t i : copy) add_page(boxes[i], forms[i]);
        if (copy.size() % 2 == 1) {
          add_page(boxes[copy.back()], QPDFObjectHandle());
          ++result.blanks;
        }
      }
    }
    state_info(out, info);
    QPDFWriter writer(out);
    writer.setOutputMemory();
    writer.setDeterministicID(true);
    // Object streams keep a thousand small page objects small.
    writer.setObjectStreamMode(qpdf_o_generate);
    writer.write();
    const auto buffer = writer.getBufferSharedPointer();
    result.pdf.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    result.ok = true;
  } catch (const std::exception& e) {
    result.error = std::string("cannot make the print file: ") + e.what();
  }
  return result;
}

}  // namespace cp::render

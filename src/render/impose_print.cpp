// print.pdf: print_file's two ways (the direct writer and qpdf).
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "render/impose.h"
#include "render/impose_forms.h"
#include "render/qpdf_copy.h"

namespace cp::render {

using namespace forms;

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

}  // namespace cp::render

#include "render/pdf_split.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>

namespace cp::render {

namespace {

std::string one_page(QPDF& source, QPDFPageObjectHelper& page) {
  QPDF out;
  out.emptyPDF();
  QPDFPageDocumentHelper(out).addPage(out.copyForeignObject(page.getObjectHandle()), false);
  if (auto info = source.getTrailer().getKey("/Info"); info.isDictionary())
    out.getTrailer().replaceKey("/Info", out.copyForeignObject(info));
  if (auto lang = source.getRoot().getKey("/Lang"); lang.isString())
    out.getRoot().replaceKey("/Lang", QPDFObjectHandle::newString(lang.getStringValue()));

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

SplitResult split_pages(const std::string& pdf) {
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

}  // namespace cp::render

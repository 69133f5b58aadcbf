// The PDF renderer: pages of positioned items → PDF bytes, with libharu.
//
// It decides no positions: every item is drawn where layout put it, each
// glyph where shaping (HarfBuzz) put it. Fonts are subset per document with
// HarfBuzz and embedded as TrueType (CIDFontType2, Identity-H, CID = the
// face's glyph id, mapped to the subset's own glyph ids by a CIDToGIDMap), with a ToUnicode map for every glyph and ActualText where a map
// cannot say the text (several glyphs for one character, right-to-left
// runs), so every font is embedded as a subset and text extracts. Every
// file is archivable (PDF/A-2b, render/archive.h): PDF 1.7, XMP metadata
// that agrees with /Info, the sRGB output intent, printing annotations and
// an /ID derived from the file's bytes. A document with a logical structure
// (Document::structure) becomes a tagged PDF, PDF/A-2a and PDF/UA-1: every
// drawn item is marked content of its structure element or an artifact,
// with the structure tree, its parent tree, and link annotations in their
// Link elements. A compressed file keeps its small objects in object
// streams with a cross-reference stream (own_pdf.h). With the same document and
// creation_time the bytes are identical (no clock read here). Nothing is
// written to disk.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/file_store.h"
#include "frame/frame.h"

namespace cp::render {

struct PdfOptions {
  // Seconds since the epoch (SOURCE_DATE_EPOCH, 0 included), injected by
  // app; it becomes the creation and modification date (UTC). None = no dates.
  std::optional<long long> creation_time;
  bool compress = true;
  // Images are read through it when given (the bytes the pack's hash was
  // taken of), else from disk for each document.
  files::FileStore* file_store = nullptr;
};

struct PdfResult {
  bool ok = false;
  std::string bytes;  // the PDF when ok
  std::string error;  // one English line when !ok
  // Problems that did not stop rendering, e.g. a character the run's font
  // cannot set (layout should have fallen back or warned; it is left out).
  std::vector<std::string> warnings;
};

PdfResult render_pdf(const layout::Document& doc, const PdfOptions& options);

}  // namespace cp::render

// Copying objects between two qpdf files, for render's qpdf-based writers
// (the page splitter's fallback, print.pdf and the booklet).
#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "render/archive.h"

namespace cp::render {

// `value` from another file as an object of `out`: indirect objects through
// qpdf's copyForeignObject (with everything they reach), direct arrays and
// dictionaries rebuilt around copies of their items, scalars as they are.
QPDFObjectHandle copy_foreign(QPDF& out, QPDFObjectHandle value);

// The catalog entries a file made from pages of `source` keeps: /Lang and
// the archival metadata (/Metadata, /OutputIntents, /ViewerPreferences).
void copy_catalog_entries(QPDF& source, QPDF& out);

// `info` as the file's /Info dictionary and XMP /Metadata (replacing any).
void state_info(QPDF& out, const DocumentInfo& info);

// What `source`'s /Info and /Lang state, as state_info takes it (dates as
// the renderer writes them, D:YYYYMMDDHHmmSSZ).
DocumentInfo info_of(QPDF& source);

}  // namespace cp::render

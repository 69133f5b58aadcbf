#include "load/table.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/files.h"
#include "load/csv.h"
#include "load/source.h"
#include "load/xlsx.h"

namespace cp::load {

namespace {

// Reports a spreadsheet file coursepack does not read, saying what it is
// and what to save it as. False for text and (when `xlsx_ok`) xlsx.
bool refuse_kind(FileKind kind, bool xlsx_ok, const std::string& path, Diagnostics& diags) {
  const SourceLoc at{path, 1, 1};
  switch (kind) {
    case FileKind::Text: return false;
    case FileKind::Xlsx:
      if (xlsx_ok) return false;
      diags.error(at, "file is an Excel workbook (.xlsx), not CSV text",
                  "rename it to .xlsx and write that name in the visit's 'participants', or save it from Excel "
                  "as \"CSV UTF-8\"");
      return true;
    case FileKind::Xls:
      diags.error(at, "file is an Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot be read",
                  "open it in Excel, remove any password, and save it as \"Excel Workbook (.xlsx)\" or as "
                  "\"CSV UTF-8\"");
      return true;
    case FileKind::Ods:
      diags.error(at, "file is an OpenDocument spreadsheet (.ods), which cannot be read",
                  "open it in LibreOffice Calc and save it as \"Excel 2007-365 (.xlsx)\", or as \"Text CSV\" "
                  "with the character set Unicode (UTF-8)");
      return true;
    case FileKind::OtherZip:
      diags.error(at, "file is a zip archive, not a participants list",
                  "save the list from Excel as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\"");
      return true;
  }
  return false;
}

std::optional<std::string> read_bytes(const std::filesystem::path& file, const std::string& path, Diagnostics& diags) {
  files::ReadResult r = files::read_file(file);
  if (r.status != files::ReadStatus::Ok) {
    diags.error({path, 1, 1}, r.message);
    return std::nullopt;
  }
  return std::move(r.bytes);
}

std::optional<Table> load_table(const std::filesystem::path& file, const std::string& path, Diagnostics& diags,
                                bool xlsx_ok) {
  const auto bytes = read_bytes(file, path, diags);
  if (!bytes) return std::nullopt;
  const FileKind kind = sniff_file_kind(*bytes);
  // A workbook is read by its name too: one renamed .csv would otherwise be
  // read as a list while the name says text.
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
  const bool named_workbook = ext == ".xlsx" || ext == ".xlsm";
  if (refuse_kind(kind, xlsx_ok && named_workbook, path, diags)) return std::nullopt;
  if (kind == FileKind::Xlsx) return parse_xlsx(*bytes, path, diags);
  if (named_workbook) {
    diags.error({path, 1, 1}, fmt::format("file is named {} but is not an Excel workbook", ext),
                "save it from Excel as \"Excel Workbook (.xlsx)\", or if it is CSV text, name it .csv");
    return std::nullopt;
  }
  const auto text = decode_text(*bytes, path, diags, Encoding::Utf8OrWindows1252);
  if (!text) return std::nullopt;
  return parse_csv(*text, path, diags);
}

}  // namespace

FileKind sniff_file_kind(std::string_view bytes) {
  if (bytes.starts_with("PK\x03\x04")) {
    if (is_xlsx(bytes)) return FileKind::Xlsx;
    if (is_ods(bytes)) return FileKind::Ods;
    return FileKind::OtherZip;
  }
  // The OLE2 compound file signature: .xls, and encrypted .xlsx files.
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return FileKind::Xls;
  return FileKind::Text;
}

std::optional<Table> load_table_file(const std::filesystem::path& file, const std::string& display_path,
                                     Diagnostics& diags) {
  return load_table(file, display_path, diags, true);
}

std::optional<Table> load_csv_file(const std::filesystem::path& file, const std::string& display_path,
                                   Diagnostics& diags) {
  return load_table(file, display_path, diags, false);
}

}  // namespace cp::load

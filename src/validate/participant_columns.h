// The columns of a participants file: header names as Swedish Excel, web
// forms and English tools write them, and where each column is in a file.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "load/table.h"

namespace cp::validate {

enum class Column { Name, First, Last, Title, Unit, Email, Attended };
inline constexpr std::size_t kColumnCount = 7;

// Where each known column is in the file.
struct ColumnMap {
  std::array<std::optional<std::size_t>, kColumnCount> index;
  std::array<std::string, kColumnCount> header;  // as written, for messages

  const std::optional<std::size_t>& at(Column c) const { return index[static_cast<std::size_t>(c)]; }
  const load::TableCell* cell(const load::TableRow& row, Column c) const {
    const auto& i = at(c);
    return i && *i < row.cells.size() ? &row.cells[*i] : nullptr;
  }
  std::string text(const load::TableRow& row, Column c) const;
  const std::string& name(Column c) const { return header[static_cast<std::size_t>(c)]; }
};

// The columns of `table` by its header row; nullopt when a header is
// unknown or doubled, the name columns do not pair, or text stands in a
// column without a header (each reported).
std::optional<ColumnMap> map_columns(const load::Table& table, const std::string& path, Diagnostics& diags);

}  // namespace cp::validate

// Participants of a visit: written inline in the municipality file, or read
// from a CSV file or an .xlsx workbook under materials/.
//
// Columns are recognised by the header names Swedish Excel and form tools
// write (docs/deltagarlistor.md lists them; participant_columns.h); an
// unknown column is an error. Each value is checked where it is written
// (participant_values.h): names without line breaks, control characters or
// letters lost in saving, e-mail addresses that can be written to,
// attendance words that are understood. The checks that need the visit are
// in participant_checks.h.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "load/yaml.h"
#include "model/model.h"
#include "validate/context.h"

namespace cp::validate {

// Participants as read, with where each one's values are written, for the
// checks that depend on the visit (attendance, shared addresses).
struct ParticipantList {
  std::vector<model::Participant> people;
  std::vector<SourceLoc> email_at;       // parallel to people
  std::vector<SourceLoc> attendance_at;  // the cell or value; the entry when inline and unwritten
  bool from_file = false;
  bool complete = true;  // false when a row or entry was left out for its errors (reported)
  bool has_attendance_column = false;  // files only
  SourceLoc header;                    // files: the header row
};

// Reads each participants file once, however many visits name it.
class ParticipantFiles {
 public:
  explicit ParticipantFiles(const Context& ctx) : ctx_(ctx) {}

  // The participants in `file` (resolved, absolute); nullptr when the file
  // could not be read. Problems are reported on the first read only.
  const ParticipantList* read(const std::filesystem::path& file);

 private:
  const Context& ctx_;
  std::map<std::filesystem::path, std::optional<ParticipantList>> cache_;
};

// An inline list of {name, title?, unit?, email?, attended?}.
ParticipantList read_inline_participants(const load::YamlNode& list, Diagnostics& diags);

}  // namespace cp::validate

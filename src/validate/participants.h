// Participants of a visit: written inline in the municipality file, or read
// from a CSV file or an .xlsx workbook under materials/.
//
// Columns are recognised by the header names Swedish Excel and form tools
// write (docs/deltagarlistor.md lists them); an unknown column is an error.
// Each value is checked where it is written: names without line breaks,
// control characters or letters lost in saving, e-mail addresses that can
// be written to, attendance words that are understood.
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

// Attendance as people write it: ja/nej, x, 1/0, true/false, sant/falskt,
// yes/no, närvarande/frånvarande, ... (case-insensitive); nullopt for a
// word that is none of them.
std::optional<bool> parse_attendance(std::string_view word);

// Why `address` is not an e-mail address (a hint), or nullopt when it is:
// exactly one `@` with text before it, a domain with a dot after it, no
// blanks, commas or semicolons.
std::optional<std::string> email_problem(std::string_view address);

// Limits that keep a hostile file from producing absurd packs.
inline constexpr std::size_t kMaxParticipantsPerVisit = 1000;
inline constexpr std::size_t kMaxNameLength = 200;  // characters
// A visit's venue and address, each.
inline constexpr std::size_t kMaxPlaceLength = 300;  // characters

// Names (and titles, units) longer than kMaxNameLength are errors.
void check_participant_limits(const std::vector<model::Participant>& participants, Diagnostics& diags);

// Reports a person registered twice (names compared case-insensitively after
// NFC, blanks collapsed) at the second registration.
void check_duplicate_participants(const std::vector<model::Participant>& participants, Diagnostics& diags);

// The checks that depend on the visit: on a held visit every participant's
// attendance is marked (a file without an attendance column is an error);
// on a planned one marked attendance is a warning that it is not used yet.
// The same e-mail address for two different people is a warning.
// `status_known` is false when the visit's status could not be read.
void check_visit_participants(const ParticipantList& list, const model::Visit& visit, bool status_known,
                              Diagnostics& diags);

}  // namespace cp::validate

// Participants of a visit: written inline in the municipality file or read
// from a CSV file under materials/.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "load/yaml.h"
#include "model/model.h"
#include "validate/context.h"

namespace cp::validate {

// Reads each participant CSV file once, however many visits name it.
class ParticipantFiles {
 public:
  explicit ParticipantFiles(const Context& ctx) : ctx_(ctx) {}

  // The participants in `file` (resolved, absolute); nullptr when the file
  // could not be read. Problems are reported on the first read only.
  const std::vector<model::Participant>* read(const std::filesystem::path& file);

 private:
  const Context& ctx_;
  std::map<std::filesystem::path, std::optional<std::vector<model::Participant>>> cache_;
};

// An inline list of {name, title?, unit?, email?, attended?}.
std::vector<model::Participant> read_inline_participants(const load::YamlNode& list, Diagnostics& diags);

// Reports a person registered twice (names compared case-insensitively after
// NFC, blanks collapsed) at the second registration.
// Limits that keep a hostile file from producing absurd packs.
inline constexpr std::size_t kMaxParticipantsPerVisit = 1000;
inline constexpr std::size_t kMaxNameLength = 200;  // characters
// A visit's venue and address, each.
inline constexpr std::size_t kMaxPlaceLength = 300;  // characters

// Names (and titles, units) longer than kMaxNameLength are errors.
void check_participant_limits(const std::vector<model::Participant>& participants, Diagnostics& diags);

void check_duplicate_participants(const std::vector<model::Participant>& participants, Diagnostics& diags);

}  // namespace cp::validate

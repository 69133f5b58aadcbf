// The checks of a visit's participants that need all of them or the visit:
// limits, a person registered twice, attendance on held and planned
// visits, one address for two people.
#pragma once

#include <cstddef>
#include <vector>

#include "core/diagnostics.h"
#include "model/model.h"
#include "validate/participants.h"

namespace cp::validate {

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

// The attendance sheet (närvarolista): who registered for a visit, in
// Swedish alphabetical order, with a column to sign in, then blank rows for
// the rest of the seats and for walk-ins.
#pragma once

#include <vector>

#include "core/diagnostics.h"
#include "frame/frame.h"
#include "layout/hyphenate.h"
#include "model/model.h"

namespace cp::documents {

struct AttendanceInput {
  const model::Programme* programme = nullptr;
  const model::Municipality* municipality = nullptr;
  const model::Visit* visit = nullptr;
  const model::Course* course = nullptr;
  // Hyphenates long titles and units ("Familjerätts-sekreterare") instead of
  // setting them smaller; names are never hyphenated. Optional.
  const layout::Hyphenator* hyphenator = nullptr;
};

// The registered participants in the order of the sheet: Swedish
// collation (ICU, å ä ö after z) of the full name as written, first name
// first. Not by surname: which part of a name is the surname cannot be told
// reliably from the text ("Anna-Karin af Klint", "Nguyen Van An", "Ольга
// Смирнова"), and people look for their row by the name they registered
// with. Ties keep the registration order. Certificates follow this order.
std::vector<const model::Participant*> sheet_order(const model::Visit& visit);

// Rows on the sheet: registered, blank up to the seats, then walk-ins.
struct SheetRows {
  int registered = 0;
  int seats = 0;  // max(visit.seats, registered)
  int total = 0;  // seats + the layout's walk_in_rows
};
SheetRows sheet_rows(const model::Visit& visit, const model::AttendanceLayout& layout);

// Lays out the sheet. Throws EnvironmentError when the font is missing.
layout::Document compose_attendance(const AttendanceInput& in, Diagnostics& diags);

}  // namespace cp::documents

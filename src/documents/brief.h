// The trainer brief: one page per visit saying when and where, whom to
// call, how many have registered, what to print and what to bring.
#pragma once

#include "core/diagnostics.h"
#include "frame/frame.h"
#include "model/model.h"

namespace cp::documents {

struct BriefInput {
  const model::Programme* programme = nullptr;
  const model::Municipality* municipality = nullptr;
  const model::Visit* visit = nullptr;
  const model::Course* course = nullptr;
  int attendance_pages = 1;  // pages of the visit's attendance sheet (compose it first)
};

// What the trainer prints for the visit.
struct PrintList {
  int registered = 0;
  int attended = 0;          // held visits: participants with attended: true
  int handouts = 0;          // ceil(registered × (1 + spare_share))
  int evaluation_forms = 0;  // as many as handouts
  int attendance_pages = 0;  // one copy of the sheet
  int certificates = 0;      // Visit::certified()
};
PrintList print_list(const BriefInput& in);

// The metadata of the visit's print file (print.pdf), in the words of the
// other documents' metadata.
layout::Metadata print_metadata(const BriefInput& in);

// Lays out the brief on one page (the type is made smaller if the contents
// would run over). Throws EnvironmentError when the font is missing.
layout::Document compose_brief(const BriefInput& in, Diagnostics& diags);

}  // namespace cp::documents

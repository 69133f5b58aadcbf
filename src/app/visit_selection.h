// Which visits `--only` names: a municipality by its slug, its name or its
// name as a place ("eksjo", "Eksjö kommun", "Eksjö"; case does not matter),
// optionally followed by /DATE or /DATE-COURSE.
#pragma once

#include <string>
#include <string_view>

#include "model/model.h"

namespace cp::app {

// Whether the municipality is the one `word` names.
bool names_municipality(std::string_view word, const model::Municipality& m);

// Whether `only` (empty: everything) selects the visit.
bool selected(const std::string& only, const model::Municipality& m, const model::Visit& v);

// What --only could have said, for the message when it matches nothing.
std::string only_hint(const model::Programme& p, const std::string& only);

}  // namespace cp::app

// A small programme built in code for the document tests: the bundled
// project's texts and layouts, one municipality, one visit whose
// participants the tests choose.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace cp::test {

inline double mm(double v) { return v * 72.0 / 25.4; }

// Project, course, layouts (as in layouts/*.yaml), Eksjö with one visit.
model::Programme sample_programme();

// The participants of the sample visit (none by default).
model::Visit& sample_visit(model::Programme& p);
model::Municipality& sample_municipality(model::Programme& p);
const model::Course& sample_course(const model::Programme& p);

model::Participant person(const std::string& name, const std::string& title = "Socialsekreterare",
                          const std::string& unit = "Barn och familj", std::optional<bool> attended = {});

// Names that must come out whole: Swedish, Greek, Cyrillic, a 120-character
// one.
inline const std::string kLongName =
    "Maria-Josefina Alexandra Konstantinopoulou-Andersson Wahlström af Ekenstierna von Hohenzollern-Sigmaringen Lindqvist Ekö";
inline const std::string kGreekName = "Γεώργιος Παπαδόπουλος";
inline const std::string kCyrillicName = "Ольга Смирнова";

}  // namespace cp::test

// A visit's evaluation_results CSV: the answers of its evaluation forms,
// tallied by hand from the paper forms.
//
// One row per rated row of the form, one column per answer 1–5, each cell
// the number of forms ticked there (an empty cell counts as 0):
//
//   fråga;1;2;3;4;5
//   före;3;8;6;2;0      the confidence question, before the training
//   efter;0;1;5;9;4     … and after it
//   1;0;0;2;10;7        the course's statements, by their number on the form
//
// Headers `question` and rows `before` / `after` are accepted as well. The
// `före` and `efter` rows are required (they make the report's chart); the
// statement rows are optional.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "model/model.h"
#include "validate/context.h"

namespace cp::validate {

// Reads `file` (resolved, absolute) for `visit`. `course` is the visit's
// course (nullptr when it is unknown: statement numbers are then not
// checked). A row may count at most as many forms as the visit had
// participants: those marked attended when any is marked, else those
// registered; no limit when none are known. Every problem is reported;
// nullopt when there was any.
std::optional<model::EvaluationResults> read_evaluation_results(const Context& ctx, const std::filesystem::path& file,
                                                                const std::string& written,
                                                                const model::Course* course,
                                                                const model::Visit& visit);

}  // namespace cp::validate

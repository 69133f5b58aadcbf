// The participants' evaluation form: one A4 page per visit with the
// course's statements rated 1–5, the programme's before/after confidence
// question, and the open questions with ruled lines to write on.
#pragma once

#include "core/diagnostics.h"
#include "frame/frame.h"
#include "model/model.h"

namespace cp::documents {

struct EvaluationInput {
  const model::Programme* programme = nullptr;
  const model::Course* course = nullptr;
  const model::Municipality* municipality = nullptr;
  const model::Visit* visit = nullptr;
};

// The confidence question every form asks (the programme's measure of
// success), and the labels of its two scales.
inline constexpr const char* kConfidenceQuestion =
    "Hur trygg känner du dig i att arbeta med frågor om sexuell exploatering, prostitution och människohandel?";
inline constexpr const char* kConfidenceBefore = "Före utbildningen";
inline constexpr const char* kConfidenceAfter = "Efter utbildningen";

// Lays out the form on one page in the handout layout's fonts (the type is
// made smaller if the contents would not fit). Throws EnvironmentError when
// a font is missing.
layout::Document compose_evaluation(const EvaluationInput& in, Diagnostics& diags);

}  // namespace cp::documents

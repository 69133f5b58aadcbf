// Placeholders `{{object.field}}` in module text, layout templates and
// headers: finding them, knowing which exist, and their values for a visit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace cp::model {

struct PlaceholderUse {
  std::string name;        // trimmed, e.g. "municipality.name"
  std::size_t offset = 0;  // byte offset of the opening "{{" in the text
  std::size_t length = 0;  // bytes up to and including the closing "}}"
};

// Every `{{ name }}` in `text`, in order. The name holds no brace and no
// line break: `{{municipality.name}` is not a placeholder (see below).
std::vector<PlaceholderUse> find_placeholders(std::string_view text);

// Braces that would print literally: a `{{` without its `}}` (on the same
// line, with no brace between) and a `}}` that closes no `{{`.
struct BraceMistake {
  enum class Kind { Unclosed, StrayClose };
  std::size_t offset = 0;  // byte offset of the `{{` or `}}`
  Kind kind = Kind::Unclosed;
};
std::vector<BraceMistake> find_brace_mistakes(std::string_view text);

// The names that exist (project.*, course.*, municipality.*, visit.*,
// participant.* where `allow_participant`, page/pages where `allow_page`).
bool placeholder_known(std::string_view name, bool allow_participant = false, bool allow_page = false);
// All known names, for did-you-mean hints.
std::vector<std::string> placeholder_names(bool allow_participant = false, bool allow_page = false);

// What a placeholder stands for in one visit's documents.
struct PlaceholderContext {
  const Project* project = nullptr;
  const Course* course = nullptr;
  const Municipality* municipality = nullptr;
  const Visit* visit = nullptr;
  const Participant* participant = nullptr;  // certificates only
  int page = 0, pages = 0;                   // headers and footers only
};

// The value of a known name; nullopt when unknown or its object is absent.
std::optional<std::string> placeholder_value(std::string_view name, const PlaceholderContext& ctx);

// `text` with every placeholder replaced (unknown ones are left as written).
std::string fill_placeholders(std::string_view text, const PlaceholderContext& ctx);

}  // namespace cp::model

#include "model/placeholders.h"

#include <array>

#include "core/text.h"

namespace cp::model {

namespace {

constexpr std::array<std::string_view, 30> kVisitNames{
    "project.title",        "project.organisation",     "project.partners",
    "project.coordinator.name", "project.coordinator.title", "project.coordinator.email",
    "project.coordinator.phone", "course.id",           "course.title",
    "course.subtitle",      "course.hours",             "municipality.name",
    "municipality.code",    "municipality.slug",        "municipality.population",
    "municipality.contacts", "visit.date",              "visit.date_iso",
    "visit.start",          "visit.end",                "visit.time",
    "visit.venue",          "visit.address",            "visit.trainers",
    "visit.seats",          "visit.registered",         "visit.course",
    "visit.status",         "visit.year",               "visit.town"};

constexpr std::array<std::string_view, 4> kParticipantNames{"participant.name", "participant.title",
                                                            "participant.unit", "participant.code"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

// The town of an address: what follows the postcode ("575 80 Eksjö") in its
// last comma-separated part. Without a postcode the last part is as likely
// a street as a town, so the municipality's name stands in.
std::string town_of(std::string_view address, const Municipality* m) {
  const auto comma = address.rfind(',');
  std::string_view part = trim(comma == std::string_view::npos ? address : address.substr(comma + 1));
  const auto digit = [&](std::size_t i) { return i < part.size() && part[i] >= '0' && part[i] <= '9'; };
  std::size_t i = 0;
  while (digit(i)) ++i;
  if (i == 3 && part.size() > 3 && part[3] == ' ' && digit(4)) {
    i = 4;
    while (digit(i)) ++i;
    if (i != 6) i = 0;
  } else if (i != 5) {
    i = 0;
  }
  if (i > 0) {
    const std::string_view town = trim(part.substr(i));
    if (!town.empty()) return std::string(town);
  }
  return m ? short_municipality_name(m->name) : std::string();
}

// One pass over the text finding placeholders and braces that do not pair
// up. A placeholder is `{{`, then text without braces or a line break, then
// `}}`; a `{{` not followed by that is unclosed, and a `}}` that no `{{`
// opened is stray. `{{municipality.name}` is thus one unclosed `{{`.
void scan(std::string_view text, std::vector<PlaceholderUse>* uses, std::vector<BraceMistake>* mistakes) {
  std::size_t pos = 0;
  std::size_t stray = text.find("}}");  // the next `}}` at or after pos (kept: no rescans)
  while (pos + 1 < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (stray < pos) stray = text.find("}}", pos);
    if (stray < open) {
      if (mistakes) mistakes->push_back({stray, BraceMistake::Kind::StrayClose});
      pos = stray + 2;
      continue;
    }
    if (open == std::string_view::npos) return;
    const std::size_t start = open + 2;
    const std::size_t end = text.find_first_of("{}\n", start);
    if (end == std::string_view::npos || text.substr(end, 2) != "}}") {
      if (mistakes) mistakes->push_back({open, BraceMistake::Kind::Unclosed});
      pos = start;
      continue;
    }
    if (uses) uses->push_back({std::string(trim(text.substr(start, end - start))), open, end + 2 - open});
    pos = end + 2;
  }
}

}  // namespace

std::vector<PlaceholderUse> find_placeholders(std::string_view text) {
  std::vector<PlaceholderUse> out;
  scan(text, &out, nullptr);
  return out;
}

std::vector<BraceMistake> find_brace_mistakes(std::string_view text) {
  std::vector<BraceMistake> out;
  scan(text, nullptr, &out);
  return out;
}

bool placeholder_known(std::string_view name, bool allow_participant, bool allow_page) {
  for (auto n : kVisitNames)
    if (n == name) return true;
  if (allow_participant)
    for (auto n : kParticipantNames)
      if (n == name) return true;
  return allow_page && (name == "page" || name == "pages");
}

std::vector<std::string> placeholder_names(bool allow_participant, bool allow_page) {
  std::vector<std::string> out(kVisitNames.begin(), kVisitNames.end());
  if (allow_participant) out.insert(out.end(), kParticipantNames.begin(), kParticipantNames.end());
  if (allow_page) {
    out.emplace_back("page");
    out.emplace_back("pages");
  }
  return out;
}

std::optional<std::string> placeholder_value(std::string_view name, const PlaceholderContext& c) {
  if (name == "page" && c.pages > 0) return std::to_string(c.page);
  if (name == "pages" && c.pages > 0) return std::to_string(c.pages);
  if (const Project* p = c.project) {
    if (name == "project.title") return p->title;
    if (name == "project.organisation") return p->organisation;
    if (name == "project.partners") return join(p->partners, ", ");
    if (name == "project.coordinator.name") return p->coordinator.name;
    if (name == "project.coordinator.title") return p->coordinator.title;
    if (name == "project.coordinator.email") return p->coordinator.email;
    if (name == "project.coordinator.phone") return p->coordinator.phone;
  }
  if (const Course* co = c.course) {
    if (name == "course.id") return co->id;
    if (name == "course.title") return co->title;
    if (name == "course.subtitle") return co->subtitle;
    if (name == "course.hours") return text::swedish_number(co->hours, 2);
  }
  if (const Municipality* m = c.municipality) {
    if (name == "municipality.name") return m->name;
    if (name == "municipality.code") return m->code;
    if (name == "municipality.slug") return m->slug;
    if (name == "municipality.population") return m->population ? text::swedish_number(*m->population) : "";
    if (name == "municipality.contacts") {
      std::vector<std::string> names;
      for (const auto& ct : m->contacts) names.push_back(ct.name);
      return join(names, ", ");
    }
  }
  if (const Visit* v = c.visit) {
    if (name == "visit.date") return v->date.swedish_long();
    if (name == "visit.date_iso") return v->date.iso();
    if (name == "visit.year") return std::to_string(v->date.year);
    if (name == "visit.start") return v->start ? v->start->str() : "";
    if (name == "visit.end") return v->end ? v->end->str() : "";
    if (name == "visit.time") {
      if (v->start && v->end) return v->start->str() + "\u2013" + v->end->str();
      return v->start ? v->start->str() : "";
    }
    if (name == "visit.venue") return v->venue;
    if (name == "visit.address") return v->address;
    if (name == "visit.town") return town_of(v->address, c.municipality);
    if (name == "visit.trainers") return join(v->trainers, ", ");
    if (name == "visit.seats")
      return std::to_string(v->seats > 0 ? v->seats : static_cast<int>(v->participants.size()));
    if (name == "visit.registered") return std::to_string(v->participants.size());
    if (name == "visit.course") return v->course;
    if (name == "visit.status") return v->status == VisitStatus::Held        ? "genomförd"
                                          : v->status == VisitStatus::Cancelled ? "inställd"
                                                                                : "planerad";
  }
  if (const Participant* pa = c.participant) {
    if (name == "participant.name") return pa->name;
    if (name == "participant.title") return pa->title;
    if (name == "participant.unit") return pa->unit;
  }
  return std::nullopt;
}

std::string fill_placeholders(std::string_view text, const PlaceholderContext& ctx) {
  std::string out;
  std::size_t last = 0;
  for (const auto& use : find_placeholders(text)) {
    out.append(text.substr(last, use.offset - last));
    if (auto v = placeholder_value(use.name, ctx))
      out += *v;
    else
      out.append(text.substr(use.offset, use.length));
    last = use.offset + use.length;
  }
  out.append(text.substr(last));
  return out;
}

}  // namespace cp::model

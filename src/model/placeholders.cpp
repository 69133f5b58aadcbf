#include "model/placeholders.h"

#include <array>
#include <cmath>
#include <cstdio>

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

// Swedish number: decimal comma, no trailing zeros ("3,5", "4").
std::string swedish_number(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  for (auto& c : s)
    if (c == '.') c = ',';
  return s;
}

// Thousands separated by a no-break space, as Swedish print does.
std::string swedish_integer(long v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i && (n - i) % 3 == 0) out += "\u00A0";
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace

std::vector<PlaceholderUse> find_placeholders(std::string_view text) {
  std::vector<PlaceholderUse> out;
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    const std::size_t close = text.find("}}", pos + 2);
    const std::size_t eol = text.find('\n', pos + 2);
    if (close == std::string_view::npos || (eol != std::string_view::npos && eol < close)) {
      pos += 2;
      continue;
    }
    out.push_back({std::string(trim(text.substr(pos + 2, close - pos - 2))), pos, close + 2 - pos});
    pos = close + 2;
  }
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
    if (name == "course.hours") return swedish_number(co->hours);
  }
  if (const Municipality* m = c.municipality) {
    if (name == "municipality.name") return m->name;
    if (name == "municipality.code") return m->code;
    if (name == "municipality.slug") return m->slug;
    if (name == "municipality.population") return m->population ? swedish_integer(*m->population) : "";
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
    if (name == "visit.town") {
      // The last comma-separated part of the address without its postcode.
      std::string_view a = v->address;
      const auto comma = a.rfind(',');
      std::string_view town = trim(comma == std::string_view::npos ? a : a.substr(comma + 1));
      std::size_t i = 0;
      while (i < town.size() && ((town[i] >= '0' && town[i] <= '9') || town[i] == ' ')) ++i;
      town = town.substr(i);
      if (town.empty() && c.municipality) {
        std::string n = c.municipality->name;
        for (std::string_view suffix : {"s kommun", " kommun"})
          if (n.size() > suffix.size() && n.ends_with(suffix)) return n.substr(0, n.size() - suffix.size());
        return n;
      }
      return std::string(town);
    }
    if (name == "visit.trainers") return join(v->trainers, ", ");
    if (name == "visit.seats")
      return std::to_string(v->seats > 0 ? v->seats : static_cast<int>(v->participants.size()));
    if (name == "visit.registered") return std::to_string(v->participants.size());
    if (name == "visit.course") return v->course;
    if (name == "visit.status") return v->status == VisitStatus::Held ? "genomförd" : "planerad";
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

// materials/municipalities/<slug>.yaml: the municipality and its visits.
#include "validate/readers.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/files.h"
#include "core/text.h"
#include "validate/evaluation_results.h"
#include "validate/fields.h"
#include "validate/participant_checks.h"
#include "validate/participants.h"
#include "validate/templates.h"
#include "validate/validate.h"

namespace cp::validate {

namespace fs = std::filesystem;

namespace {

constexpr Choice<model::VisitStatus> kVisitStatus[] = {{"planned", model::VisitStatus::Planned},
                                                       {"held", model::VisitStatus::Held},
                                                       {"cancelled", model::VisitStatus::Cancelled}};
constexpr Choice<model::GuidelineStatus> kGuidelineStatus[] = {{"none", model::GuidelineStatus::None},
                                                               {"draft", model::GuidelineStatus::Draft},
                                                               {"adopted", model::GuidelineStatus::Adopted}};

// What one municipality file is checked against beyond itself.
struct Shared {
  const Context& ctx;
  const std::map<std::string, model::Course>& courses;
  ParticipantFiles& files;
  std::map<std::string, std::string> codes;  // code → file of the first municipality using it
};

void read_course_ref(Shared& sh, const Fields& f, model::Visit& v) {
  if (!f.require_text("course", v.course) || sh.courses.contains(v.course)) return;
  std::vector<std::string> ids;
  for (const auto& [id, course] : sh.courses) ids.push_back(id);
  std::string hint = did_you_mean(v.course, ids);
  if (hint.empty()) hint = "a course is a file materials/courses/<id>.yaml";
  sh.ctx.diags.error(f.get("course")->loc, fmt::format("unknown course '{}'", v.course), std::move(hint));
}

void read_times(const Fields& f, model::Visit& v) {
  const YamlNode* start = f.get("start");
  const YamlNode* end = f.get("end");
  if (start) v.start = to_time(*start, f.diags());
  if (end) v.end = to_time(*end, f.diags());
  if (v.start && v.end && !(*v.start < *v.end))
    f.diags().error(end->loc, fmt::format("end {} is not after start {}", v.end->str(), v.start->str()));
}

// Inline list, path of a CSV file or workbook, or nothing yet. False when
// they could not all be read (reported).
bool read_participants(Shared& sh, const Fields& f, model::Visit& v, ParticipantList& list) {
  const YamlNode* node = f.get("participants");
  if (!node) return true;
  if (node->is_sequence()) {
    list = read_inline_participants(*node, sh.ctx.diags);
    v.participants = list.people;
    return list.complete;
  }
  if (!node->is_scalar()) {
    sh.ctx.diags.error(node->loc, "'participants' must be a list or the path of a csv or xlsx file");
    return false;
  }
  const auto file = resolve_file(sh.ctx, *node, "participants", Folder::Materials);
  if (!file) return false;
  v.participants_file = std::string(text::trim(node->scalar));
  v.own_files.push_back(sh.ctx.display(*file));
  const auto* read = sh.files.read(*file);
  if (!read) return false;
  list = *read;
  v.participants = list.people;
  return list.complete;
}

void check_registrations(const Fields& f, const model::Visit& v, bool participants_read) {
  check_duplicate_participants(v.participants, f.diags());
  check_participant_limits(v.participants, f.diags());
  const std::size_t registered = v.participants.size();
  if (registered > kMaxParticipantsPerVisit)
    f.diags().error(f.get("participants") ? f.get("participants")->loc : v.loc,
                    fmt::format("{} participants registered for one visit; the limit is {}", registered,
                                kMaxParticipantsPerVisit),
                    "split the group into several visits");
  if (v.seats > 0 && static_cast<std::size_t>(v.seats) < registered)
    f.diags().error(f.get("seats")->loc,
                    fmt::format("seats {} is below the {} registered participants", v.seats, registered),
                    fmt::format("the attendance sheet has a row per seat: raise 'seats' to {} or more, or move "
                                "{} of the participants to another visit",
                                registered, registered - static_cast<std::size_t>(v.seats)));
  if (registered == 0 && participants_read) f.diags().warning(v.loc, "visit has no participants yet");
}

// The tallied evaluation forms of a held visit. `status_read` is false when
// the visit's status was written but not understood (already reported).
void read_results(Shared& sh, const Fields& f, model::Visit& v, bool status_read) {
  const YamlNode* node = f.get("evaluation_results");
  if (!node || !status_read) return;
  if (v.status != model::VisitStatus::Held) {
    sh.ctx.diags.error(node->loc, "evaluation results for a visit that has not been held",
                       "write 'status: held' on the visit once it has taken place");
    return;
  }
  const auto file = resolve_file(sh.ctx, *node, "evaluation_results", Folder::Materials);
  if (!file) return;
  v.own_files.push_back(sh.ctx.display(*file));
  const auto course = sh.courses.find(v.course);
  v.evaluation_results = read_evaluation_results(sh.ctx, *file, std::string(text::trim(node->scalar)),
                                                 course != sh.courses.end() ? &course->second : nullptr, v);
}

std::optional<model::Visit> read_visit(Shared& sh, const YamlNode& node) {
  static constexpr std::string_view kKeys[] = {"date",   "start",    "end",   "venue",  "address",
                                               "course", "trainers", "seats", "status", "participants",
                                               "evaluation_results"};
  if (!expect_entry_mapping(node, "visit", sh.ctx.diags)) return std::nullopt;
  const Fields f(node, kKeys, sh.ctx.diags);
  model::Visit v;
  v.loc = node.loc;
  if (const YamlNode* date = f.require("date"))
    if (const auto d = to_date(*date, sh.ctx.diags)) v.date = *d;
  read_course_ref(sh, f, v);
  read_times(f, v);
  f.text("venue", v.venue, kUnlimitedText);  // bounded below, with a hint of its own
  f.text("address", v.address, kUnlimitedText);
  // Set on the cover, in running heads and on every form: bounded, so an
  // unbreakable 1 MB venue is an error rather than minutes of line breaking.
  for (const auto& [key, value] : {std::pair{"venue", &v.venue}, {"address", &v.address}})
    if (const std::size_t n = text::length(*value); n > kMaxPlaceLength)
      sh.ctx.diags.error(f.get(key)->loc, fmt::format("{} is too long ({} characters; the limit is {})", key, n,
                                                      kMaxPlaceLength),
                         "write the place in a few words; directions belong in the municipality's notes");
  f.text_list("trainers", v.trainers);
  f.whole("seats", v.seats, Bound::Positive);
  bool status_read = true;
  if (const YamlNode* s = f.get("status")) {
    const auto st = to_choice(*s, "status", kVisitStatus, sh.ctx.diags);
    if (st) v.status = *st;
    status_read = st.has_value();
  }
  ParticipantList participants;
  const bool participants_read = read_participants(sh, f, v, participants);
  check_registrations(f, v, participants_read);
  check_visit_participants(participants, v, status_read, sh.ctx.diags);
  read_results(sh, f, v, status_read);
  return v;
}

// Two visits with the same date and course would write the same pack folder.
void check_visit_keys(const std::vector<model::Visit>& visits, Diagnostics& diags) {
  std::map<std::string, int> first_line;
  for (const auto& v : visits) {
    if (v.course.empty() || v.date == model::Date{}) continue;
    const auto [it, fresh] = first_line.emplace(v.key(), v.loc.line);
    if (!fresh)
      diags.error(v.loc, fmt::format("another visit on {} has course '{}'", v.date.iso(), v.course),
                  fmt::format("it is at line {}; each visit needs its own date or course", it->second));
  }
}

void read_code(Shared& sh, const Fields& f, model::Municipality& m) {
  if (!f.require_text("code", m.code)) return;
  const YamlNode& node = *f.get("code");
  const bool digits = std::all_of(m.code.begin(), m.code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || m.code.size() != 4) {
    // An unquoted 0686 is still "0686" here, but 686 has lost its zero.
    const bool lost_zero = digits && m.code.size() == 3 && !node.quoted;
    f.diags().error(node.loc, fmt::format("municipality code '{}' is not 4 digits", m.code),
                    lost_zero ? fmt::format("write it in quotes with its leading zero: \"0{}\"", m.code) : "");
    return;
  }
  // Codes identify municipalities in reports; a repeated one is a copy-paste slip.
  const auto [it, fresh] = sh.codes.emplace(m.code, m.file);
  if (!fresh) f.diags().error(node.loc, fmt::format("municipality code '{}' is also used by {}", m.code, it->second));
}

model::Contact read_contact(const YamlNode& node, Diagnostics& diags) {
  const model::Person p = read_person(node, "role", diags);
  return {p.name, p.title, p.email, p.phone};
}

model::Resource read_resource(const YamlNode& node, Diagnostics& diags) {
  static constexpr std::string_view kKeys[] = {"name", "phone", "url", "note"};
  const Fields f(node, kKeys, diags);
  model::Resource r;
  f.text("name", r.name);
  f.text("phone", r.phone);
  f.text("url", r.url);
  f.text("note", r.note);
  return r;
}

model::Guideline read_guideline(const YamlNode& node, Diagnostics& diags) {
  static constexpr std::string_view kKeys[] = {"status", "date"};
  const Fields f(node, kKeys, diags);
  model::Guideline g;
  if (const YamlNode* s = f.get("status"))
    if (const auto st = to_choice(*s, "guideline status", kGuidelineStatus, diags)) g.status = *st;
  if (const YamlNode* d = f.get("date")) g.date = to_date(*d, diags);
  return g;
}

// Reads each entry of an optional list of mappings with `read`.
template <class T, class Read>
std::vector<T> read_list(const Fields& f, std::string_view key, std::string_view what, Read read) {
  std::vector<T> out;
  if (const YamlNode* list = f.list(key))
    for (const YamlNode* item : list->items)
      if (expect_entry_mapping(*item, what, f.diags())) out.push_back(read(*item, f.diags()));
  return out;
}

std::optional<model::Municipality> read_municipality(Shared& sh, const fs::path& file) {
  static constexpr std::string_view kKeys[] = {"name",  "code",       "contacts",  "resources",
                                               "notes", "population", "guideline", "visits"};
  const auto doc = load_mapping_file(sh.ctx, file);
  if (!doc) return std::nullopt;
  const Fields f(*doc->root, kKeys, sh.ctx.diags);
  model::Municipality m;
  m.slug = file.stem().string();
  m.file = sh.ctx.display(file);
  m.loc = doc->root->loc;
  f.require_text("name", m.name);
  read_code(sh, f, m);
  m.contacts = read_list<model::Contact>(f, "contacts", "contact", read_contact);
  m.resources = read_list<model::Resource>(f, "resources", "resource", read_resource);
  if (f.text("notes", m.local_notes, kUnlimitedText)) {  // bounded in bytes below
    const YamlNode& notes = *f.get("notes");
    if (m.local_notes.size() > kMaxLocalNotesBytes)
      sh.ctx.diags.error(notes.loc, fmt::format("notes are too long ({}; the limit is {})",
                                                files::size_text(m.local_notes.size()),
                                                files::size_text(kMaxLocalNotesBytes)));
    else
      check_placeholders(
          notes.scalar, {}, [&](std::size_t offset) { return notes.loc_at(offset); }, sh.ctx.diags);
  }
  if (int population = 0; f.whole("population", population, Bound::NonNegative)) m.population = population;
  if (const YamlNode* g = f.mapping("guideline")) m.guideline = read_guideline(*g, sh.ctx.diags);
  for (const auto& e : doc->root->entries) m.key_lines.emplace_back(e.key, e.key_loc.line);
  if (const YamlNode* visits = f.require("visits"); visits && expect_list(*visits, "visits", sh.ctx.diags))
    for (const YamlNode* item : visits->items) {
      m.visit_lines.push_back(item->loc.line);
      if (auto v = read_visit(sh, *item)) m.visits.push_back(std::move(*v));
    }
  check_visit_keys(m.visits, sh.ctx.diags);
  return m;
}

}  // namespace

std::vector<model::Municipality> read_municipalities(const Context& ctx,
                                                     const std::map<std::string, model::Course>& courses) {
  ParticipantFiles files(ctx);
  Shared sh{ctx, courses, files, {}};
  std::vector<model::Municipality> out;
  // yaml_files_in sorts by path, which within one folder is by slug.
  for (const auto& file : yaml_files_in(ctx, ctx.materials / "municipalities"))
    if (auto m = read_municipality(sh, file)) out.push_back(std::move(*m));
  return out;
}

}  // namespace cp::validate

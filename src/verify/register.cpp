#include "verify/register.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/json.h"
#include "documents/certificate.h"
#include "documents/verification.h"

namespace cp::verify {

std::string_view status_word(Status s) {
  switch (s) {
    case Status::Valid: return "valid";
    case Status::Planned: return "planned";
    case Status::Revoked: return "revoked";
  }
  return "revoked";
}

std::string_view status_swedish(Status s) {
  switch (s) {
    case Status::Valid: return "giltigt";
    case Status::Planned: return "planerat";
    case Status::Revoked: return "återkallat";
  }
  return "återkallat";
}

namespace {

std::optional<Status> parse_status(const std::string& s) {
  if (s == "valid") return Status::Valid;
  if (s == "planned") return Status::Planned;
  if (s == "revoked") return Status::Revoked;
  return std::nullopt;
}

void sort_entries(std::vector<Issued>& e) {
  std::sort(e.begin(), e.end(), [](const Issued& a, const Issued& b) {
    return std::tie(a.slug, a.visit, a.name, a.code) < std::tie(b.slug, b.visit, b.name, b.code);
  });
}

}  // namespace

std::optional<Register> parse_register(std::string_view json, std::string& error) {
  const auto j = cp::json::parse(json);
  if (j.is_discarded() || !j.is_object() || !j.contains("certificates") || !j["certificates"].is_array()) {
    error = "not a certificate register";
    return std::nullopt;
  }
  Register r;
  for (const auto& e : j["certificates"]) {
    if (!e.is_object()) continue;
    auto str = [&e](const char* k) {
      const auto it = e.find(k);
      return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    Issued i{str("code"),   str("name"), str("slug"),  str("visit"), str("municipality"),
             str("course"), str("date"), Status::Valid, str("email"), str("file")};
    const auto st = parse_status(str("status"));
    if (i.code.empty() || !st) {
      error = "an entry without a code or status";
      return std::nullopt;
    }
    i.status = *st;
    r.entries.push_back(std::move(i));
  }
  sort_entries(r.entries);
  if (j.contains("erased") && j["erased"].is_array())
    for (const auto& e : j["erased"]) {
      if (!e.is_object()) continue;
      auto str = [&e](const char* k) {
        const auto it = e.find(k);
        return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      auto num = [&e](const char* k) {
        const auto it = e.find(k);
        return it != e.end() && it->is_number_integer() ? it->get<int>() : 0;
      };
      r.erased.push_back({str("slug"), str("visit"), str("municipality"), str("course"), str("date"), num("valid"),
                          num("planned"), num("revoked"), str("erased_on")});
    }
  return r;
}

bool erase_visit(Register& r, const std::string& slug, const std::string& visit, const std::string& erased_on) {
  Erased counted{slug, visit, {}, {}, {}, 0, 0, 0, erased_on};
  std::vector<Issued> left;
  for (auto& e : r.entries) {
    if (e.slug != slug || e.visit != visit) {
      left.push_back(std::move(e));
      continue;
    }
    counted.municipality = e.municipality;
    counted.course = e.course;
    counted.date = e.date;
    ++(e.status == Status::Valid ? counted.valid : e.status == Status::Planned ? counted.planned : counted.revoked);
  }
  const bool found = left.size() != r.entries.size();
  r.entries = std::move(left);
  if (!found) return false;
  for (auto& e : r.erased)
    if (e.slug == slug && e.visit == visit) {
      e.valid += counted.valid;
      e.planned += counted.planned;
      e.revoked += counted.revoked;
      e.erased_on = erased_on;
      return true;
    }
  r.erased.push_back(std::move(counted));
  std::sort(r.erased.begin(), r.erased.end(),
            [](const Erased& a, const Erased& b) { return std::tie(a.slug, a.visit) < std::tie(b.slug, b.visit); });
  return true;
}

std::string register_json(const Register& r) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& e : r.entries)
    list.push_back({{"code", e.code},
                    {"name", e.name},
                    {"slug", e.slug},
                    {"visit", e.visit},
                    {"municipality", e.municipality},
                    {"course", e.course},
                    {"date", e.date},
                    {"status", status_word(e.status)},
                    {"email", e.email},
                    {"file", e.file}});
  nlohmann::ordered_json j;
  j["format"] = "coursepack certificate register 1";
  j["certificates"] = std::move(list);
  if (!r.erased.empty()) {
    nlohmann::ordered_json erased = nlohmann::ordered_json::array();
    for (const auto& e : r.erased)
      erased.push_back({{"slug", e.slug},
                        {"visit", e.visit},
                        {"municipality", e.municipality},
                        {"course", e.course},
                        {"date", e.date},
                        {"valid", e.valid},
                        {"planned", e.planned},
                        {"revoked", e.revoked},
                        {"erased_on", e.erased_on}});
    j["erased"] = std::move(erased);
  }
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Register update_register(const Register& previous, const model::Programme& programme,
                         const std::function<bool(const std::string&, const std::string&)>& in_scope, bool full) {
  std::set<std::string> visits_in_data;
  std::map<std::pair<std::string, std::string>, Issued> now;  // (slug/visit, code) → entry
  for (const auto& m : programme.municipalities)
    for (const auto& v : m.visits) {
      const std::string pack = m.slug + "/" + v.key();
      visits_in_data.insert(pack);
      if (!in_scope(m.slug, v.key())) continue;
      const auto c = programme.courses.find(v.course);
      if (c == programme.courses.end()) continue;
      const auto entries = documents::certificate_entries(programme, m, v, c->second);
      for (std::size_t n = 0; n < entries.size(); ++n) {
        const auto& entry = entries[n];
        Issued i{entry.code,
                 entry.participant->name,
                 m.slug,
                 v.key(),
                 m.name,
                 c->second.title,
                 v.date.iso(),
                 v.status == model::VisitStatus::Held ? Status::Valid : Status::Planned,
                 entry.participant->email,
                 "certificates/" + documents::participant_slug(n + 1, entry.participant->name) + ".pdf"};
        now[{pack, entry.code}] = std::move(i);
      }
    }
  Register r;
  r.erased = previous.erased;
  std::set<std::pair<std::string, std::string>> kept;
  for (const auto& old : previous.entries) {
    const std::string pack = old.slug + "/" + old.visit;
    const bool scope = visits_in_data.count(pack) ? in_scope(old.slug, old.visit) : full && in_scope(old.slug, old.visit);
    if (!scope) {
      r.entries.push_back(old);
      kept.insert({pack, old.code});
      continue;
    }
    if (auto it = now.find({pack, old.code}); it != now.end()) {
      r.entries.push_back(it->second);
    } else {
      Issued revoked = old;
      revoked.status = Status::Revoked;
      r.entries.push_back(std::move(revoked));
    }
    kept.insert({pack, old.code});
  }
  for (auto& [key, entry] : now)
    if (!kept.count(key)) r.entries.push_back(entry);
  sort_entries(r.entries);
  return r;
}

std::string excel_csv(const std::vector<std::vector<std::string>>& rows) {
  auto field = [](std::string f) {
    // A cell Excel would read as a formula is kept as text.
    if (!f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '@')) f.insert(0, "'");
    if (f.find_first_of(";\"\r\n") == std::string::npos) return f;
    std::string q = "\"";
    for (char c : f) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  };
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ';';
      out += field(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string register_csv(const Register& r) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Kommun", "Datum", "Kurs", "Namn", "E-post", "Kod", "Besök", "Fil", "Status"});
  for (const auto& e : r.entries)
    rows.push_back({e.municipality, e.date, e.course, e.name, e.email, e.code, e.slug + "/" + e.visit, e.file,
                    std::string(status_swedish(e.status))});
  // Visits past the retention period: a count in place of the names.
  for (const auto& e : r.erased) {
    std::string counts = fmt::format("{} giltiga", e.valid);
    if (e.planned) counts += fmt::format(", {} planerade", e.planned);
    if (e.revoked) counts += fmt::format(", {} återkallade", e.revoked);
    rows.push_back({e.municipality, e.date, e.course,
                    fmt::format("{} intyg ({}); personuppgifterna raderade {}", e.valid + e.planned + e.revoked,
                                counts, e.erased_on),
                    "", "", e.slug + "/" + e.visit, "", "raderat"});
  }
  return excel_csv(rows);
}

std::string pack_certificates_csv(const std::vector<Issued>& issued) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Kommun", "Datum", "Kurs", "Namn", "E-post", "Kod", "Fil", "Status"});
  for (const auto& e : issued)
    rows.push_back({e.municipality, e.date, e.course, e.name, e.email, e.code, e.file,
                    std::string(status_swedish(e.status))});
  return excel_csv(rows);
}

}  // namespace cp::verify

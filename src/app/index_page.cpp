#include "app/index_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/files.h"
#include "core/swedish_time.h"
#include "core/text.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {


const char* label(const std::string& file) {
  if (file == "handout.pdf") return "Handout";
  if (file == "handout.html") return "Handout (HTML)";
  if (file == "handout-booklet.pdf") return "Handout (häfte)";
  if (file == "attendance.pdf") return "Närvarolista";
  if (file == "certificates.pdf") return "Intyg";
  if (file == "certificates.csv") return "Intygsregister";
  if (file == "brief.pdf") return "Utbildarinfo";
  if (file == "print.pdf") return "Allt att skriva ut";
  if (file == "evaluation.pdf") return "Utvärdering";
  if (file == "visit.ics") return "Kalender";
  return nullptr;
}

// What a pack's row shows from its manifest.
struct PackCells {
  std::string links;
  std::string certs;
  std::optional<long> purged_registered;  // a purged pack: the registered count it recorded
};

// The files and the certificate count of a pack, from its manifest.
PackCells pack_cells(const fs::path& out_dir, const std::string& slug, const std::string& key) {
  const fs::path dir = out_dir / slug / key;
  const auto r = files::read_file(dir / "manifest.json");
  nlohmann::json man;
  if (r.status == files::ReadStatus::Ok) man = nlohmann::json::parse(r.bytes, nullptr, false);
  std::string links;
  std::string certs = "–";
  if (man.is_object() && man.contains("outputs") && man["outputs"].is_array()) {
    for (const auto& o : man["outputs"]) {
      if (!o.is_object() || !o.contains("file") || !o["file"].is_string()) continue;
      const std::string f = o["file"].get<std::string>();
      if (const char* l = label(f))
        links += fmt::format("<a href=\"{}/{}/{}\">{}</a> ", text::html_escape(slug), text::html_escape(key),
                             text::html_escape(f), l);
    }
    if (man.contains("certificates") && man["certificates"].is_number())
      certs = std::to_string(man["certificates"].get<long>());
    if (man.contains("purged") && man.contains("registered") && man["registered"].is_number_integer()) {
      links += "<span class=\"purged\">personuppgifterna raderade</span>";
      return {links, certs, man["registered"].get<long>()};
    }
  } else {
    links = "<span class=\"missing\">inte byggd</span>";
  }
  return {links, certs, std::nullopt};
}

}  // namespace

std::string index_page(const model::Programme& p, const fs::path& out_dir, long long built_at,
                       const std::vector<std::string>& kept) {
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>{}</title>\n", text::html_escape(p.project.title));
  html +=
      "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
      "h1{color:#00528c}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;"
      "border-bottom:1px solid #ccc;vertical-align:top}th{background:#eef2f7}td.n{text-align:right}"
      ".missing{color:#a00}td.d{white-space:nowrap}</style>\n</head>\n<body>\n";
  html += fmt::format("<h1>{}</h1>\n<p>{}</p>\n", text::html_escape(p.project.title), text::html_escape(p.project.organisation));
  html += fmt::format("<p>Byggd {} (svensk tid).", swedish_time::format(built_at));
  if (fs::exists(out_dir / "report.pdf")) html += " <a href=\"report.pdf\">Programöversikt (report.pdf)</a>";
  if (fs::exists(out_dir / "calendar.ics")) html += " <a href=\"calendar.ics\">Alla besök i kalendern (calendar.ics)</a>";
  html += "</p>\n";
  html += "<table>\n<tr><th>Kommun</th><th>Datum</th><th>Kurs</th><th>Status</th><th>Anmälda</th><th>Intyg</th>"
      "<th>Filer</th></tr>\n";
  std::vector<const model::Municipality*> ms;
  for (const auto& m : p.municipalities) ms.push_back(&m);
  std::sort(ms.begin(), ms.end(), [](auto* a, auto* b) { return text::compare_swedish(a->name, b->name) < 0; });
  for (const auto* m : ms) {
    auto visits = m->visits;
    std::sort(visits.begin(), visits.end(), [](auto& a, auto& b) { return a.date < b.date; });
    for (const auto& v : visits) {
      const auto [links, certs, purged_registered] = pack_cells(out_dir, m->slug, v.key());
      const auto course = p.courses.find(v.course);
      const std::string& title = course != p.courses.end() ? course->second.title : v.course;
      html += fmt::format(
          "<tr><td>{}</td><td class=\"d\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
          "<td class=\"n\">{}</td><td>{}</td></tr>\n",
          text::html_escape(m->name), v.date.iso(), text::html_escape(title), v.status == model::VisitStatus::Held        ? "genomförd"
          : v.status == model::VisitStatus::Cancelled ? "inställd"
                                                      : "planerad",
          purged_registered ? static_cast<std::size_t>(*purged_registered) : v.participants.size(), certs, links);
    }
  }
  html += "</table>\n";
  if (!kept.empty()) {
    // Held visits no longer in the data: their records are kept.
    html += "<h2>Sparade besök</h2>\n<p>Genomförda besök som inte längre finns i underlaget. Deras filer "
            "finns kvar som dokumentation.</p>\n<table>\n<tr><th>Kommun</th><th>Datum</th><th>Kurs</th>"
            "<th>Status</th><th>Intyg</th><th>Filer</th></tr>\n";
    for (const auto& name : kept) {
      const auto slash = name.find('/');
      const std::string slug = name.substr(0, slash), key = name.substr(slash + 1);
      std::string municipality = slug;
      for (const auto& m : p.municipalities)
        if (m.slug == slug) municipality = m.name;
      const auto [links, certs, purged_registered] = pack_cells(out_dir, slug, key);
      html += fmt::format(
          "<tr class=\"kept\"><td>{}</td><td class=\"d\">{}</td><td>{}</td><td>genomförd, sparad</td>"
          "<td class=\"n\">{}</td><td>{}</td></tr>\n",
          text::html_escape(municipality), text::html_escape(key.substr(0, std::min<std::size_t>(10, key.size()))),
          text::html_escape(key.size() > 11 ? key.substr(11) : key), certs, links);
    }
    html += "</table>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace cp::app

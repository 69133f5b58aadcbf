#include "export/index_page.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/swedish_time.h"
#include "core/text.h"

namespace cp::html {

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

// What a pack's row shows: its files linked, its certificate count, and
// for a purged pack a note that its personal data is gone.
struct Cells {
  std::string links;
  std::string certs = "–";
};

Cells pack_cells(const std::string& slug, const std::string& key, const OutListing::Pack* pack) {
  Cells c;
  if (!pack) {
    c.links = "<span class=\"missing\">inte byggd</span>";
    return c;
  }
  for (const auto& f : pack->files)
    if (const char* l = label(f))
      c.links += fmt::format("<a href=\"{}/{}/{}\">{}</a> ", text::html_escape(slug), text::html_escape(key),
                             text::html_escape(f), l);
  if (pack->certificates) c.certs = std::to_string(*pack->certificates);
  if (pack->purged_registered) c.links += "<span class=\"purged\">personuppgifterna raderade</span>";
  return c;
}

const char* status_text(model::VisitStatus status) {
  switch (status) {
    case model::VisitStatus::Held: return "genomförd";
    case model::VisitStatus::Cancelled: return "inställd";
    default: return "planerad";
  }
}

}  // namespace

std::string index_page(const model::Programme& p, const OutListing& out, long long built_at) {
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
  if (out.report) html += " <a href=\"report.pdf\">Programöversikt (report.pdf)</a>";
  if (out.calendar) html += " <a href=\"calendar.ics\">Alla besök i kalendern (calendar.ics)</a>";
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
      const auto found = out.packs.find(m->slug + "/" + v.key());
      const OutListing::Pack* pack = found != out.packs.end() ? &found->second : nullptr;
      const Cells cells = pack_cells(m->slug, v.key(), pack);
      const auto course = p.courses.find(v.course);
      const std::string& title = course != p.courses.end() ? course->second.title : v.course;
      const long registered = pack && pack->purged_registered ? *pack->purged_registered
                                                              : static_cast<long>(v.participants.size());
      html += fmt::format(
          "<tr><td>{}</td><td class=\"d\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
          "<td class=\"n\">{}</td><td>{}</td></tr>\n",
          text::html_escape(m->name), v.date.iso(), text::html_escape(title), status_text(v.status), registered,
          cells.certs, cells.links);
    }
  }
  html += "</table>\n";
  if (!out.kept.empty()) {
    // Held visits no longer in the data: their records are kept.
    html += "<h2>Sparade besök</h2>\n<p>Genomförda besök som inte längre finns i underlaget. Deras filer "
            "finns kvar som dokumentation.</p>\n<table>\n<tr><th>Kommun</th><th>Datum</th><th>Kurs</th>"
            "<th>Status</th><th>Intyg</th><th>Filer</th></tr>\n";
    for (const auto& [name, pack] : out.kept) {
      const auto slash = name.find('/');
      const std::string slug = name.substr(0, slash), key = name.substr(slash + 1);
      std::string municipality = slug;
      for (const auto& m : p.municipalities)
        if (m.slug == slug) municipality = m.name;
      const Cells cells = pack_cells(slug, key, &pack);
      html += fmt::format(
          "<tr class=\"kept\"><td>{}</td><td class=\"d\">{}</td><td>{}</td><td>genomförd, sparad</td>"
          "<td class=\"n\">{}</td><td>{}</td></tr>\n",
          text::html_escape(municipality), text::html_escape(key.substr(0, std::min<std::size_t>(10, key.size()))),
          text::html_escape(key.size() > 11 ? key.substr(11) : key), cells.certs, cells.links);
    }
    html += "</table>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace cp::html

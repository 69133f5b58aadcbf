#include "app/pack_maker.h"

#include <fmt/format.h>

#include "core/files.h"
#include "documents/attendance.h"
#include "documents/brief.h"
#include "documents/certificate.h"
#include "documents/evaluation.h"
#include "documents/typeset.h"
#include "documents/verification.h"
#include "export/calendar.h"
#include "render/impose.h"
#include "render/pdf_split.h"
#include "tailor/tailor.h"
#include "verify/register.h"

namespace cp::app {

namespace fs = std::filesystem;

documents::HandoutInput handout_input(const PackShared& s, const PackJob& job) {
  const auto& p = *s.programme;
  const auto& m = *job.municipality;
  const auto& v = *job.visit;
  const auto& course = p.courses.at(v.course);
  model::PlaceholderContext ctx{&p.project, &course, &m, &v, nullptr, 0, 0};
  documents::HandoutInput hin;
  hin.programme = &p;
  hin.municipality = &m;
  hin.visit = &v;
  hin.course = &course;
  for (const auto& ref : course.modules) hin.modules.push_back(tailor::tailor(s.modules.at(ref.path), ctx));
  if (auto it = s.local_notes.find(m.slug); it != s.local_notes.end()) hin.municipality_notes = tailor::tailor(it->second, ctx);
  hin.hyphenator = s.hyphenator.get();
  hin.paragraphs = s.paragraphs.get();
  hin.file_store = s.file_store.get();
  return hin;
}

html::HtmlMeta html_meta(const PackShared& s, const PackJob& job) {
  const auto& p = *s.programme;
  html::HtmlMeta meta;
  meta.title = p.courses.at(job.visit->course).title + " – " + job.municipality->name;
  meta.subtitle = documents::swedish_date_with_weekday(job.visit->date);
  meta.program = s.pandoc;
  const fs::path materials = fs::path(p.root) / "materials";
  meta.image_source = [materials](const std::string& written) {
    const auto res = files::resolve_inside(materials, written);
    return res.status == files::ResolveStatus::Ok ? html::image_data_uri(res.path.string()) : std::string{};
  };
  return meta;
}

void PackFiles::add(const std::string& name, std::string bytes, std::optional<std::size_t> pages_in_file) {
  if (pages_in_file) pages += static_cast<int>(*pages_in_file);
  outputs.push_back(manifest::output(name, bytes, pages_in_file));
  files.push_back({name, std::move(bytes)});
}

void PackFiles::add_certificate(std::size_t number, const std::string& name, std::string bytes) {
  pages += 1;
  outputs.push_back(manifest::certificate_output(number, bytes));
  files.push_back({name, std::move(bytes)});
}

std::string PackFiles::add_pdf(const PackShared& s, const PackJob& job, const std::string& name,
                               const layout::Document& d, Diagnostics& diags) {
  auto pdf = render::render_pdf(d, s.pdf);
  if (!pdf.ok) {
    fail(Outcome::input(name, pdf.error));
    return {};
  }
  for (const auto& w : pdf.warnings)
    diags.warning(SourceLoc{}, fmt::format("{}/{}/{}: {}", job.municipality->slug, job.visit->key(), name, w));
  add(name, pdf.bytes, d.pages.size());
  return std::move(pdf.bytes);
}

void PackFiles::fail(Outcome problem) {
  if (outcome.ok()) outcome = std::move(problem);
}

PackFiles make_documents(const PackShared& s, const PackJob& job, Diagnostics& diags) {
  PackFiles r;
  const auto& p = *s.programme;
  const auto& m = *job.municipality;
  const auto& v = *job.visit;
  const auto& course = p.courses.at(v.course);
  if (v.status == model::VisitStatus::Cancelled) {
    // Nothing to print or certify: the calendar entry says it is off.
    r.add("visit.ics", calendar::visit_ics(p, m, v, s.calendar_stamp), std::nullopt);
    return r;
  }
  try {
    r.add_pdf(s, job, "evaluation.pdf", documents::compose_evaluation({&p, &course, &m, &v}, diags), diags);

    documents::AttendanceInput ain{&p, &m, &v, &course, s.hyphenator.get()};
    const layout::Document sheet = documents::compose_attendance(ain, diags);
    r.add_pdf(s, job, "attendance.pdf", sheet, diags);

    // Certificates: all in one file for printing, and one file each for e-mail.
    documents::CertificateInput cin{&p, &m, &v, &course, documents::certificate_entries(p, m, v, course),
                                    s.file_store.get()};
    std::vector<verify::Issued> issued;
    if (!cin.participants.empty()) {
      const layout::Document all = documents::compose_certificates(cin, diags);
      const std::string combined = r.add_pdf(s, job, "certificates.pdf", all, diags);
      // The e-mail files are the combined file's pages: one rendering, and
      // each file is exactly the page that was printed.
      render::SplitResult single;
      if (r.ok()) single = render::split_pages(combined);
      if (r.ok() && (!single.ok || single.pages.size() != cin.participants.size()))
        r.fail(Outcome::input("certificates/",
                              single.ok ? std::string("page count differs from the participants") : single.error));
      for (std::size_t i = 0; i < cin.participants.size() && r.ok(); ++i) {
        const auto& entry = cin.participants[i];
        const std::string file =
            "certificates/" + documents::participant_slug(i + 1, entry.participant->name) + ".pdf";
        r.add_certificate(i + 1, file, std::move(single.pages[i]));
        issued.push_back({entry.code, entry.participant->name, m.slug, v.key(), m.name, course.title, v.date.iso(),
                          v.status == model::VisitStatus::Held ? verify::Status::Valid : verify::Status::Planned,
                          entry.participant->email, file});
      }
    }
    r.add("certificates.csv", verify::pack_certificates_csv(issued), std::nullopt);

    documents::BriefInput bin{&p, &m, &v, &course, static_cast<int>(sheet.pages.size())};
    r.add_pdf(s, job, "brief.pdf", documents::compose_brief(bin, diags), diags);
    r.add("visit.ics", calendar::visit_ics(p, m, v, s.calendar_stamp), std::nullopt);
  } catch (const documents::EnvironmentError& e) {
    r.fail(Outcome::environment({}, e.message));
  }
  return r;
}

StagedResult make_pack(const PackShared& s, const PackJob& job, std::size_t html_page, PackFiles documents,
                       const std::vector<std::pair<std::string, std::string>>& inputs, const std::string& inputs_hash,
                       Diagnostics& diags) {
  StagedResult r;
  const auto& m = *job.municipality;
  const auto& v = *job.visit;
  PackFiles files;
  const bool cancelled = v.status == model::VisitStatus::Cancelled;
  if (!cancelled) {  // a cancelled visit has no handout
    try {
      const std::string handout =
          files.add_pdf(s, job, "handout.pdf", documents::compose_handout(handout_input(s, job), diags), diags);
      if (files.ok() && s.programme->layouts.handout.booklet) {
        // The same A5 pages, two to an A4 sheet, for folding into a booklet.
        auto booklet = render::impose_booklet(handout);
        if (booklet.ok)
          files.add("handout-booklet.pdf", std::move(booklet.pdf),
                    render::booklet_order(static_cast<int>(files.outputs.front().pages.value_or(0))).size());
        else
          files.fail(Outcome::input("handout-booklet.pdf", booklet.error));
      }
    } catch (const documents::EnvironmentError& e) {
      files.fail(Outcome::environment({}, e.message));
    }
  }
  if (files.ok() && documents.ok() && !cancelled) {
    // The handout's text as an accessible web page, from the blocks Pandoc
    // has been converting meanwhile.
    std::string html_error = s.html_converted.valid() ? s.html_converted.get() : std::string{};
    std::string html = html_error.empty() ? s.html->page(html_page, html_error) : std::string{};
    if (html.empty())
      files.fail(Outcome::environment("handout.html", html_error));
    else
      files.add("handout.html", std::move(html), std::nullopt);
  }
  if (files.ok() && !documents.ok()) files.fail(documents.outcome);
  if (!files.ok()) {
    r.outcome = files.outcome;
    return r;
  }
  r.pages = files.pages + documents.pages;
  for (auto& entry : documents.outputs) files.outputs.push_back(std::move(entry));
  for (auto& f : documents.files) files.files.push_back(std::move(f));
  if (!cancelled) {
    // Everything the brief lists, in the counts it gives, in one file.
    auto find = [&files](const std::string& name) -> const std::string* {
      for (const auto& f : files.files)
        if (f.name == name) return &f.bytes;
      return nullptr;
    };
    const auto& p = *s.programme;
    const documents::BriefInput brief{&p, &m, &v, &p.courses.at(v.course), 1};
    const auto counts = documents::print_list(brief);
    auto print = render::print_file({{find("attendance.pdf"), 1, false},
                                     {find("handout.pdf"), counts.handouts, false},
                                     {find("evaluation.pdf"), counts.evaluation_forms, false},
                                     {find("certificates.pdf"), 1, true}},
                                    render::document_info(documents::print_metadata(brief), s.pdf.creation_time, "coursepack"));
    if (!print.ok) {
      r.outcome = Outcome::input("print.pdf", print.error);
      return r;
    }
    files.add("print.pdf", std::move(print.pdf), print.pages);
  }
  const manifest::Manifest man{fmt::format("coursepack {}", COURSEPACK_VERSION),
                               m.slug,
                               v.key(),
                               v.status == model::VisitStatus::Held        ? "held"
                               : v.status == model::VisitStatus::Cancelled ? "cancelled"
                                                                           : "planned",
                               inputs_hash,
                               v.participants.size(),
                               v.certified().size(),
                               inputs,
                               std::move(files.outputs)};
  files.files.push_back({"manifest.json", manifest::manifest_json(man)});
  if (auto e = pack::stage_pack(s.out, m.slug, v.key(), files.files, r.staged); !e.empty())
    r.outcome = Outcome::environment({}, e);
  return r;
}

}  // namespace cp::app

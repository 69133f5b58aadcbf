#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "app/build.h"
#include "app/publish.h"
#include "app/purge.h"
#include "app/send.h"
#include "app/cli.h"
#include "app/machine_check.h"

#include "core/swedish_time.h"
#include "core/text.h"
#include "documents/report.h"
#include "documents/typeset.h"
#include "mail/message.h"
#include "pack/lock.h"
#include "pack/pack.h"
#include "pack/retention.h"
#include "render/pdf.h"
#include "validate/retention.h"
#include "validate/validate.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {

int run_check(const Options& o, const Environment& env) {
  Diagnostics diags;
  const auto programme = validate::load_programme(fs::path(o.root), diags);
  // The e-mail template, when there is one (only `send` needs it).
  std::error_code ec;
  if (fs::exists(fs::path(o.root) / mail::kTemplatePath, ec) && !mail::load_template(fs::path(o.root), nullptr, {}, diags))
    return (diags.print(std::cerr), std::cerr << fmt::format("coursepack: {} error(s), {} warning(s); nothing written\n",
                                                              diags.error_count(), diags.warning_count()),
            kExitInput);
  if (programme) {
    // Inputs that still hold the names of visits past the retention period.
    const auto now = swedish_time::local(env.source_date_epoch.value_or(env.now));
    validate::warn_past_retention(*programme, {now.year, now.month, now.day}, diags);
  }
  diags.print(std::cerr);
  if (!programme) {
    std::cerr << fmt::format("coursepack: {} error(s), {} warning(s); nothing written\n", diags.error_count(),
                             diags.warning_count());
    return kExitInput;
  }
  std::size_t visits = 0, participants = 0;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits) {
      ++visits;
      participants += v.participants.size();
    }
  std::cout << fmt::format("ok: {} municipalities, {} visits, {} participants, {} warning(s)\n",
                           programme->municipalities.size(), visits, participants, diags.warning_count());
  if (o.out.empty()) return kExitOk;
  // With --out: every pack's files against its manifest's hashes.
  std::size_t present = 0, damaged = 0;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits) {
      const auto state = pack::check_pack(fs::path(o.out), m.slug, v.key(), true);
      if (state.kind == pack::PackState::Present) ++present;
      if (state.kind != pack::PackState::Damaged) continue;
      ++damaged;
      std::cerr << fmt::format("coursepack: error: {}/{}/{}: damaged: {}\n", o.out, m.slug, v.key(), state.problem);
    }
  std::cout << fmt::format("{}: {} pack(s) intact, {} damaged\n", o.out, present, damaged);
  return damaged ? kExitEnvironment : kExitOk;
}

// One line per visit, in date order: municipality, date, course, held or
// planned, registered and attended, the pack's status; and a flag on the
// visits that look forgotten (a past visit still planned, a held visit
// whose attendance is not marked). With input errors the visits are listed
// as far as they could be read, after the errors, and the exit status is 1:
// the list is where one looks for what is missing.
int run_list(const Options& o, const Environment& env) {
  Diagnostics diags;
  const auto programme = validate::read_programme(fs::path(o.root), diags);
  if (diags.has_errors()) {
    diags.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s); the visits as far as they could be read:\n",
                             diags.error_count());
  }
  if (!programme) return kExitInput;
  const fs::path out = o.out.empty() ? fs::path(o.root) / "out" : fs::path(o.out);
  const auto now = swedish_time::local(env.source_date_epoch.value_or(env.now));
  const model::Date today{now.year, now.month, now.day};
  struct Row {
    const model::Municipality* m;
    const model::Visit* v;
    std::string key;
  };
  std::vector<Row> rows;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits) rows.push_back({&m, &v, text::swedish_sort_key(m.name)});
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.v->date != b.v->date) return a.v->date < b.v->date;
    return a.key < b.key;
  });
  std::size_t width = 0, course_width = 0;
  for (const auto& r : rows) {
    width = std::max(width, text::length(r.m->name));
    course_width = std::max(course_width, text::length(r.v->course));
  }
  PackHasher hasher(*programme);
  for (const auto& r : rows) {
    const model::Visit& v = *r.v;
    const std::string status = pack_status(hasher, *r.m, v, out);
    const bool held = v.status == model::VisitStatus::Held;
    const auto attended = std::count_if(v.participants.begin(), v.participants.end(),
                                        [](const model::Participant& p) { return p.attended == true; });
    const auto marked = std::count_if(v.participants.begin(), v.participants.end(),
                                      [](const model::Participant& p) { return p.attended.has_value(); });
    std::string flag;
    const bool cancelled = v.status == model::VisitStatus::Cancelled;
    if (!held && !cancelled && v.date < today)
      flag = "  ! in the past but still planned: write 'status: held' and mark attendance";
    else if (held && !v.participants.empty() && marked == 0)
      flag = "  ! held, but no attendance marked";
    else if (held && !v.participants.empty() && attended == 0)
      flag = "  ! held, but nobody is marked as attending";
    std::cout << fmt::format("{}{}  {}  {}{}  {:<9}  {:>3} registered  {}  {}{}\n", r.m->name,
                             std::string(width - text::length(r.m->name), ' '), v.date.iso(), v.course,
                             std::string(course_width - text::length(v.course), ' '), held ? "held" : cancelled ? "cancelled" : "planned",
                             v.participants.size(),
                             held ? fmt::format("{:>3} attended", attended) : std::string(12, ' '), status, flag);
  }
  return diags.has_errors() ? kExitInput : kExitOk;
}

int run_report(const Options& o, const Environment& env) {
  Diagnostics diags;
  const auto programme = validate::load_programme(fs::path(o.root), diags);
  if (!programme) {
    diags.print(std::cerr);
    return kExitInput;
  }
  documents::ReportData data;
  data.years = documents::calendar_years(*programme);  // one calendar page per year
  data.evaluations = documents::visit_evaluations(*programme);
  {
    // Purged packs keep the numbers their names made.
    const fs::path out_dir = o.out.empty() ? fs::path(o.root) / "out" : fs::path(o.out);
    for (const auto& m : programme->municipalities)
      for (const auto& v : m.visits)
        if (pack::PurgeCounts c; pack::is_purged(out_dir, m.slug, v.key(), &c))
          data.recorded[m.slug + "/" + v.key()] = {static_cast<int>(c.registered), static_cast<int>(c.attended)};
  }
  // The report is set in the handout's heading family.
  auto missing = missing_fonts({&programme->layouts.handout.heading_font});
  check_color_profile(missing);
  if (!missing.empty()) {
    print_missing(missing, std::cerr);
    return kExitEnvironment;
  }
  layout::Document doc;
  try {
    doc = documents::compose_report(*programme, data, diags);
  } catch (const documents::EnvironmentError& e) {
    std::cerr << "coursepack: error: " << e.message << "\n";
    return kExitEnvironment;
  }
  render::PdfOptions opts;
  opts.creation_time = env.source_date_epoch;
  const auto pdf = render::render_pdf(doc, opts);
  diags.print(std::cerr);
  if (!pdf.ok) {
    std::cerr << "coursepack: error: report.pdf: " << pdf.error << "\n";
    return kExitEnvironment;
  }
  const fs::path out = o.out.empty() ? fs::path(o.root) / "out" : fs::path(o.out);
  // The build's lock: report.pdf is not written while a build cleans up.
  pack::OutLock out_lock;
  if (auto err = pack::lock_out_dir(out, out_lock); !err.empty()) {
    std::cerr << "coursepack: error: " << err << "\n";
    return kExitEnvironment;
  }
  if (auto e = pack::write_file(out / "report.pdf", pdf.bytes, 0600); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  if (!o.quiet) std::cout << fmt::format("wrote {} ({} pages)\n", (out / "report.pdf").string(), doc.pages.size());
  return kExitOk;
}

}  // namespace

int run(const Options& o, const Environment& env) {
  if (o.command != Command::Help && o.command != Command::Version) {
    // A relative --root or --out needs the current folder, which may have
    // been deleted under the shell.
    std::error_code ec;
    for (const std::string* path : {&o.root, &o.out})
      if (!path->empty() && (static_cast<void>(fs::absolute(*path, ec)), ec)) {
        std::cerr << fmt::format("coursepack: error: cannot resolve '{}': {} (was the current folder deleted?)\n",
                                 *path, ec.message());
        return kExitEnvironment;
      }
  }
  switch (o.command) {
    case Command::Help:
      std::cout << help_text();
      return kExitOk;
    case Command::Version:
      std::cout << "coursepack " << COURSEPACK_VERSION << "\n";
      return kExitOk;
    case Command::Check:
      return run_check(o, env);
    case Command::List:
      return run_list(o, env);
    case Command::Build:
      return run_build(o, env);
    case Command::Report:
      return run_report(o, env);
    case Command::Send:
      return run_send(o, env);
    case Command::Publish:
      return run_publish(o, env);
    case Command::Purge:
      return run_purge(o, env);
  }
  return kExitUsage;
}

}  // namespace cp::app

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "app/build.h"
#include "app/cli.h"
#include "core/text.h"
#include "documents/report.h"
#include "documents/typeset.h"
#include "pack/lock.h"
#include "pack/pack.h"
#include "render/pdf.h"
#include "validate/validate.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {

int run_check(const Options& o) {
  Diagnostics diags;
  const auto programme = validate::load_programme(fs::path(o.root), diags);
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

int run_list(const Options& o) {
  Diagnostics diags;
  const auto programme = validate::load_programme(fs::path(o.root), diags);
  if (!programme) {
    diags.print(std::cerr);
    return kExitInput;
  }
  const fs::path out = o.out.empty() ? fs::path(o.root) / "out" : fs::path(o.out);
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
  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, text::length(r.m->name));
  PackHasher hasher(*programme);
  for (const auto& r : rows) {
    const std::string status = pack_status(hasher, *r.m, *r.v, out);
    const std::size_t pad = width - text::length(r.m->name);
    std::cout << fmt::format("{}{}  {}  {}  {:>3} registered  {}\n", r.m->name, std::string(pad, ' '),
                             r.v->date.iso(), r.v->course, r.v->participants.size(), status);
  }
  return kExitOk;
}

int run_report(const Options& o, const Environment& env) {
  Diagnostics diags;
  const auto programme = validate::load_programme(fs::path(o.root), diags);
  if (!programme) {
    diags.print(std::cerr);
    return kExitInput;
  }
  documents::ReportData data;
  // The calendar shows the year of the first visit.
  bool first = true;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits)
      if (first || v.date.year < data.year) {
        data.year = v.date.year;
        first = false;
      }
  data.evaluations = documents::visit_evaluations(*programme);
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
      return run_check(o);
    case Command::List:
      return run_list(o);
    case Command::Build:
      return run_build(o, env);
    case Command::Report:
      return run_report(o, env);
  }
  return kExitUsage;
}

}  // namespace cp::app

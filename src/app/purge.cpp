#include "app/purge.h"

#include <fmt/format.h>

#include <iostream>
#include <set>

#include "app/build.h"
#include "app/publish.h"
#include "core/files.h"
#include "core/swedish_time.h"
#include "mail/send_log.h"
#include "pack/lock.h"
#include "pack/ownership.h"
#include "pack/pack.h"
#include "pack/retention.h"
#include "validate/retention.h"
#include "validate/validate.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {

// What a pack's purge removes, in words (no participant is named).
std::string removed_text(const pack::PurgePlan& plan) {
  std::vector<std::string> parts(plan.files.begin(), plan.files.end());
  if (plan.certificate_files)
    parts.push_back(fmt::format("{} certificate file{}", plan.certificate_files, plan.certificate_files == 1 ? "" : "s"));
  if (plan.messages) parts.push_back(fmt::format("{} message{} in mail/", plan.messages, plan.messages == 1 ? "" : "s"));
  if (plan.send_log) parts.push_back("the send log");
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "") + parts[i];
  return text.empty() ? "nothing left to remove" : text;
}

// Messages the visit's send log records as delivered.
long delivered(const fs::path& out, const std::string& slug, const std::string& visit) {
  const auto log = files::read_file(pack::send_log_path(out, slug, visit), 256u * 1024u * 1024u);
  if (log.status != files::ReadStatus::Ok) return 0;
  long n = 0;
  for (const auto& [key, state] : mail::read_send_log(log.bytes)) n += state.sent ? 1 : 0;
  return n;
}

}  // namespace

int run_purge(const Options& o, const Environment& env) {
  Diagnostics diags;
  const fs::path root = fs::absolute(o.root);
  const auto programme = validate::load_programme(root, diags);
  if (!programme) {
    diags.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s); nothing purged\n", diags.error_count());
    return kExitInput;
  }
  const auto& retention = programme->project.retention;
  if (!retention) {
    Diagnostics missing;
    missing.error(programme->project.loc,
                  "'retention' is not set; coursepack purge removes the personal data of visits past it",
                  "add the period the privacy notice promises, e.g. 'retention: 2 years'");
    missing.print(std::cerr);
    return kExitInput;
  }
  const auto now = swedish_time::local(env.source_date_epoch.value_or(env.now));
  const model::Date today{now.year, now.month, now.day};
  const std::string today_iso = today.iso();
  const fs::path out = o.out.empty() ? root / "out" : fs::absolute(o.out);
  const char* would = o.dry_run ? "would purge" : "purged";

  std::size_t purged = 0, already = 0;
  std::vector<std::string> names;
  std::error_code ec;
  if (!pack::is_claimed(out)) {
    if (fs::exists(out, ec)) {
      std::cerr << fmt::format("coursepack: error: {} was not made by coursepack (it has no {} marker); purge "
                               "touches only coursepack's output folder\n",
                               out.string(), pack::kMarkerFile);
      return kExitEnvironment;
    }
    if (!o.quiet) std::cout << fmt::format("{} does not exist: no pack to purge\n", out.string());
  } else {
    // Not while a build writes, and no build while this runs.
    pack::OutLock lock;
    if (auto err = pack::lock_out_dir(out, lock); !err.empty()) {
      std::cerr << "coursepack: error: " << err << "\n";
      return kExitEnvironment;
    }
    for (const auto& [slug, visit] : pack::list_packs(out)) {
      const auto date = model::Date::parse_iso(visit.substr(0, 10));
      if (!date || !validate::past_retention(*date, *retention, today)) continue;
      const auto plan = pack::plan_purge(out, slug, visit);
      if (!plan) continue;
      const std::string name = slug + "/" + visit;
      if (plan->already_purged && plan->files.empty() && !plan->certificate_files && !plan->messages &&
          !plan->send_log) {
        ++already;
        continue;
      }
      if (!o.dry_run)
        if (auto e = pack::purge_pack(out, *plan, delivered(out, slug, visit), today_iso); !e.empty()) {
          std::cerr << fmt::format("coursepack: error: {}: {}\n", name, e);
          return kExitEnvironment;
        }
      ++purged;
      names.push_back(name);
      if (!o.quiet) {
        std::cout << fmt::format("{} {} (its retention period of {} ended on {}): {}\n", would, name,
                                 retention->written, validate::retention_ends(*date, *retention).iso(),
                                 removed_text(*plan));
        for (const auto& f : plan->foreign)
          std::cout << fmt::format("  {}/{} was not written by coursepack; it is left as it is\n", name, f);
      }
    }
    std::size_t rows = 0;
    if (auto e = erase_from_register(out, names, today_iso, o.dry_run, rows); !e.empty()) {
      std::cerr << "coursepack: error: " << e << "\n";
      return kExitEnvironment;
    }
    if (rows && !o.quiet)
      std::cout << fmt::format("{} {} row{} of register.csv and .register.json: {}\n", o.dry_run ? "would count" : "counted",
                               rows, rows == 1 ? "" : "s", "one anonymous count per visit in their place");
    if (purged && !o.dry_run && fs::exists(out / "index.html", ec)) {
      // Its links and counts, as the purged packs now are.
      std::set<std::string> wanted;
      for (const auto& m : programme->municipalities)
        for (const auto& v : m.visits) wanted.insert(m.slug + "/" + v.key());
      const std::string page =
          html::index_page(*programme, out_listing(*programme, out, pack::held_packs_except(out, wanted)),
                           env.source_date_epoch.value_or(env.now));
      if (auto e = pack::write_file(out / "index.html", page, 0600); !e.empty()) {
        std::cerr << "coursepack: error: " << e << "\n";
        return kExitEnvironment;
      }
    }
    if (purged && fs::exists(out / "verify", ec) && !o.quiet)
      std::cout << fmt::format("out/verify/ still holds the purged certificates' entries: run 'coursepack "
                               "publish' to drop them\n");
  }
  // What coursepack does not change: the inputs.
  std::vector<std::string> inputs;
  for (const auto& past : validate::visits_past_retention(*programme, today)) {
    const auto& v = *past.visit;
    if (v.participants.empty()) continue;
    const std::string where = v.participants_file.empty()
                                  ? fmt::format("{}:{}", v.participants.front().loc.path, v.participants.front().loc.line)
                                  : v.participants.front().loc.path;
    inputs.push_back(fmt::format("  {} ({} participant{} of {}/{})", where, v.participants.size(),
                                 v.participants.size() == 1 ? "" : "s", past.municipality->slug, v.key()));
  }
  if (!inputs.empty() && !o.quiet) {
    std::cout << "these inputs still hold the names of visits past the retention period; coursepack does not "
                 "change them: delete the participants yourself (keep each visit's date, course and status)\n";
    for (const auto& line : inputs) std::cout << line << "\n";
    std::cout << "  and every copy: printed sheets, e-mail, backups, and the repository's history if the "
                 "materials are committed\n";
  }
  if (!o.quiet)
    std::cout << (o.dry_run ? fmt::format("{} pack(s) would be purged, {} already purged; nothing changed "
                                          "(--dry-run)\n",
                                          purged, already)
                            : fmt::format("{} pack(s) purged, {} already purged\n", purged, already));
  return kExitOk;
}

}  // namespace cp::app

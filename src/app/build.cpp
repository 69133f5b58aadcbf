#include "app/build.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "app/machine_check.h"
#include "app/progress.h"
#include "app/publish.h"
#include "app/visit_selection.h"
#include "content/figures.h"
#include "content/pandoc.h"
#include "content/pandoc_prefetch.h"
#include "core/files.h"
#include "core/parallel.h"
#include "documents/handout.h"
#include "export/calendar.h"
#include "export/index_page.h"
#include "pack/cache.h"
#include "pack/listing.h"
#include "pack/ownership.h"
#include "validate/validate.h"

namespace cp::app {

namespace fs = std::filesystem;

int run_build(const Options& options, const Environment& env) { return BuildJob(options, env).run(); }

BuildJob::BuildJob(const Options& options, const Environment& env)
    : o_(options), env_(env), started_(std::chrono::steady_clock::now()), phases_(env.timings) {}

BuildJob::~BuildJob() = default;

int BuildJob::run() {
  pack::set_fail_after_files(env_.fail_after_files);  // a test hook; -1 = off
  if (auto status = read_inputs()) return *status;
  if (auto status = plan()) return *status;
  if (auto status = check_machine()) return *status;
  if (auto status = read_texts()) return *status;
  make_packs();
  if (auto status = commit()) return *status;
  report_problems();
  prune();
  if (auto status = finish()) return *status;
  return summary();
}

std::optional<int> BuildJob::read_inputs() {
  Diagnostics checked;
  root_ = fs::absolute(o_.root);
  programme_ = validate::read_programme(root_, checked);
  // With --keep-going, the visits whose own inputs have errors are left out
  // and named; an error every pack shares still stops everything.
  if (programme_ && checked.has_errors() && o_.keep_going) {
    const auto owners = validate::error_owners(*programme_, checked.all());
    if (owners.everything) {
      programme_.reset();
    } else {
      for (auto& m : programme_->municipalities) {
        for (const auto& v : m.visits)
          if (owners.visits.count(&v) && selected(o_.only, m, v)) {
            not_built_.push_back(m.slug + "/" + v.key());
            only_left_out_ = !o_.only.empty();
          }
        std::erase_if(m.visits, [&](const model::Visit& v) { return owners.visits.count(&v) > 0; });
      }
      for (const auto& at : owners.unread_visits)
        not_built_.push_back(fmt::format("the visit at {}:{}", at.path, at.line));
    }
  } else if (checked.has_errors()) {
    programme_.reset();
  }
  if (!programme_) {
    checked.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s), {} warning(s); nothing written\n", checked.error_count(),
                             checked.warning_count());
    if (o_.keep_going) std::cerr << "  hint: the errors are in inputs every pack shares, so no pack was built\n";
    return kExitInput;
  }
  // Validation's diagnostics are printed with the build's at the end, or,
  // when visits were left out, now: before the packs that are built.
  input_errors_ = checked.has_errors();
  if (!input_errors_) {
    for (auto& d : checked.all()) diags_.add(std::move(d));
  } else {
    checked.print(std::cerr);
    warnings_printed_ = checked.warning_count();
  }
  return std::nullopt;
}

std::optional<int> BuildJob::plan() {
  PackShared& s = shared_;
  s.programme = &*programme_;
  s.out = o_.out.empty() ? root_ / "out" : fs::absolute(o_.out);
  s.pdf.creation_time = env_.source_date_epoch;
  s.pdf.file_store = s.file_store.get();
  for (const auto& [path, in] : programme_->inputs)  // the layout images validation read
    if (!in.bytes.empty() && !path.ends_with(".md")) s.file_store->add(path, in.bytes, in.sha256);
  s.calendar_stamp = env_.source_date_epoch.value_or(env_.now);
  // One build per out/ at a time; a second one stops here (exit 3).
  if (auto err = pack::lock_out_dir(s.out, out_lock_); !err.empty()) {
    std::cerr << "coursepack: error: " << err << "\n";
    return kExitEnvironment;
  }
  pack::clean_leftovers(s.out);  // an interrupted run's temporary folders; no one else writes now

  // Which visits, and which of them changed.
  for (const auto& m : programme_->municipalities)
    for (const auto& v : m.visits)
      if (selected(o_.only, m, v)) selected_.push_back({{&m, &v}, {}, {}});
  if (!o_.only.empty() && selected_.empty() && !only_left_out_) {
    std::cerr << fmt::format("coursepack: error: --only '{}' matches no municipality or visit\n  hint: {}\n", o_.only,
                             only_hint(*programme_, o_.only));
    return kExitUsage;
  }
  phases_.end("validate");
  PackHasher hasher(*programme_, s.file_store.get());
  for (auto& planned : selected_) {
    const auto& m = *planned.job.municipality;
    const auto& v = *planned.job.visit;
    planned.inputs = hasher.inputs(m, v);
    planned.inputs_hash = combined_hash(planned.inputs);
    // The pack's files against its manifest: sizes always, hashes with --verify.
    const auto state = pack::check_pack(s.out, m.slug, v.key(), o_.verify);
    if (state.purged) continue;  // past the retention period, its personal data removed: never made again
    if (state.kind == pack::PackState::Damaged && !o_.quiet)
      std::cout << fmt::format("rebuilding {}/{}: {}\n", m.slug, v.key(), state.problem);
    if (o_.force || state.kind != pack::PackState::Present || state.inputs_hash != planned.inputs_hash)
      work_.emplace_back().plan = &planned;
  }
  phases_.end("hash inputs");

  // Largest packs first (a pack's cost follows its participants), so no
  // thread is left with a big one at the end while the others idle.
  for (auto& w : work_) order_.push_back(&w);
  std::stable_sort(order_.begin(), order_.end(), [](const Work* a, const Work* b) {
    return a->plan->job.visit->participants.size() > b->plan->job.visit->participants.size();
  });
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  threads_ = std::min<std::size_t>(o_.jobs > 0 ? static_cast<std::size_t>(o_.jobs) : cores,
                                   std::max<std::size_t>(work_.size(), 1));
  return std::nullopt;
}

std::optional<int> BuildJob::check_machine() {
  if (work_.empty()) return std::nullopt;
  // What the packs need from the machine, said once for the whole run.
  std::vector<MissingRequirement> missing = missing_fonts(pack_fonts(programme_->layouts));
  // The attendance sheets made while Pandoc reads the texts hyphenate.
  shared_.hyphenator = load_hyphenation(missing);
  check_color_profile(missing);
  if (!missing.empty()) {
    print_missing(missing, std::cerr);
    std::cerr << "coursepack: nothing written\n";
    return kExitEnvironment;
  }
  return std::nullopt;
}

void BuildJob::texts_to_read(std::deque<Text>& texts) const {
  const model::Programme& programme = *programme_;
  std::set<std::string> needed, slugs;
  for (const auto& w : work_) {
    for (const auto& ref : programme.courses.at(w.plan->job.visit->course).modules) needed.insert(ref.path);
    slugs.insert(w.plan->job.municipality->slug);
  }
  texts.resize(needed.size());
  std::size_t t = 0;
  for (const auto& path : needed) texts[t++].module = path;
  for (const auto& m : programme.municipalities)
    if (slugs.count(m.slug) && !m.local_notes.empty()) {
      texts.emplace_back();
      texts.back().local_notes = &m;
    }
  for (auto& text : texts)
    if (!text.local_notes) {
      // The bytes validation read and the pack's hash records, not the file again.
      const auto* in = read_input(programme, root_ / "materials" / text.module);
      text.bytes = in ? in->bytes : files::read_file(root_ / "materials" / text.module).bytes;
    }
}

std::optional<int> BuildJob::read_texts() {
  if (work_.empty()) return std::nullopt;
  PackShared& s = shared_;
  pack::clean_leftovers(s.out);
  // Pandoc once per module (cached on disk between runs).
  s.runner = std::make_unique<content::SystemProcessRunner>(std::getenv("PATH") ? std::getenv("PATH") : "");
  s.pandoc = env_.pandoc;
  content::ProcessRunner& runner = *s.runner;
  content::PandocOptions popts;
  popts.program = env_.pandoc;
  if (env_.pandoc_timeout_s) popts.timeout = std::chrono::seconds(*env_.pandoc_timeout_s);
  content::PandocCache cache(pack::cache_folder(pack::cache_path(s.out, "pandoc")), popts);
  std::deque<Text> texts;
  texts_to_read(texts);
  // Pandoc reads every text in one run; each task below then finds its
  // text's JSON in the cache and turns it into the document tree.
  std::vector<std::string_view> sources;
  for (const auto& text : texts)
    sources.push_back(text.local_notes ? std::string_view(text.local_notes->local_notes) : text.bytes);
  auto prefetched = std::async(std::launch::async, [&] {
    try {
      content::prefetch_texts(sources, runner, cache);
    } catch (...) {
      // Only an optimisation: each text then has its own run.
    }
  });
  // While Pandoc reads (one process, one core), this thread makes the
  // documents that need no course text, in the order the packs will be
  // built, until Pandoc is done.
  for (Work* w : order_) {
    if (prefetched.wait_for(std::chrono::seconds(0)) == std::future_status::ready) break;
    w->early = make_documents(s, w->plan->job, w->early_diags);
  }
  prefetched.get();
  std::mutex parsed;
  const unsigned threads =
      o_.jobs > 0 ? static_cast<unsigned>(o_.jobs) : std::max(1u, std::thread::hardware_concurrency());
  parallel_for(texts.size(), threads, [&](std::size_t task) {
    Text& text = texts[task];
    if (text.local_notes) {
      const auto& m = *text.local_notes;
      auto blocks = content::parse_markdown_string(m.local_notes, SourceLoc{m.file, 0, 0}, runner, cache, text.diags);
      text.status = blocks.status;
      text.message = blocks.message;
      std::lock_guard lock(parsed);
      if (blocks.status == content::Status::Ok) s.local_notes[m.slug] = std::move(blocks.blocks);
    } else {
      auto mod = content::parse_module("materials/" + text.module, text.bytes, runner, cache, text.diags);
      if (mod.status == content::Status::Ok) content::check_figures(mod.module, text.bytes, text.diags);
      text.status = mod.status;
      text.message = mod.message;
      std::lock_guard lock(parsed);
      if (mod.status == content::Status::Ok) s.modules[text.module] = std::move(mod.module);
    }
  });
  bool env_error = false;
  for (const auto& text : texts) {
    if (text.status == content::Status::EnvironmentError) {
      // Pandoc itself is the problem: the same for every text, said once.
      std::cerr << "coursepack: error: " << text.message << "\n";
      env_error = true;
      break;
    }
    for (auto& d : text.diags.all()) diags_.add(std::move(d));
  }
  s.pandoc_version = cache.version();
  phases_.end("texts");
  if (diags_.has_errors() || env_error) {
    diags_.print(std::cerr);
    return env_error ? kExitEnvironment : kExitInput;
  }
  return std::nullopt;
}

void BuildJob::make_packs() {
  PackShared& s = shared_;
  const auto n_threads = static_cast<unsigned>(threads_);
  // handout.html: what the changed packs' pages need and the cache lacks,
  // converted by Pandoc in a few runs for all of them.
  if (!work_.empty()) {
    // Keyed by Pandoc's version too: an upgraded Pandoc converts afresh.
    s.html = std::make_unique<html::HtmlPages>(std::string(COURSEPACK_VERSION) + '\n' + s.pandoc_version,
                                               pack::cache_folder(pack::cache_path(s.out, "html")), *s.runner,
                                               s.pandoc);
    parallel_for(work_.size(), n_threads, [&](std::size_t k) {
      Work& w = work_[k];
      w.html_page = s.html->add(documents::handout_blocks(handout_input(s, w.plan->job)), html_meta(s, w.plan->job));
    });
    phases_.end("html blocks");
    s.html_converted = std::async(std::launch::async, [&s, n_threads] {
                         std::string error;
                         return s.html->convert(n_threads, error) ? std::string{} : error;
                       }).share();
  }

  // The changed packs on N threads.
  Progress progress(Progress::mode_for(o_.quiet, env_.stderr_is_terminal), work_.size(), std::cout, std::cerr,
                    Progress::steady_clock_since(std::chrono::steady_clock::now()));
  parallel_for(order_.size(), n_threads, [&](std::size_t j) {
    Work& w = *order_[j];
    const PackJob& job = w.plan->job;
    const std::string name = job.municipality->slug + "/" + job.visit->key();
    progress.started(name);
    PackFiles documents;
    if (w.early) {
      documents = std::move(*w.early);
      for (auto& d : w.early_diags.all()) diags_.add(std::move(d));
    } else {
      documents = make_documents(s, job, diags_);
    }
    w.result = make_pack(s, job, w.html_page, std::move(documents), w.plan->inputs, w.plan->inputs_hash, diags_);
    progress.finished(name, w.result.outcome.ok());
  });
  progress.close();
  phases_.end("packs+html");
}

std::optional<int> BuildJob::commit() {
  // Pandoc failing on handout.html stops the build as an input error
  // would: one message, and no pack of this run is kept.
  if (shared_.html_converted.valid()) {
    if (const std::string& error = shared_.html_converted.get(); !error.empty()) {
      std::cerr << "coursepack: error: handout.html: " << error << "\n";
      pack::clean_leftovers(shared_.out);
      return kExitEnvironment;
    }
  }
  // Every pack written is made durable at once and swapped in.
  std::vector<pack::StagedPack> staged;
  for (const auto& w : work_)
    if (w.result.outcome.ok()) staged.push_back(w.result.staged);
  if (auto e = pack::commit_packs(staged); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  pack::clean_leftovers(shared_.out);  // the old packs swapped out, and the journal of this run's temporary folders
  phases_.end("commit");
  return std::nullopt;
}

void BuildJob::report_problems() const {
  diags_.print(std::cerr);
  for (const auto& name : not_built_)
    std::cerr << fmt::format("coursepack: not built: {} (its errors are above)\n", name);
  for (const auto& w : work_)
    if (!w.result.outcome.ok())
      std::cerr << fmt::format("coursepack: error: {}/{}: {}\n", w.plan->job.municipality->slug,
                               w.plan->job.visit->key(), w.result.outcome.text());
}

void BuildJob::prune() {
  // Packs whose visit is no longer in the data are removed (a full build
  // only, and not while visits are left out for their errors). A held
  // visit's pack stays: the record of a training that took place.
  if (input_errors_) return;
  std::set<std::string> wanted;
  for (const auto& m : programme_->municipalities)
    for (const auto& v : m.visits) wanted.insert(m.slug + "/" + v.key());
  kept_ = pack::held_packs_except(shared_.out, wanted);
  if (!o_.only.empty()) return;
  if (!o_.quiet)
    for (const auto& name : kept_)
      std::cout << fmt::format("kept {} (a held visit's records; its visit is no longer in the data)\n", name);
  for (const auto& r : pack::remove_packs_except(shared_.out, wanted)) {
    ++removed_;
    if (!o_.quiet)
      std::cout << (r.kept ? fmt::format("removed {}'s files (its visit is no longer in the data); the folder "
                                         "keeps files coursepack did not write\n", r.name)
                           : fmt::format("removed {} (its visit is no longer in the data)\n", r.name));
  }
}

std::optional<int> BuildJob::finish() {
  const model::Programme& programme = *programme_;
  const fs::path& out = shared_.out;
  // Every certificate issued, kept beyond the packs (out/register.csv).
  if (auto e = update_certificate_register(programme, out, o_.only); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  // Every visit as a calendar entry, for the coordinator's calendar;
  // rewritten only when an entry changed.
  if (!work_.empty() || removed_ > 0 || !pack::out_has(out, "calendar.ics")) {
    const std::string ics = calendar::programme_ics(programme, shared_.calendar_stamp);
    const auto have = files::read_file(out / "calendar.ics", 256u * 1024u * 1024u);
    if (have.status != files::ReadStatus::Ok || have.bytes != ics) {
      if (auto e = pack::write_file(out / "calendar.ics", ics, 0600); !e.empty()) {
        std::cerr << "coursepack: error: " << e << "\n";
        return kExitEnvironment;
      }
    }
  }
  if (!work_.empty() || removed_ > 0 || !kept_.empty() || !pack::out_has(out, "index.html")) {
    const long long when = env_.source_date_epoch.value_or(env_.now);
    if (auto e = pack::write_file(out / "index.html", html::index_page(programme, out_listing(programme, out, kept_), when),
                                  0600);
        !e.empty()) {
      std::cerr << "coursepack: error: " << e << "\n";
      return kExitEnvironment;
    }
  }
  phases_.end("finish");
  return std::nullopt;
}

int BuildJob::summary() const {
  int status = input_errors_ ? kExitInput : kExitOk;
  std::size_t built = 0;
  int pages = 0;
  for (const auto& w : work_) {
    if (w.result.outcome.ok()) {
      ++built;
    } else {
      status = w.result.outcome.kind == Outcome::Kind::Environment ? kExitEnvironment : std::max(status, kExitInput);
    }
    pages += w.result.pages;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (!o_.quiet)
    std::cout << fmt::format("{} built, {}{} unchanged, {} removed, {}{} pages, {:.2f} s, {} warning(s)\n", built,
                             not_built_.empty() ? "" : fmt::format("{} not built, ", not_built_.size()),
                             selected_.size() - work_.size(), removed_,
                             kept_.empty() ? "" : fmt::format("{} kept, ", kept_.size()), pages, secs,
                             diags_.warning_count() + warnings_printed_);
  return status;
}

html::OutListing out_listing(const model::Programme& programme, const fs::path& out,
                             const std::vector<std::string>& kept) {
  html::OutListing listing;
  listing.report = pack::out_has(out, "report.pdf");
  listing.calendar = pack::out_has(out, "calendar.ics");
  auto entry = [](pack::PackListing&& pack) {
    return html::OutListing::Pack{std::move(pack.files), pack.certificates, pack.purged_registered};
  };
  for (const auto& m : programme.municipalities)
    for (const auto& v : m.visits)
      if (auto pack = pack::read_pack_listing(out, m.slug, v.key()))
        listing.packs[m.slug + "/" + v.key()] = entry(std::move(*pack));
  for (const auto& name : kept) {
    const auto slash = name.find('/');
    if (slash == std::string::npos) continue;
    if (auto pack = pack::read_pack_listing(out, name.substr(0, slash), name.substr(slash + 1)))
      listing.kept[name] = entry(std::move(*pack));
  }
  return listing;
}

}  // namespace cp::app

// `coursepack build`: every visit's pack, in parallel, written atomically,
// skipped when its inputs are unchanged. A job object (as qpdf's QPDFJob)
// whose run() takes named steps in order:
//
//   read inputs   validate the programme (with --keep-going, leave out the
//                 visits whose own inputs have errors)
//   plan          lock out/, select the visits, hash their inputs, decide
//                 which packs to make and in which order
//   check machine the fonts and hyphenation patterns the packs need
//   read texts    Pandoc reads the course texts, while the first packs'
//                 documents that need no text are made
//   make packs    handout.html's blocks noted (Pandoc converts them
//                 alongside), then every pack made and staged, N at a time
//   commit        the staged packs made durable and swapped in; then the
//                 diagnostics and each pack that failed are reported
//   prune         packs whose visit is gone removed; a held visit's pack is
//                 kept (the record of a training that took place)
//   finish        the certificate register, calendar.ics and index.html
//
// Each step returns nothing to go on, or the exit status to stop with.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/cli.h"
#include "app/outcome.h"
#include "app/pack_inputs.h"
#include "app/pack_maker.h"
#include "app/phase_times.h"
#include "content/pandoc_ast.h"
#include "core/diagnostics.h"
#include "export/index_page.h"
#include "model/model.h"
#include "pack/lock.h"

namespace cp::app {

int run_build(const Options& options, const Environment& env);

class BuildJob {
 public:
  BuildJob(const Options& options, const Environment& env);
  ~BuildJob();
  BuildJob(const BuildJob&) = delete;
  BuildJob& operator=(const BuildJob&) = delete;

  // The steps in order; the exit status.
  int run();

 private:
  // A selected visit and its inputs' hashes.
  struct Planned {
    PackJob job;
    std::vector<std::pair<std::string, std::string>> inputs;
    std::string inputs_hash;
  };
  // A pack to make (a deque holds them: Diagnostics do not move).
  struct Work {
    const Planned* plan = nullptr;
    std::optional<PackFiles> early;  // its documents, made while Pandoc read the texts
    Diagnostics early_diags;         // theirs, kept apart until the pack is made
    std::size_t html_page = 0;
    StagedResult result;
  };

  // A course text to read: a module or a municipality's local notes, with
  // its own diagnostics (reported in the order of the texts).
  struct Text {
    std::string module;                                // a module's path, or
    const model::Municipality* local_notes = nullptr;  // a municipality's notes
    std::string bytes;                                 // the module's text
    Diagnostics diags;
    content::Status status = content::Status::Ok;
    std::string message;
  };

  std::optional<int> read_inputs();
  std::optional<int> plan();
  std::optional<int> check_machine();
  // The texts the packs to make need: modules, then local notes.
  void texts_to_read(std::deque<Text>& texts) const;
  std::optional<int> read_texts();
  void make_packs();
  std::optional<int> commit();
  void report_problems() const;
  void prune();
  std::optional<int> finish();
  int summary() const;

  const Options& o_;
  const Environment& env_;
  const std::chrono::steady_clock::time_point started_;
  PhaseTimes phases_;
  std::filesystem::path root_;
  std::optional<model::Programme> programme_;
  Diagnostics diags_;               // the build's, printed at the end
  bool input_errors_ = false;       // visits left out for their errors (--keep-going)
  std::size_t warnings_printed_ = 0;
  std::vector<std::string> not_built_;
  bool only_left_out_ = false;      // --only names visits, and all of them were left out
  PackShared shared_;
  pack::OutLock out_lock_;
  std::vector<Planned> selected_;   // every visit --only selects
  std::deque<Work> work_;           // the packs to make, in the order of the visits
  std::vector<Work*> order_;        // the same, largest first
  std::size_t threads_ = 1;
  std::size_t removed_ = 0;
  std::vector<std::string> kept_;  // held visits' packs whose visits left the data ("slug/visit")
};

// What out/ holds for index.html: every visit's pack of `programme` and the
// `kept` packs ("slug/visit"), as their manifests list them.
html::OutListing out_listing(const model::Programme& programme, const std::filesystem::path& out,
                             const std::vector<std::string>& kept);

}  // namespace cp::app

// Packs past the retention period: their participants' personal data
// removed from out/, their numbers kept (coursepack purge).
//
// A purged pack keeps the files that hold no participant's data
// (handout.pdf, handout.html, handout-booklet.pdf, evaluation.pdf,
// brief.pdf, visit.ics) and a manifest with "purged" (the date) and the
// counts: registered, attended, certificates, sent. Its attendance sheet,
// certificates, certificates.csv, print.pdf, the messages in mail/ and the
// visit's send log are removed. A build never rebuilds a purged pack.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cp::pack {

// What is left of the personal data of a purged visit.
struct PurgeCounts {
  long registered = 0;
  long attended = 0;
  long certificates = 0;
  long sent = 0;  // messages the send log recorded as delivered
};

// What purging one pack removes (files named inside the pack; certificate
// and message files are counted, not named: their names are made from the
// participants' names).
struct PurgePlan {
  std::string slug, visit;
  std::vector<std::string> files;   // attendance.pdf, certificates.pdf, …
  std::size_t certificate_files = 0;
  std::size_t messages = 0;         // mail/*.eml
  bool send_log = false;            // out/.sendlog/<slug>/<visit>.jsonl
  std::vector<std::string> foreign; // files coursepack did not write: left as they are
  bool already_purged = false;      // an earlier purge was interrupted, or there is nothing left
  PurgeCounts recorded;             // the manifest's counts
};

// Every pack under a claimed `out`, as (slug, visit), sorted.
std::vector<std::pair<std::string, std::string>> list_packs(const std::filesystem::path& out);

// True when out/<slug>/<visit> is coursepack's pack and its manifest says
// it was purged; `counts` then gets its recorded numbers.
bool is_purged(const std::filesystem::path& out, const std::string& slug, const std::string& visit,
               PurgeCounts* counts = nullptr);

// The slug/visit of every purged pack under `out`.
std::set<std::string> purged_packs(const std::filesystem::path& out);

// What purge_pack would remove; nullopt when out/<slug>/<visit> is not
// coursepack's pack. Changes nothing.
std::optional<PurgePlan> plan_purge(const std::filesystem::path& out, const std::string& slug,
                                    const std::string& visit);

// Purges the pack: first its manifest is rewritten (atomically, synced) as
// a purged one that still lists what is to be removed by SHA-256 only,
// then those files go, then the manifest is written once more without
// them; an interrupted purge is finished by the next. The send log of the
// visit is removed too. `sent` is the send log's count of delivered
// messages; `purged_on` an ISO date. Returns an empty string or the error.
std::string purge_pack(const std::filesystem::path& out, const PurgePlan& plan, long sent,
                       const std::string& purged_on);

}  // namespace cp::pack

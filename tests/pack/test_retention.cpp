// Purging a pack past the retention period (pack/retention.h).
#include "pack/retention.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "pack/ownership.h"
#include "pack/pack.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace cp;

namespace {

// A held visit's pack as a build writes it, with two certificates, a
// dry-run message, a send log and a file of the user's.
fs::path held_pack(const fs::path& out) {
  REQUIRE(pack::claim_out_dir(out).empty());
  const nlohmann::json manifest = {
      {"tool", "coursepack 1"},
      {"municipality", "eksjo"},
      {"visit", "2023-03-14-grund"},
      {"status", "held"},
      {"inputs_hash", "h"},
      {"registered", 3},
      {"certificates", 2},
      {"outputs",
       {{{"file", "handout.pdf"}}, {{"file", "attendance.pdf"}}, {{"file", "certificates.csv"}},
        {{"certificate", 1}}, {{"certificate", 2}}, {{"file", "visit.ics"}}}}};
  REQUIRE(pack::write_pack(out, "eksjo", "2023-03-14-grund",
                           {{"handout.pdf", "h"},
                            {"attendance.pdf", "Åsa Berg"},
                            {"certificates.csv", "Åsa Berg;Bo Ek"},
                            {"certificates/01-asa-berg.pdf", "Åsa Berg"},
                            {"certificates/02-bo-ek.pdf", "Bo Ek"},
                            {"visit.ics", "v"},
                            {"manifest.json", manifest.dump()}})
              .empty());
  const fs::path dir = out / "eksjo" / "2023-03-14-grund";
  REQUIRE(pack::write_into_pack(out, "eksjo", "2023-03-14-grund", "mail/01-asa-berg.eml", "To: asa@x.se").empty());
  REQUIRE(pack::append_send_log(out, "eksjo", "2023-03-14-grund", R"({"event":"sent","to":"asa@x.se"})").empty());
  test::write_file(dir / "mina-anteckningar.txt", "mine");
  return dir;
}

nlohmann::json manifest_of(const fs::path& dir) {
  return nlohmann::json::parse(files::read_file(dir / "manifest.json").bytes);
}

}  // namespace

TEST_CASE("plan_purge: what goes, counted, and the user's file named") {
  const auto out = test::make_temp_dir("purge");
  const auto dir = held_pack(out);
  const auto plan = pack::plan_purge(out, "eksjo", "2023-03-14-grund");
  REQUIRE(plan);
  CHECK(plan->files == std::vector<std::string>{"attendance.pdf", "certificates.csv"});
  CHECK(plan->certificate_files == 2);
  CHECK(plan->messages == 1);
  CHECK(plan->send_log);
  CHECK(plan->foreign == std::vector<std::string>{"mina-anteckningar.txt"});
  CHECK_FALSE(plan->already_purged);
  CHECK(plan->recorded.registered == 3);
  CHECK(fs::exists(dir / "attendance.pdf"));  // a plan changes nothing
  CHECK_FALSE(pack::plan_purge(out, "eksjo", "2099-01-01-grund"));
}

TEST_CASE("purge_pack keeps what holds no one's data and the counts") {
  const auto out = test::make_temp_dir("purge");
  const auto dir = held_pack(out);
  const auto plan = pack::plan_purge(out, "eksjo", "2023-03-14-grund");
  REQUIRE(plan);
  REQUIRE(pack::purge_pack(out, *plan, 1, "2026-01-31").empty());
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir)) left.push_back(fs::relative(e.path(), dir).string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"handout.pdf", "manifest.json", "mina-anteckningar.txt", "visit.ics"});
  CHECK_FALSE(fs::exists(pack::send_log_path(out, "eksjo", "2023-03-14-grund")));
  const auto j = manifest_of(dir);
  CHECK(j["purged"] == "2026-01-31");
  CHECK(j["registered"] == 3);
  CHECK(j["attended"] == 2);
  CHECK(j["certificates"] == 2);
  CHECK(j["sent"] == 1);
  CHECK_FALSE(j.contains("erase"));
  CHECK(j["outputs"].size() == 2);
  pack::PurgeCounts counts;
  CHECK(pack::is_purged(out, "eksjo", "2023-03-14-grund", &counts));
  CHECK(counts.attended == 2);
  CHECK(pack::purged_packs(out) == std::set<std::string>{"eksjo/2023-03-14-grund"});
  const auto state = pack::check_pack(out, "eksjo", "2023-03-14-grund", true);
  CHECK(state.kind == pack::PackState::Present);
  CHECK(state.purged);
  // Again: nothing left to do.
  const auto again = pack::plan_purge(out, "eksjo", "2023-03-14-grund");
  REQUIRE(again);
  CHECK(again->already_purged);
  CHECK(again->files.empty());
  CHECK(again->certificate_files == 0);
}

TEST_CASE("an interrupted purge is finished by the next") {
  const auto out = test::make_temp_dir("purge");
  const auto dir = held_pack(out);
  // As a purge killed after its first manifest: purged, with what is to go.
  auto j = manifest_of(dir);
  j["purged"] = "2026-01-31";
  j["erase"] = {{{"file", "attendance.pdf"}}, {{"file", "certificates.csv"}}, {{"folder", "certificates"}}};
  j["outputs"] = {{{"file", "handout.pdf"}}, {{"file", "visit.ics"}}};
  REQUIRE(pack::write_file(dir / "manifest.json", j.dump(), 0600).empty());
  const auto plan = pack::plan_purge(out, "eksjo", "2023-03-14-grund");
  REQUIRE(plan);
  CHECK(plan->already_purged);
  CHECK(plan->files == std::vector<std::string>{"attendance.pdf", "certificates.csv"});
  CHECK(plan->certificate_files == 2);
  REQUIRE(pack::purge_pack(out, *plan, 0, "2026-02-01").empty());
  CHECK_FALSE(fs::exists(dir / "attendance.pdf"));
  CHECK_FALSE(fs::exists(dir / "certificates"));
  CHECK_FALSE(manifest_of(dir).contains("erase"));
  CHECK(manifest_of(dir)["purged"] == "2026-01-31");  // the date it was purged
}

TEST_CASE("list_packs: only coursepack's packs of a claimed folder") {
  const auto out = test::make_temp_dir("purge");
  held_pack(out);
  fs::create_directories(out / "webapp" / "public");
  test::write_file(out / "webapp" / "public" / "manifest.json", "{}");
  CHECK(pack::list_packs(out) == std::vector<std::pair<std::string, std::string>>{{"eksjo", "2023-03-14-grund"}});
  CHECK(pack::list_packs(test::make_temp_dir("purge")).empty());
}

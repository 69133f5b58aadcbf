// A fake Pandoc for the content tests: answers `pandoc --version`, turns
// each stdin line into a paragraph, and answers the shared run of
// prefetch_texts as a lone run of each text would.
#pragma once

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "content/pandoc.h"
#include "content/pandoc_prefetch.h"
#include "content/process.h"
#include "core/diagnostics.h"

namespace cp::test {

using content::PandocOptions;
using content::ProcessRequest;
using content::ProcessResult;
using content::ProcessRunner;
using content::ProcessStatus;
using content::prefetch_arguments;

// Answers `pandoc --version` and turns each stdin line into a paragraph.
class FakePandoc : public ProcessRunner {
 public:
  std::atomic<int> conversions{0};
  std::atomic<int> version_runs{0};
  std::string version = "pandoc 3.1.3";
  ProcessStatus version_status = ProcessStatus::Exited;
  ProcessResult conversion_result;  // when status != Exited or exit_code != 0, returned as is
  bool fail_conversion = false;
  std::string warnings;             // stderr of a conversion
  std::chrono::milliseconds delay{0};

  ProcessResult run(const ProcessRequest& r) override {
    ProcessResult out;
    if (r.argv.size() == 2 && r.argv[1] == "--version") {
      ++version_runs;
      out.status = version_status;
      if (version_status == ProcessStatus::NotFound) {
        out.error = "not found on PATH";
        return out;
      }
      out.exit_code = 0;
      out.out = version + "\nFeatures: +server +lua\n";
      return out;
    }
    ++conversions;
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (fail_conversion) return conversion_result;
    CHECK(r.timeout == std::chrono::milliseconds(30'000));
    out.exit_code = 0;
    out.err = warnings;
    if (r.argv.size() > 7 && r.argv[6] == "--lua-filter") {
      // prefetch_texts: each CodeBlock's text as a lone run would give it.
      CHECK(r.argv == prefetch_arguments(PandocOptions{}, r.argv[7]));
      CHECK(std::filesystem::exists(r.argv[7]));
      const auto input = nlohmann::json::parse(r.stdin_bytes);
      std::size_t n = 0;
      for (const auto& block : input["blocks"]) {
        REQUIRE(block["t"] == "CodeBlock");
        out.out += "cptext " + std::to_string(++n) + "\n" + convert(block["c"][1].get<std::string>()) + "\n";
      }
      if (shared_cut_short > 0) out.out.resize(out.out.size() - shared_cut_short);
      return out;
    }
    CHECK(r.argv == std::vector<std::string>{"pandoc", "-f", "markdown", "-t", "json", "--sandbox"});
    out.out = convert(r.stdin_bytes);
    return out;
  }

  std::size_t shared_cut_short = 0;  // bytes left off the end of a shared run's output

 private:
  static std::string convert(const std::string& text) {
    nlohmann::json blocks = nlohmann::json::array();
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      if (!line.empty())
        blocks.push_back({{"t", "Para"}, {"c", nlohmann::json::array({{{"t", "Str"}, {"c", line}}})}});
      start = end + 1;
    }
    nlohmann::json doc = {{"pandoc-api-version", {1, 23, 1}}, {"meta", nlohmann::json::object()}, {"blocks", blocks}};
    return doc.dump();
  }
};

inline std::vector<std::string> messages(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.all()) out.push_back(format_diagnostic(x));
  return out;
}

}  // namespace cp::test

#include "export/manifest.h"

#include "core/json.h"
#include "core/sha256.h"

namespace cp::manifest {

Output output(std::string file, const std::string& bytes, std::optional<std::size_t> pages) {
  return {std::move(file), std::nullopt, sha256_hex(bytes), bytes.size(), pages};
}

Output certificate_output(std::size_t number, const std::string& bytes) {
  return {{}, number, sha256_hex(bytes), bytes.size(), 1};
}

std::string manifest_json(const Manifest& m) {
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& o : m.outputs) {
    nlohmann::json entry = {{"sha256", o.sha256}, {"bytes", o.bytes}};
    if (o.certificate)
      entry["certificate"] = *o.certificate;
    else
      entry["file"] = o.file;
    if (o.pages) entry["pages"] = *o.pages;
    outputs.push_back(std::move(entry));
  }
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& [name, hash] : m.inputs) inputs.push_back({{"file", name}, {"sha256", hash}});
  nlohmann::json j;
  j["tool"] = m.tool;
  j["municipality"] = m.municipality;
  j["visit"] = m.visit;
  j["status"] = m.status;
  j["inputs_hash"] = m.inputs_hash;
  j["registered"] = m.registered;
  j["certificates"] = m.certificates;
  j["inputs"] = std::move(inputs);
  j["outputs"] = std::move(outputs);
  return j.dump(2) + "\n";
}

}  // namespace cp::manifest

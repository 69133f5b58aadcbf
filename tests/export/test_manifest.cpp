#include "export/manifest.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cp;

TEST_CASE("manifest.json: keys sorted, two-space indent, pages only for PDFs, certificates by number") {
  manifest::Manifest m;
  m.tool = "coursepack 0.1.0";
  m.municipality = "eksjo";
  m.visit = "2023-03-14-grundutbildning";
  m.status = "held";
  m.inputs_hash = "ab12";
  m.registered = 3;
  m.certificates = 2;
  m.inputs = {{"materials/project.yaml", "cd34"}};
  m.outputs = {manifest::output("handout.pdf", "%PDF", 12), manifest::output("visit.ics", "BEGIN", std::nullopt),
               manifest::certificate_output(1, "abc")};
  CHECK(manifest::manifest_json(m) == R"({
  "certificates": 2,
  "inputs": [
    {
      "file": "materials/project.yaml",
      "sha256": "cd34"
    }
  ],
  "inputs_hash": "ab12",
  "municipality": "eksjo",
  "outputs": [
    {
      "bytes": 4,
      "file": "handout.pdf",
      "pages": 12,
      "sha256": "315d429b7714cedb6ad04ac31240145257692630457f3c88253c5beceac76027"
    },
    {
      "bytes": 5,
      "file": "visit.ics",
      "sha256": "a8402858d4f1e1d27afee976520485ebb4b96a5387355b823f0d0b8079729032"
    },
    {
      "bytes": 3,
      "certificate": 1,
      "pages": 1,
      "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    }
  ],
  "registered": 3,
  "status": "held",
  "tool": "coursepack 0.1.0",
  "visit": "2023-03-14-grundutbildning"
}
)");
}

TEST_CASE("an output entry carries the SHA-256 and size of its bytes") {
  const auto o = manifest::output("certificates/01-asa-berg.pdf", "abc", 1);
  CHECK(o.file == "certificates/01-asa-berg.pdf");
  CHECK(o.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(o.bytes == 3);
  CHECK(o.pages == std::optional<std::size_t>(1));
}

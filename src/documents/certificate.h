// Certificates (kursintyg): one page per participant, elements placed as
// layouts/certificate.yaml says.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/file_store.h"
#include "frame/frame.h"
#include "model/model.h"

namespace cp::documents {

struct CertificateEntry {
  const model::Participant* participant = nullptr;
  std::string code;  // verification code
};

struct CertificateInput {
  const model::Programme* programme = nullptr;
  const model::Municipality* municipality = nullptr;
  const model::Visit* visit = nullptr;
  const model::Course* course = nullptr;
  std::vector<CertificateEntry> participants;  // one page each, in this order
  files::FileStore* file_store = nullptr;  // optional: images are read through it
};

// Who gets a certificate (everyone registered for a planned visit, those
// with `attended: true` for a held one), in attendance-sheet order, with
// their verification codes.
std::vector<CertificateEntry> certificate_entries(const model::Programme& programme,
                                                  const model::Municipality& municipality,
                                                  const model::Visit& visit, const model::Course& course);

// All certificates of the visit, one page per entry (certificates.pdf); no
// pages when nobody is certified (a held visit nobody attended: the caller
// writes no file then). Throws EnvironmentError when the font is missing.
layout::Document compose_certificates(const CertificateInput& in, Diagnostics& diags);

// The certificate of entry `index` alone (certificates/<NN>-<slug>.pdf).
layout::Document compose_certificate(const CertificateInput& in, std::size_t index, Diagnostics& diags);

}  // namespace cp::documents

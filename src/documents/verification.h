// Verification codes and file-name slugs for certificates.
//
// A verification code identifies one participant's certificate of one
// visit. It is derived, not stored: the same inputs always give the same
// code, so rebuilding a pack never invalidates the codes already printed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace cp::documents {

// Characters a code is written with: digits and capital letters without
// the look-alikes 0/O, 1/I/L (31 symbols).
inline constexpr char kCodeAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
// Symbols per code (two groups of five, written XXXXX-XXXXX).
inline constexpr std::size_t kCodeSymbols = 10;

// The participant's verification code, e.g. "7KQ3M-XW2HD": SHA-256 over the
// programme title, course id, municipality code, visit date and the
// participant's name (NFC, trimmed), read as a number in base 31. The
// e-mail, title and unit are not part of it: correcting them keeps the
// code. Two participants of one name in a visit are told apart by their
// order in the visit's list (`participant` must then be an element of
// visit.participants). 31^10 ≈ 2^49.5, so codes do not collide in practice
// (the chance for the ~650 certificates of a year is about 1 in 10^9).
std::string verification_code(const model::Project& project, const model::Course& course,
                              const model::Municipality& municipality, const model::Visit& visit,
                              const model::Participant& participant);

// True when `code` has the shape of a verification code (case-sensitive).
bool is_verification_code(const std::string& code);

// File-name stem for participant number `number` (1-based, the position in
// certificate order): "07-asa-aberg". The name part is cp::text::ascii_slug
// (only [a-z0-9-], at most 60 characters, "deltagare" when nothing is
// left), so the result is never a path, never hidden, never empty, and
// unique within a visit through its number.
std::string participant_slug(std::size_t number, const std::string& name);

// The address a certificate's QR code points to: project.verify_url with
// every "{code}" replaced; empty when the project has no verify_url.
std::string verify_address(const model::Project& project, const std::string& code);

// A QR code's modules (libqrencode, error correction level M, byte mode):
// `size` × `size`, row by row from the top, true = dark. No quiet zone.
struct QrMatrix {
  int size = 0;
  std::vector<bool> dark;
  bool at(int row, int col) const { return dark[static_cast<std::size_t>(row * size + col)]; }
};
// nullopt when the text is too long for any QR version.
std::optional<QrMatrix> qr_matrix(const std::string& text);

}  // namespace cp::documents

// RFC 5322 messages with MIME parts: encoded headers (RFC 2047), quoted-
// printable text, base64 attachments with RFC 2231 file names.
#pragma once

#include <string>
#include <string_view>

namespace cp::mail {

// A header value as RFC 2047 encoded words (=?UTF-8?B?...?=) when it is not
// printable ASCII, folded so no encoded word exceeds 75 characters and no
// UTF-8 sequence is split; printable ASCII is returned as it is.
std::string encode_words(std::string_view utf8);

// "Name <address>", the name quoted or encoded as needed; only the address
// when the name is empty.
std::string format_address(std::string_view name, std::string_view address);

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text; line ends become CRLF,
// lines are at most 76 characters with soft breaks.
std::string quoted_printable(std::string_view text);

// Base64 in lines of 76 characters, each ending in CRLF.
std::string base64_lines(std::string_view bytes);
// Base64 on one line, without padding removed.
std::string base64(std::string_view bytes);

// RFC 5322 date of a UTC time: "Tue, 14 Mar 2023 09:30:00 +0000".
std::string rfc5322_date(long long epoch_seconds);

struct Attachment {
  std::string file_name;  // UTF-8, shown to the reader
  std::string content_type = "application/pdf";
  std::string bytes;
};

struct Message {
  std::string from_name, from_address;
  std::string reply_to_name, reply_to_address;
  std::string to_name, to_address;
  std::string subject;     // UTF-8
  long long date = 0;      // seconds since the epoch
  std::string message_id;  // with the angle brackets: <...@...>
  std::string text;        // text/plain body, UTF-8
  std::string html;        // text/html alternative, UTF-8
  Attachment attachment;
};

// The whole message: headers, multipart/mixed of a multipart/alternative
// (text, HTML) and the attachment. CRLF line ends throughout; boundaries
// derived from the Message-ID, so the same message gives the same bytes.
std::string render_message(const Message& m);

}  // namespace cp::mail

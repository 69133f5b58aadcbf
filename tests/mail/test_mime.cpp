#include "mail/mime.h"

#include <catch2/catch.hpp>

using namespace cp::mail;

TEST_CASE("header text outside ASCII becomes RFC 2047 encoded words", "[mime]") {
  CHECK(encode_words("Kursintyg") == "Kursintyg");
  CHECK(encode_words("Åsa") == "=?UTF-8?B?w4VzYQ==?=");
  // Long text: several words of at most 75 characters, folded, and no
  // UTF-8 sequence split between two words.
  std::string long_text;
  for (int i = 0; i < 30; ++i) long_text += "människohandel ";
  const std::string enc = encode_words(long_text);
  std::size_t start = 0, words = 0;
  while (start < enc.size()) {
    std::size_t end = enc.find("\r\n ", start);
    if (end == std::string::npos) end = enc.size();
    const std::string word = enc.substr(start, end - start);
    CHECK(word.size() <= 75);
    CHECK(word.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(word.substr(word.size() - 2) == "?=");
    ++words;
    start = end + 3;
  }
  CHECK(words > 5);
}

TEST_CASE("addresses quote ASCII names and encode the others", "[mime]") {
  CHECK(format_address("", "a@b.se") == "a@b.se");
  CHECK(format_address("Anna \"Ann\" Berg", "a@b.se") == "\"Anna \\\"Ann\\\" Berg\" <a@b.se>");
  CHECK(format_address("Päivi", "p@b.se") == "=?UTF-8?B?UMOkaXZp?= <p@b.se>");
}

TEST_CASE("quoted-printable keeps lines short and encodes what must be", "[mime]") {
  CHECK(quoted_printable("Hej Åsa!\n") == "Hej =C3=85sa!\r\n");
  CHECK(quoted_printable("a=b\r\nc \n") == "a=3Db\r\nc=20\r\n");
  const std::string qp = quoted_printable(std::string(200, 'x') + "\n");
  std::size_t start = 0;
  while (start < qp.size()) {
    const std::size_t end = qp.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    CHECK(end - start <= 76);
    start = end + 2;
  }
  // Soft breaks join back to the original.
  std::string joined;
  for (std::size_t i = 0; i < qp.size(); ++i) {
    if (qp.compare(i, 3, "=\r\n") == 0) {
      i += 2;
      continue;
    }
    joined += qp[i];
  }
  CHECK(joined == std::string(200, 'x') + "\r\n");
}

TEST_CASE("base64 as RFC 4648 writes it, in lines of 76", "[mime]") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foobar") == "Zm9vYmFy");
  const std::string lines = base64_lines(std::string(100, '\xff'));
  CHECK(lines.substr(0, 76) == std::string(76, '/'));
  CHECK(lines.substr(76, 2) == "\r\n");
}

TEST_CASE("dates are RFC 5322 in UTC", "[mime]") {
  CHECK(rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
  CHECK(rfc5322_date(1678786200) == "Tue, 14 Mar 2023 09:30:00 +0000");
}

TEST_CASE("a message: headers, text and HTML alternatives, the PDF attached", "[mime]") {
  Message m;
  m.from_name = "Annika Hedlund";
  m.from_address = "annika@rjl.se";
  m.reply_to_name = "Annika Hedlund";
  m.reply_to_address = "annika@rjl.se";
  m.to_name = "Åsa Åberg";
  m.to_address = "asa@eksjo.se";
  m.subject = "Kursintyg: Eksjö";
  m.date = 1678786200;
  m.message_id = "<abc.0@rjl.se>";
  m.text = "Hej Åsa!\n";
  m.html = "<p>Hej Åsa!</p>\n";
  m.attachment.file_name = "Kursintyg Åsa Åberg.pdf";
  m.attachment.bytes = "%PDF-1.7\n";
  const std::string msg = render_message(m);
  CHECK(msg == render_message(m));
  CHECK(msg.find("\nTo: =?UTF-8?B?w4VzYSDDhWJlcmc=?= <asa@eksjo.se>\r\n") != std::string::npos);
  CHECK(msg.find("\nSubject: =?UTF-8?B?S3Vyc2ludHlnOiBFa3Nqw7Y=?=\r\n") != std::string::npos);
  CHECK(msg.find("\nMessage-ID: <abc.0@rjl.se>\r\n") != std::string::npos);
  CHECK(msg.find("\nReply-To: \"Annika Hedlund\" <annika@rjl.se>\r\n") != std::string::npos);
  CHECK(msg.find("Content-Type: multipart/alternative;") != std::string::npos);
  CHECK(msg.find("Content-Type: text/plain; charset=UTF-8") < msg.find("Content-Type: text/html; charset=UTF-8"));
  CHECK(msg.find("filename*=UTF-8''Kursintyg%20%C3%85sa%20%C3%85berg.pdf") != std::string::npos);
  CHECK(msg.find("JVBERi0xLjcK") != std::string::npos);  // the PDF, base64
  // Every line ends in CRLF and none is longer than 998 characters.
  for (std::size_t i = 0, start = 0; i < msg.size(); ++i)
    if (msg[i] == '\n') {
      CHECK(i > 0);
      CHECK(msg[i - 1] == '\r');
      CHECK(i - start <= 998);
      start = i + 1;
    }
}

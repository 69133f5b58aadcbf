// Calendar entries for the visits (RFC 5545): visit.ics in every pack and
// out/calendar.ics for all visits. Times are Swedish wall-clock times with
// TZID=Europe/Stockholm and its VTIMEZONE; no participant appears in them.
#pragma once

#include <string>
#include <string_view>

#include "model/model.h"

namespace cp::calendar {

// TEXT value escaping (RFC 5545 3.3.11): backslash, ';', ',' and line
// breaks (as \n).
std::string escape_text(std::string_view text);

// One content line, folded so that no line exceeds 75 octets (a
// continuation starts with a space; a UTF-8 sequence is never split), each
// line ended with CRLF.
std::string fold_line(std::string_view line);

// The event's UID: the same for a visit in every build, and different for
// every visit (municipality, date, course).
std::string visit_uid(const model::Municipality& m, const model::Visit& v);

// A calendar holding the one visit. `stamp` (seconds since the epoch, UTC)
// is the DTSTAMP; pass SOURCE_DATE_EPOCH for byte-identical output.
std::string visit_ics(const model::Programme& p, const model::Municipality& m, const model::Visit& v,
                      long long stamp);

// A calendar holding every visit of the programme, by date, then
// municipality, then course.
std::string programme_ics(const model::Programme& p, long long stamp);

}  // namespace cp::calendar

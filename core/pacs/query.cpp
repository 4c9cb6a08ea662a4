#include "core/pacs/query.h"

#include <cctype>

#include "core/common/error.h"

namespace lunglens::core::pacs {
namespace {

void checkDate(const std::string& date, const char* what) {
  bool ok = date.size() == 8;
  for (char c : date) ok = ok && std::isdigit(static_cast<unsigned char>(c));
  if (ok) {
    const int month = std::stoi(date.substr(4, 2)), day = std::stoi(date.substr(6, 2));
    ok = month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  if (!ok) throw InputError(what, "'" + date + "' is not a date (YYYYMMDD)");
}

}  // namespace

std::string dateRange(const Query& query) {
  if (!query.date_from.empty()) checkDate(query.date_from, "from date");
  if (!query.date_to.empty()) checkDate(query.date_to, "to date");
  if (!query.date_from.empty() && !query.date_to.empty() && query.date_to < query.date_from) {
    throw InputError("date range", "the range ends (" + query.date_to + ") before it starts (" + query.date_from + ")");
  }
  if (query.date_from.empty() && query.date_to.empty()) return "";
  if (query.date_from == query.date_to) return query.date_from;
  return query.date_from + "-" + query.date_to;
}

std::string containsPattern(const std::string& text) {
  if (text.empty() || text.find_first_of("*?") != std::string::npos) return text;
  return "*" + text + "*";
}

}  // namespace lunglens::core::pacs

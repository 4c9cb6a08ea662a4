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

Query expectedCountQuery(const std::string& study_uid, const std::string& series_uid) {
  Query q;
  q.level = series_uid.empty() ? Level::Study : Level::Series;
  q.study_uid = study_uid;
  return q;
}

int expectedInstances(const std::vector<Match>& matches, const std::string& node_label, const std::string& study_uid,
                      const std::string& series_uid) {
  int total = -1;
  bool found = false;
  for (const auto& m : matches) {
    if (series_uid.empty() || m.series_uid == series_uid) {
      total = m.instances;
      found = true;
    }
  }
  if (!found) {
    throw InputError(node_label, series_uid.empty() ? "no study " + study_uid
                                                    : "no series " + series_uid + " in study " + study_uid);
  }
  return total;
}

}  // namespace lunglens::core::pacs

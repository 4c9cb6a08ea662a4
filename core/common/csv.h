#pragma once
// Text written into and read back from CSV files. One function for every CSV writer, so that no field can break the table (a comma,
// quote or line break inside a model name or a description) and no field is run as a formula when a spreadsheet
// opens the file (CSV injection: a leading = + - @, tab or carriage return).
#include <string>
#include <vector>

namespace lunglens::core {

// One line of a CSV file read back (RFC 4180): fields split at commas outside double quotes, "" inside quotes is
// a quote, carriage returns dropped. Always at least one (possibly empty) field. The ONE reader of every CSV table
// LungLens reads (training labels, imported datasets, prediction files).
std::vector<std::string> csvSplitLine(const std::string& line);

// `text` as one CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF (quotes doubled); a field
// starting with = + - @ TAB or CR is prefixed with a single quote so spreadsheets show it as text. Numbers are
// not text fields: write them as they are.
std::string csvField(const std::string& text);

// `text` for a '#' comment line of a CSV file: line breaks and other control characters become spaces, so that
// the comment stays on its one line, and commas become ';', so that a spreadsheet keeps the line in one cell
// (which starts with '#', never a formula).
std::string csvCommentText(const std::string& text);

}  // namespace lunglens::core

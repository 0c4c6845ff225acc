// Writing the console's CSV downloads: UTF-8 with a byte order mark (so
// Excel reads the Japanese text) and CRLF line ends. Pure.
#pragma once

#include <string>
#include <vector>

namespace yorisoi::adapters::admin {

inline constexpr const char* kCsvBom = "\xEF\xBB\xBF";

// `s` quoted when it holds a comma, quote, CR or LF (quotes doubled).
std::string CsvQuote(const std::string& s);
// A cell of logged text: CsvQuote of `s`, and a leading = + - @ TAB or CR
// gets a ' first so that spreadsheets never evaluate it as a formula.
std::string CsvCell(std::string s);
// Cells (each CsvCell) joined by commas, ending in CRLF.
std::string CsvRow(const std::vector<std::string>& cells);

}  // namespace yorisoi::adapters::admin

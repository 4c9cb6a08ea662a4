#include "core/dicom/dicomdir.h"

#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <system_error>

#include "core/common/error.h"
#include "core/dicom/abort_guard.h"
#include "core/dicom/file_header.h"
#include "core/dicom/gdcm_text.h"

namespace fs = std::filesystem;

namespace lunglens::core::dicom {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// Media file IDs are upper case; the files on a copied disc may not be. Matches each component ignoring case.
fs::path resolve(const fs::path& base, const std::vector<std::string>& components) {
  fs::path exact = base;
  for (const auto& c : components) exact /= c;
  std::error_code ec;
  if (fs::exists(exact, ec)) return exact;
  fs::path cur = base;
  for (const auto& c : components) {
    fs::path found;
    for (fs::directory_iterator it(cur, ec), end; !ec && it != end; it.increment(ec)) {
      if (upper(it->path().filename().string()) == upper(c)) {
        found = it->path();
        break;
      }
    }
    if (found.empty()) return exact;
    cur = found;
  }
  return cur;
}

std::vector<std::string> fileIdComponents(const std::string& id) {
  std::vector<std::string> parts;
  std::string cur;
  for (char ch : id) {
    if (ch == '\\' || ch == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

}  // namespace

DicomdirListing readDicomdir(const fs::path& dicomdir) {
  quietGdcm();
  std::unique_ptr<gdcm::Reader> reader(new gdcm::Reader);
  reader->SetFileName(dicomdir.c_str());
  bool read = false;
  if (!runGuardedAgainstAbort([&] { read = reader->Read(); })) {
    reader.release();  // abandoned mid-parse: leaked on purpose (see abort_guard.h)
    throw InputError(dicomdir.string(), "damaged DICOMDIR: GDCM gave up on its structure");
  }
  if (!read) throw InputError(dicomdir.string(), "not a readable DICOMDIR");
  const gdcm::DataSet& ds = reader->GetFile().GetDataSet();
  const gdcm::Tag recordSeq(0x0004, 0x1220);
  if (!ds.FindDataElement(recordSeq)) throw InputError(dicomdir.string(), "DICOMDIR without a directory record list");
  DicomdirListing listing;
  const auto sq = ds.GetDataElement(recordSeq).GetValueAsSQ();
  if (!sq) return listing;  // an empty DICOMDIR lists nothing
  std::set<fs::path> seen;
  for (gdcm::SequenceOfItems::SizeType i = 1; i <= sq->GetNumberOfItems(); ++i) {
    const gdcm::DataSet& record = sq->GetItem(i).GetNestedDataSet();
    const auto components = fileIdComponents(detail::text(record, 0x0004, 0x1500));
    if (components.empty()) continue;  // patient, study and series records reference no file
    const fs::path file = resolve(dicomdir.parent_path(), components);
    if (!seen.insert(file).second) continue;
    std::error_code ec;
    (fs::is_regular_file(file, ec) ? listing.files : listing.missing).push_back(file);
  }
  return listing;
}

}  // namespace lunglens::core::dicom

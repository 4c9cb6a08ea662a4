#pragma once
// What a search asks for and what it finds, the same for DIMSE C-FIND and DICOMweb QIDO-RS.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/cancel.h"

namespace lunglens::core::pacs {

enum class Level { Study, Series };

struct Query {
  Level level = Level::Study;
  // Empty fields do not filter. Names and descriptions without a '*' or '?' match anywhere in the value
  // ("chest" finds "CT CHEST"); IDs and accession numbers match exactly unless they hold a wildcard.
  std::string patient_name, patient_id, accession_number, modality, description;
  std::string date_from, date_to;  // YYYYMMDD; either may be empty (open range)
  std::string study_uid;           // series level: the study to list (empty: every study that matches)
};

// One study or series found.
struct Match {
  Level level = Level::Study;
  std::string patient_name, patient_id, patient_birth_date;
  std::string study_uid, study_date, study_time, study_description, accession_number, modalities;
  std::string series_uid, series_description, modality;
  int series_number = 0;
  int instances = -1;  // number of related instances; -1 when the node did not say
};

// Checks dates and builds the DICOM range "from-to" ("" when open both sides). Throws InputError.
std::string dateRange(const Query& query);
// The matching value for a name or description: wrapped in '*' unless it holds a wildcard already.
std::string containsPattern(const std::string& text);

// Progress and cancel for transfers. `progress(done, total)`: total may be -1 when unknown. Called on the thread
// doing the transfer.
struct TransferOptions {
  std::function<void(int done, int total)> progress;
  // Retrieval only: each file once it is written whole into the hidden staging folder, before `progress` reports
  // it. The path is valid until the retrieval ends (the folder is then moved into place, or removed), so a reader
  // of arrived files must be done with them, or cope with their disappearance, by then.
  std::function<void(const std::filesystem::path& file)> arrived;
  CancelToken cancel;
};

// The query that asks a node how many instances a retrieval of `study_uid` (or of its series `series_uid`, when not
// empty) will bring, and the answer read from its matches: the progress total. InputError naming `node_label` when
// the node has no such study or series, before anything is transferred.
Query expectedCountQuery(const std::string& study_uid, const std::string& series_uid);
int expectedInstances(const std::vector<Match>& matches, const std::string& node_label, const std::string& study_uid,
                      const std::string& series_uid);

}  // namespace lunglens::core::pacs
